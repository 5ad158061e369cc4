import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isGcExposed, summarize, type Latency } from '../bench/bench-measure';
import type { ScaleReport } from './scale-report';

const MB = 2 ** 20;

/** Bytes of every file under `directory`, by path relative to it, and their sum. */
export function diskUsage(directory: string): { bytes: number; files: Record<string, number> } {
  const files: Record<string, number> = {};
  let bytes = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        const size = statSync(path).size;
        files[relative(directory, path)] = size;
        bytes += size;
      }
    }
  };
  walk(directory);
  return { bytes, files };
}

/**
 * The process's peak resident set size. Linux keeps it exactly (VmHWM); elsewhere the peak of the
 * samples taken, so call `sample()` where memory is likely highest (after each ingest batch).
 */
export function createPeakRss(): { sample(): void; mb(): number } {
  let sampled = 0;
  const sample = () => {
    sampled = Math.max(sampled, process.memoryUsage.rss());
  };
  return {
    sample,
    mb() {
      sample();
      return Math.max(sampled, vmHwmBytes() ?? 0) / MB;
    },
  };
}

function vmHwmBytes(): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** RSS and V8 heapUsed in MiB, after a full collection when gc is exposed. */
export function processMemoryMb(): { rssMb: number; heapUsedMb: number } {
  (globalThis as { gc?: () => void }).gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { rssMb: rss / MB, heapUsedMb: heapUsed / MB };
}

/** Times a synchronous call per input (no promise machinery inside the timed region). */
export function timeEachSync<I>(inputs: readonly I[], run: (input: I) => unknown): Latency {
  const samples = inputs.map((input) => {
    const started = performance.now();
    run(input);
    return performance.now() - started;
  });
  return summarize(samples);
}

export function machineInfo(): ScaleReport['machine'] {
  const processors = cpus();
  return {
    cpus: processors.length,
    cpuModel: processors[0]?.model.trim() ?? 'unknown',
    totalMemoryMb: Math.round(totalmem() / MB),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    gcExposed: isGcExposed(),
  };
}

/** The checked-out commit, or null outside a git checkout. */
export function currentCommit(): string | null {
  try {
    return (
      execFileSync('git', ['rev-parse', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim() || null
    );
  } catch {
    return null;
  }
}

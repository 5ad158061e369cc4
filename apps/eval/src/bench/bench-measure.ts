import { performance } from 'node:perf_hooks';

export interface Latency {
  p50: number;
  p95: number;
  p99: number;
}

const exposedGc = (): (() => void) | undefined => (globalThis as { gc?: () => void }).gc;

/** Whether node runs with --expose-gc; without it RSS readings include garbage not yet collected. */
export const isGcExposed = (): boolean => exposedGc() !== undefined;

/** Resident set size of the whole process, in MiB, after a full collection when one is available. */
export function residentMb(): number {
  exposedGc()?.();
  return process.memoryUsage().rss / 2 ** 20;
}

/**
 * V8 heap plus ArrayBuffer memory, in MiB, after a collection when one is available. Exact for
 * data held in JS, where RSS deltas are not: the allocator reuses pages an earlier phase freed.
 */
export function jsMemoryMb(): number {
  exposedGc()?.();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return (heapUsed + arrayBuffers) / 2 ** 20;
}

/** Nearest-rank percentile, so every reported value is one that was actually observed. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function summarize(samplesMs: readonly number[]): Latency {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
}

/**
 * Times `run` once per input, sequentially, and keeps what each call returned. Progress is reported
 * outside the timed region so a slow progress bar cannot inflate the latencies.
 */
export async function timeEach<I, O>(inputs: readonly I[], run: (input: I) => Promise<O>, onDone?: (done: number) => void): Promise<{ latency: Latency; outputs: O[]; samplesMs: number[] }> {
  const samples: number[] = [];
  const outputs: O[] = [];
  for (const input of inputs) {
    const started = performance.now();
    outputs.push(await run(input));
    samples.push(performance.now() - started);
    onDone?.(outputs.length);
  }
  return { latency: summarize(samples), outputs, samplesMs: samples };
}

/** Fraction of each query's true top-k found by `found`, averaged over queries. */
export function meanRecall(found: readonly (readonly number[])[], truth: readonly (readonly number[])[]): number {
  let total = 0;
  truth.forEach((expected, q) => {
    const got = new Set(found[q] ?? []);
    total += expected.length === 0 ? 1 : expected.filter((key) => got.has(key)).length / expected.length;
  });
  return truth.length === 0 ? 1 : total / truth.length;
}

import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createErrorFactory } from '@neuromem/core';
import { percentile } from '../metrics/retrieval-metrics';
import { COLD_START_PHASES, type ColdStartPhases } from './cold-start-phases';

const fail = createErrorFactory('eval');
const run = promisify(execFile);

/** The built child beside the CLI bundle (`dist/cold-start-child.js`). */
const CHILD = new URL('./cold-start-child.js', import.meta.url);
/** A child that has not answered in this long is stuck, not slow. */
const CHILD_TIMEOUT_MS = 120_000;

export type ColdStartMode = 'fresh' | 'reopen';

export interface ColdStartReport {
  runs: number;
  /** Per mode and phase: the median (nearest rank, as `percentile`) and the slowest of the runs, ms. */
  modes: Record<ColdStartMode, Partial<Record<keyof ColdStartPhases, { median: number; max: number }>>>;
  /** Every run's phases, in order. */
  samples: Record<ColdStartMode, ColdStartPhases[]>;
}

/**
 * `runs` pairs of fresh processes, one after the other: a first script on a new memory (`fresh`),
 * then one that reopens the directory it left (`reopen`). Each process imports NeuroMem itself, so
 * nothing is warm but the operating system's file cache. A child that fails, or whose first search
 * does not find the fact it stored, fails the run.
 */
export async function runColdStart(options: { runs: number; onRun?: (done: number) => void }): Promise<ColdStartReport> {
  const child = fileURLToPath(CHILD);
  if (!existsSync(child)) throw fail('NOT_FOUND', `${child} is missing: build the eval first (npm run build).`);
  const samples: ColdStartReport['samples'] = { fresh: [], reopen: [] };
  for (let i = 0; i < options.runs; i++) {
    const directory = mkdtempSync(join(tmpdir(), 'neuromem-cold-start-'));
    try {
      for (const mode of ['fresh', 'reopen'] as const) {
        const { stdout } = await run(process.execPath, [child, join(directory, 'memory'), mode], { timeout: CHILD_TIMEOUT_MS });
        const line = JSON.parse(stdout.trim().split('\n').at(-1)!) as { phases: ColdStartPhases; found: boolean };
        if (!line.found) throw new Error(`cold start run ${i + 1} (${mode}): the first search did not find the stored fact.`);
        samples[mode].push(line.phases);
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
    options.onRun?.(i + 1);
  }
  const summarize = (runs: readonly ColdStartPhases[]) =>
    Object.fromEntries(
      COLD_START_PHASES.flatMap((phase) => {
        const values = runs.map((r) => r[phase]).filter((v): v is number => v !== undefined);
        return values.length === 0 ? [] : [[phase, { median: round(percentile(values, 50)), max: round(Math.max(...values)) }]];
      }),
    );
  return { runs: options.runs, modes: { fresh: summarize(samples.fresh), reopen: summarize(samples.reopen) }, samples };
}

const PHASE_LABELS: Record<(typeof COLD_START_PHASES)[number], string> = {
  import: "import('neuromem')",
  createMemory: '**createMemory()**',
  emptySearch: 'a search before any add',
  add: 'add() of one fact',
  firstSearch: 'first search that finds it',
  secondSearch: 'the next search',
  firstAnswer: 'process start to first answer',
};

/** The report as a Markdown table: median (slowest) ms per phase, fresh and reopened side by side. */
export function formatColdStartTable(report: ColdStartReport): string {
  const cell = (mode: ColdStartMode, phase: (typeof COLD_START_PHASES)[number]) => {
    const value = report.modes[mode][phase];
    return value ? `${value.median.toFixed(1)} (${value.max.toFixed(1)})` : '—';
  };
  return [
    `Cold start: ${report.runs} pairs of fresh processes, median (slowest) ms`,
    '',
    '| phase | a new memory | reopened |',
    '|---|---:|---:|',
    ...COLD_START_PHASES.map((phase) => `| ${PHASE_LABELS[phase]} | ${cell('fresh', phase)} | ${cell('reopen', phase)} |`),
  ].join('\n');
}

const round = (value: number) => Math.round(value * 10) / 10;

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createErrorFactory } from '@neuromem/core';
import { summarize, type Latency } from '../bench/bench-measure';
import { builtNeuromemUrl, runChild } from '../chaos/child-process';

const fail = createErrorFactory('eval');
const K = 10;
/** Loading the indexes of a million memories takes ~13 minutes here; past this the child is stopped. */
const CHILD_TIMEOUT_MS = 6 * 60 * 60 * 1000;

export interface UnscopedInput {
  /** The memory directory; no process may hold it (the child opens it for writing, and saves the index it loads). */
  path: string;
  durability: 'full' | 'normal';
  /** Query vectors at the turn scale, and query texts. */
  vectors: readonly Float32Array[];
  texts: readonly string[];
  /** Called as the child reports each phase: `loading` once, then each search. */
  onProgress?: (phase: 'index load' | 'unscoped vector search' | 'unscoped text search', done: number) => void;
}

export interface UnscopedMeasures {
  /** `store.loadIndexes()`: reading the HNSW snapshot and adding what was stored since it was saved. */
  indexLoadMs: number;
  vector: Latency;
  text: Latency;
  /** The child's own peak RSS: the HNSW indexes live there, never in the process that ingests. */
  peakRssMb: number;
}

/**
 * Store searches with an empty filter (every user's memories), in a Node process of their own: they
 * need the HNSW indexes, which scoped searches never open. Measured in the ingesting process, the
 * indexes' memory stayed in its RSS for the rest of the run (freed memory is not given back to the
 * system), so its peak described a workload no scoped user has. Each process's peak is reported.
 */
export async function measureUnscoped(input: UnscopedInput): Promise<UnscopedMeasures> {
  const work = mkdtempSync(join(tmpdir(), 'neuromem-unscoped-'));
  try {
    const inputFile = join(work, 'input.json');
    writeFileSync(inputFile, JSON.stringify({ path: input.path, durability: input.durability, vectors: input.vectors.map((vector) => [...vector]), texts: input.texts }));
    const run = await runChild(
      childScript(builtNeuromemUrl(), inputFile),
      (line) => {
        if (line.t === 'progress') input.onProgress?.(line.phase as 'index load', line.done as number);
        return undefined; // never killed: it runs to its end
      },
      CHILD_TIMEOUT_MS,
    );
    if (run.code !== 0) throw fail('UPSTREAM', `the unscoped-search process failed (${run.code === null ? 'killed: a signal or the timeout' : `exit ${run.code}`}): ${run.stderr.trim().slice(-2000)}`);
    const result = run.lines.find((line) => line.t === 'result');
    if (!result) throw fail('UPSTREAM', 'the unscoped-search process ended without a result.');
    return {
      indexLoadMs: result.indexLoadMs as number,
      vector: summarize(result.vector as number[]),
      text: summarize(result.text as number[]),
      peakRssMb: result.peakRssMb as number,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The child: opens the memory, loads its indexes, runs each search once, prints one JSON line per step. */
function childScript(neuromemUrl: string, inputFile: string): string {
  return `
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createMemory } from ${JSON.stringify(neuromemUrl)};
const input = JSON.parse(readFileSync(${JSON.stringify(inputFile)}, 'utf8'));
const say = (line) => process.stdout.write(JSON.stringify(line) + '\\n');
const memory = await createMemory({ path: input.path, durability: input.durability });
try {
  say({ t: 'progress', phase: 'index load', done: 0 });
  let started = performance.now();
  await memory.store.loadIndexes();
  const indexLoadMs = performance.now() - started;
  const vector = [];
  for (const values of input.vectors) {
    const query = Float32Array.from(values);
    started = performance.now();
    await memory.store.searchVectors({ scale: 'turn', vector: query, k: ${K}, filter: {} });
    vector.push(performance.now() - started);
    say({ t: 'progress', phase: 'unscoped vector search', done: vector.length });
  }
  const text = [];
  for (const query of input.texts) {
    started = performance.now();
    await memory.store.searchText({ text: query, k: ${K}, filter: {} });
    text.push(performance.now() - started);
    say({ t: 'progress', phase: 'unscoped text search', done: text.length });
  }
  say({ t: 'result', indexLoadMs, vector, text, peakRssMb: process.resourceUsage().maxRSS / 1024 });
} finally {
  await memory.close();
}
`;
}

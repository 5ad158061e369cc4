import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createErrorFactory, type MemoryFilter, type Scope } from '@neuromem/core';
import { createExactIndex, createSqliteStore } from '@neuromem/store';
import { createMemory } from 'neuromem';
import { isGcExposed, jsMemoryMb, meanRecall, residentMb, timeEach } from './bench-measure';
import type { BenchOptions, BenchReport, BenchRun } from './bench-report';
import { syntheticQuestions, syntheticSentences } from './synthetic-sentences';
import { createVectorSpace, type VectorSpace } from './synthetic-vectors';

export type { BenchOptions, BenchReport, BenchRun, Latency, ReopenOutcome } from './bench-report';
export { formatBenchTable } from './format-bench-table';

const fail = createErrorFactory('eval');
const K = 10;
const BATCH = 1000;
const TEXT_SEARCHES = 200;
/** Untimed searches before each timed set, so JIT and cold caches do not land in the p99. */
const WARMUP = 10;
const SCOPE: Scope = { userId: 'bench' };
const CORPUS_STREAM = 0;
const QUERY_STREAM = 1;
const WARMUP_STREAM = 2;

type Progress = (phase: string, done: number, total: number) => void;

/**
 * Measures the neuromem store (HNSW path and the filtered path the facade uses) against a flat
 * exact scan on the same clustered synthetic vectors, then the facade end to end on text. Reports
 * numbers; never judges them, so it is safe to run anywhere but meaningless to gate CI on.
 */
export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const { ns, dim, queries, seed = 42, textMemories = 2000 } = options;
  for (const [field, values] of [
    ['ns', ns],
    ['dim', [dim]],
    ['queries', [queries]],
    ['textMemories', [textMemories]],
  ] as const) {
    if (!Array.isArray(values) || values.length === 0 || !values.every((v) => Number.isInteger(v) && v > 0)) {
      throw fail('INVALID_INPUT', `${field} must be positive integers, got ${JSON.stringify(values)}.`, { details: { field } });
    }
  }
  const progress: Progress = (phase, done, total) => options.onProgress?.({ phase, done, total });
  const parent = options.directory ?? tmpdir();
  mkdirSync(parent, { recursive: true });
  const root = mkdtempSync(join(parent, 'neuromem-bench-'));
  try {
    const space = createVectorSpace({ dimensions: dim, seed });
    const queryVectors = space.sample(queries, QUERY_STREAM);
    const warmup = space.sample(WARMUP, WARMUP_STREAM);
    const runs: BenchRun[] = [];
    // The run number is in the name so a repeated n never reopens an earlier run's store.
    for (const [i, n] of ns.entries()) runs.push(await benchVectors({ n, space, queryVectors, warmup, directory: join(root, `store-${i}-n${n}`), progress }));
    const text = await benchText(textMemories, seed, join(root, 'text'), progress);
    const processors = cpus();
    return {
      dim,
      queries,
      seed,
      machine: { cpus: processors.length, node: process.version, cpuModel: processors[0]?.model.trim() ?? 'unknown', totalMemoryMb: Math.round(totalmem() / 2 ** 20), gcExposed: isGcExposed() },
      runs,
      text,
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

interface VectorRunInput {
  n: number;
  space: VectorSpace;
  queryVectors: Float32Array[];
  warmup: Float32Array[];
  directory: string;
  progress: Progress;
}

/** The store runs first and is closed before the exact index is built, so their memory never overlaps. */
async function benchVectors(input: VectorRunInput): Promise<BenchRun> {
  const neuromem = await benchStore(input);
  const exact = await benchExact(input);
  const { outputs, ingestPerSec, search, filteredSearch, ...rest } = neuromem;
  const recallAt10 = meanRecall(outputs.ann, exact.truth);
  const filteredRecallAt10 = meanRecall(outputs.filtered, exact.truth);
  return { n: input.n, neuromem: { ingestPerSec, search, filteredSearch, recallAt10, filteredRecallAt10, ...rest }, exact: exact.run };
}

async function benchStore({ n, space, queryVectors, warmup, directory, progress }: VectorRunInput) {
  // The bench measures the HNSW index itself, so it is read on open (the default opens it on first use).
  const options = { path: directory, vectorScales: { turn: space.dimensions }, loadIndexes: 'on-open' as const };
  const rssBefore = residentMb();
  const jsBefore = jsMemoryMb();
  const store = await createSqliteStore(options);
  try {
    let ingestMs = 0;
    let stored = 0;
    for (const batch of space.batches(n, { batchSize: BATCH, stream: CORPUS_STREAM })) {
      const items = batch.map((vector, j) => ({ id: `v${stored + j}`, text: `synthetic memory ${stored + j}`, scope: SCOPE, vectors: { turn: vector } }));
      const started = performance.now();
      await store.put(items);
      ingestMs += performance.now() - started;
      stored += batch.length;
      progress(`n=${n} neuromem ingest`, stored, n);
    }
    const rssMb = residentMb();
    const jsDeltaMb = jsMemoryMb() - jsBefore;
    const search = (filter: MemoryFilter | undefined) => async (vector: Float32Array) =>
      (await store.searchVectors({ scale: 'turn', vector, k: K, ...(filter ? { filter } : {}) })).map((hit) => Number(hit.record.id.slice(1)));
    const timeSearches = async (filter: MemoryFilter | undefined, phase: string) => {
      for (const vector of warmup) await search(filter)(vector);
      return timeEach(queryVectors, search(filter), (done) => progress(`n=${n} ${phase}`, done, queryVectors.length));
    };
    const ann = await timeSearches(undefined, 'neuromem search');
    const filtered = await timeSearches({ scope: SCOPE }, 'neuromem filtered search');
    await store.close(); // flushes the usearch snapshot, so the reopen below can load it

    const started = performance.now();
    const reopened = await createSqliteStore(options);
    const reopenMs = performance.now() - started;
    const { bytesOnDisk } = await reopened.stats();
    await reopened.close();
    return {
      ingestPerSec: (n / ingestMs) * 1000,
      search: ann.latency,
      filteredSearch: filtered.latency,
      rssMb,
      rssDeltaMb: rssMb - rssBefore,
      jsDeltaMb,
      bytesPerMemory: bytesOnDisk / n,
      reopenMs,
      reopen: reopened.openReport.vectorIndexes.turn ?? ('missing' as const),
      outputs: { ann: ann.outputs, filtered: filtered.outputs },
    };
  } finally {
    await store.close(); // idempotent; releases the directory lock if a step above threw
  }
}

async function benchExact({ n, space, queryVectors, warmup, progress }: VectorRunInput) {
  const jsBefore = jsMemoryMb();
  const exact = await createExactIndex({ dimensions: space.dimensions });
  try {
    let ingestMs = 0;
    let added = 0;
    // The same seed and stream regenerate the same corpus, so the process never holds it twice.
    for (const batch of space.batches(n, { batchSize: BATCH, stream: CORPUS_STREAM })) {
      const keys = batch.map((_, j) => added + j);
      const started = performance.now();
      await exact.add(keys, batch);
      ingestMs += performance.now() - started;
      added += batch.length;
      progress(`n=${n} exact ingest`, added, n);
    }
    const rssMb = residentMb();
    const jsDeltaMb = jsMemoryMb() - jsBefore;
    const search = async (vector: Float32Array) => (await exact.search(vector, K)).map((match) => match.key);
    for (const vector of warmup) await search(vector);
    const timed = await timeEach(queryVectors, search, (done) => progress(`n=${n} exact search`, done, queryVectors.length));
    return { run: { ingestPerSec: (n / ingestMs) * 1000, search: timed.latency, rssMb, jsDeltaMb }, truth: timed.outputs };
  } finally {
    await exact.close();
  }
}

const SESSION_TURNS = 20;

/** One `add()` per memory, a new session (runId) every 20, as a chat app would feed it. */
async function benchText(count: number, seed: number, directory: string, progress: Progress): Promise<BenchReport['text']> {
  const memory = await createMemory({ path: directory });
  try {
    const sentences = syntheticSentences(count, seed);
    let addMs = 0;
    for (const [i, sentence] of sentences.entries()) {
      const started = performance.now();
      await memory.add(sentence, { userId: 'bench-text', runId: `run-${Math.floor(i / SESSION_TURNS)}` });
      addMs += performance.now() - started;
      progress('text add', i + 1, count);
    }
    for (const question of syntheticQuestions(WARMUP, seed + 2)) await memory.search(question, { userId: 'bench-text' });
    const questions = syntheticQuestions(TEXT_SEARCHES, seed + 1);
    const timed = await timeEach(
      questions,
      (question) => memory.search(question, { userId: 'bench-text' }),
      (done) => progress('text search', done, TEXT_SEARCHES),
    );
    return {
      memories: count,
      addPerSec: (count / addMs) * 1000,
      batchedAddPerSec: await benchBatchedAdds(sentences, `${directory}-batched`, progress),
      searches: TEXT_SEARCHES,
      search: timed.latency,
    };
  } finally {
    await memory.close();
  }
}

/** The same sentences, one `add()` per session of 20 messages (importing a chat log, or a turn batch). */
async function benchBatchedAdds(sentences: readonly string[], directory: string, progress: Progress): Promise<number> {
  const memory = await createMemory({ path: directory });
  try {
    let addMs = 0;
    for (let i = 0; i < sentences.length; i += SESSION_TURNS) {
      const session = sentences.slice(i, i + SESSION_TURNS).map((content) => ({ role: 'user', content }));
      const started = performance.now();
      await memory.add(session, { userId: 'bench-text', runId: `run-${i / SESSION_TURNS}` });
      addMs += performance.now() - started;
      progress('text add, batched', Math.min(sentences.length, i + SESSION_TURNS), sentences.length);
    }
    return (sentences.length / addMs) * 1000;
  } finally {
    await memory.close();
  }
}

import { performance } from 'node:perf_hooks';
import { createErrorFactory } from '@neuromem/core';
import { createMemory, type Memory as AnyMemory, type SqliteMemoryStore } from 'neuromem';

/** The embedded default, whose store reports how it opened. */
type Memory = AnyMemory<SqliteMemoryStore>;
import { summarize, timeEach, type Latency } from '../bench/bench-measure';
import { exactTopK, packVectors, type Bm25Reference } from './scale-references';
import { diskUsage, processMemoryMb, timeEachSync } from './scale-measures';
import { measureUnscoped } from './measure-unscoped';
import type { ScaleCheckpoint, VisitLatency } from './scale-report';
import { PROBE_USER, type ScaleQuery, type ScaleWorkload } from './scale-workload';

const fail = createErrorFactory('eval');
const K = 10;
/** Untimed searches before the timed ones, so JIT and cold caches do not land in the tail. */
const WARMUP = 10;

export interface CheckpointInput {
  /** Open on `path`; closed and reopened here. */
  memory: Memory;
  path: string;
  /** The store's commits, as the run opened it. */
  durability: 'full' | 'normal';
  workload: ScaleWorkload;
  bm25: Bm25Reference;
  queries: number;
  peakRssMb: () => number;
  progress: (phase: string, done: number, total: number) => void;
  /** What the runner measured on the way to this checkpoint. */
  reached: Pick<ScaleCheckpoint, 'memories' | 'ingest' | 'add' | 'addIndexedMeanMs'>;
}

/**
 * Every measure of one checkpoint, one after another with nothing else running. Returns the
 * reopened memory, which the run keeps growing.
 */
export async function measureCheckpoint(input: CheckpointInput): Promise<{ checkpoint: ScaleCheckpoint; memory: Memory }> {
  const { path, workload, bm25, reached } = input;
  let memory = input.memory;
  const label = reached.memories.toLocaleString('en-US');
  const phase = (name: string) => (done: number) => input.progress(`${label}: ${name}`, done, input.queries);
  const queries = workload.queries(input.queries);

  const warmup = workload.queries(WARMUP, 'warmup');
  for (const { userId, text } of warmup) await memory.search(text, { userId, limit: K });
  const search = await timeEach(queries, ({ userId, text }) => memory.search(text, { userId, limit: K }), phase('search'));
  const searchByVisit = splitByVisit(queries, search.samplesMs, new Set(warmup.map((query) => query.userId)));
  const searchAgain = await timeEach(queries, ({ userId, text }) => memory.search(text, { userId, limit: K }), phase('search again'));
  const probeSearch = await timeEach(queries, ({ text }) => memory.search(text, { userId: PROBE_USER, limit: K }), phase('probe search'));
  const embedded = await timeEach(queries, async ({ text }) => turnVector(await memory.embedder.embedQuery(text)), phase('query embedding'));
  const bm25Latency = timeEachSync(queries, ({ text, userId }) => bm25.search(text, userId));
  const plain = await plainVectorReference(memory, queries, embedded.outputs);

  await memory.close();
  // Owner-scoped searches never open the HNSW indexes; the first unscoped search would, so that load
  // (and its catch-up on everything ingested since it was last open) and the unscoped searches run
  // in a process of their own, whose peak RSS is its own.
  const unscoped = await measureUnscoped({
    path,
    durability: input.durability,
    vectors: embedded.outputs,
    texts: queries.map((query) => query.text),
    onProgress: (name, done) => input.progress(`${label}: ${name}`, done, name === 'index load' ? 1 : input.queries),
  });
  const disk = diskUsage(path);
  let started = performance.now();
  memory = await createMemory({ path, durability: input.durability });
  const openMs = performance.now() - started;
  started = performance.now();
  await memory.search(queries[0]!.text, { userId: queries[0]!.userId, limit: K });
  const firstSearchMs = performance.now() - started;
  const stats = await memory.store.stats();
  const { rssMb, heapUsedMb } = processMemoryMb();

  return {
    memory,
    checkpoint: {
      ...reached,
      users: workload.activeUsers + 1,
      sessions: workload.sessions,
      search: search.latency,
      searchAgain: searchAgain.latency,
      searchByVisit,
      probeSearch: probeSearch.latency,
      queryEmbed: embedded.latency,
      unscoped,
      references: { bm25: bm25Latency, ...plain },
      // A copy: the live report changes when an index opens later.
      reopen: { openMs, firstSearchMs, totalMs: openMs + firstSearchMs, openReport: structuredClone(memory.store.openReport) },
      disk: { ...disk, bytesPerMemory: disk.bytes / reached.memories },
      process: { rssMb, heapUsedMb, peakRssMb: input.peakRssMb() },
      stats,
    },
  };
}

/**
 * A per-user vector index without any engine: each queried user's turn vectors are read once
 * (untimed), then only the exact scan for each of that user's queries is timed. One user's vectors
 * are held at a time, so the reference's own memory stays small at any store size.
 */
async function plainVectorReference(memory: Memory, queries: readonly ScaleQuery[], vectors: readonly Float32Array[]): Promise<{ plainVector: Latency; meanUserMemories: number }> {
  const byUser = new Map<string, number[]>();
  queries.forEach(({ userId }, i) => byUser.set(userId, [...(byUser.get(userId) ?? []), i]));
  const samples: number[] = [];
  let scanned = 0;
  for (const [userId, indexes] of byUser) {
    const ids = (await memory.getAll({ userId })).results.map((item) => item.id);
    const packed = packVectors(await memory.store.vectors(ids, 'turn', { scope: { userId } }));
    for (const i of indexes) {
      const started = performance.now();
      exactTopK(packed, vectors[i]!, K);
      samples.push(performance.now() - started);
      scanned += packed.ids.length;
    }
  }
  return { plainVector: summarize(samples), meanUserMemories: scanned / queries.length };
}

/** Each search's time, as its user's first search (not among `visited` nor earlier in the list) or a later one. */
export function splitByVisit(queries: readonly ScaleQuery[], samplesMs: readonly number[], visited: ReadonlySet<string>): { first: VisitLatency; later: VisitLatency } {
  const seen = new Set(visited);
  const first: number[] = [];
  const later: number[] = [];
  queries.forEach(({ userId }, i) => {
    (seen.has(userId) ? later : first).push(samplesMs[i]!);
    seen.add(userId);
  });
  return { first: { ...summarize(first), n: first.length }, later: { ...summarize(later), n: later.length } };
}

function turnVector(embedding: Awaited<ReturnType<Memory['embedder']['embedQuery']>>): Float32Array {
  const vector = embedding.vectors.turn;
  if (!vector) throw fail('UNSUPPORTED', "scale needs an embedder with a turn scale; the memory's embedder gave no turn vector for a query.");
  return vector;
}

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createMemory, type Memory, type SqliteMemoryStore } from 'neuromem';
import { summarize } from '../bench/bench-measure';
import { measureCheckpoint } from './measure-checkpoint';
import { runLongSession } from './long-session';
import { createBm25Reference, type Bm25Reference } from './scale-references';
import { createPeakRss, currentCommit, machineInfo } from './scale-measures';
import { resolveScaleOptions, type ScaleOptions } from './scale-options';
import type { ScaleCheckpoint, ScaleReport } from './scale-report';
import { createScaleWorkload, PROBE_USER, type ScaleSession } from './scale-workload';

export type { ScaleOptions } from './scale-options';
export type { LongSessionResult, ScaleCheckpoint, ScaleReport } from './scale-report';
export { formatScaleTable } from './format-scale-table';

/** Time of a read that indexes every add acknowledged so far (every read of a memory waits for them). */
async function indexPending(memory: Memory): Promise<number> {
  const started = performance.now();
  await memory.store.count({ scope: { userId: PROBE_USER } });
  return performance.now() - started;
}

/** The long-session run draws its text from its own stream, so it never changes the main workload. */
const LONG_SESSION_SEED_OFFSET = 1_000_003;

/**
 * Grows one store to each checkpoint size with a seeded multi-user chat workload and measures, at
 * each, search for random users and for a probe user that never grows, single and batched adds,
 * store-level searches, a BM25 and a plain vector reference over the same turns, reopen, disk and
 * memory. Reports numbers and never judges them.
 */
export async function runScale(options: ScaleOptions): Promise<ScaleReport> {
  const o = resolveScaleOptions(options);
  const progress = (phase: string, done: number, total: number) => o.onProgress?.({ phase, done, total });
  const startedAt = new Date();
  const started = performance.now();
  const parent = o.directory ?? tmpdir();
  mkdirSync(parent, { recursive: true });
  const root = mkdtempSync(join(parent, 'neuromem-scale-'));
  const path = join(root, 'memory');
  const peak = createPeakRss();
  const workload = createScaleWorkload({ seed: o.seed, users: o.users, sessionTurns: o.sessionTurns });
  let memory: Memory<SqliteMemoryStore> | undefined;
  let bm25: Bm25Reference | undefined;
  try {
    memory = await createMemory({ path, durability: o.durability });
    bm25 = createBm25Reference(join(root, 'bm25.sqlite'));
    let total = 0;
    /** Adds a session with one `add()` call; returns the time of that call alone. */
    const ingest = async (session: ScaleSession): Promise<number> => {
      const messages = session.turns.map(({ content, timestamp }) => ({ role: 'user', content, timestamp }));
      const startedAdd = performance.now();
      await memory!.add(messages, { userId: session.userId, runId: session.runId });
      const ms = performance.now() - startedAdd;
      bm25!.add(
        session.userId,
        messages.map((message) => message.content),
      );
      total += messages.length;
      peak.sample();
      return ms;
    };

    const checkpoints: ScaleCheckpoint[] = [];
    const report = (measured: ScaleCheckpoint[]): ScaleReport => ({
      options: {
        sizes: o.sizes,
        users: o.users,
        sessionTurns: o.sessionTurns,
        probeMemories: o.probeMemories,
        queries: o.queries,
        adds: o.adds,
        seed: o.seed,
        longSession: o.longSession,
        durability: o.durability,
      },
      machine: machineInfo(),
      commit: currentCommit(),
      startedAt: startedAt.toISOString(),
      durationMs: performance.now() - started,
      checkpoints: [...measured],
      peakRssMb: peak.mb(),
      ...(o.keep ? { directory: root } : {}),
    });
    let segment = { turns: 0, ms: 0 };
    for (const session of workload.probeSessions(o.probeMemories)) {
      segment.ms += await ingest(session);
      segment.turns += session.turns.length;
      progress('probe user: ingest', segment.turns, o.probeMemories);
    }
    for (const size of o.sizes) {
      const label = size.toLocaleString('en-US');
      const batchedTarget = size - o.adds;
      const from = total;
      while (total < batchedTarget) {
        const session = workload.nextSession(batchedTarget - total);
        segment.ms += await ingest(session);
        segment.turns += session.turns.length;
        progress(`${label}: ingest`, total - from, batchedTarget - from);
      }
      // Adds acknowledged before they are indexed (write-behind) count as ingested once a read has indexed them.
      segment.ms += await indexPending(memory);
      const addSamples: number[] = [];
      for (let i = 0; i < o.adds; i++) {
        addSamples.push(await ingest(workload.continuation()));
        progress(`${label}: single adds`, i + 1, o.adds);
      }
      const addIndexedMeanMs = (addSamples.reduce((sum, ms) => sum + ms, 0) + (await indexPending(memory))) / Math.max(1, addSamples.length);
      const measured = await measureCheckpoint({
        memory,
        path,
        durability: o.durability,
        workload,
        bm25,
        queries: o.queries,
        peakRssMb: peak.mb,
        progress,
        reached: { memories: total, ingest: { ...segment, turnsPerSec: (segment.turns / segment.ms) * 1000 }, add: summarize(addSamples), addIndexedMeanMs },
      });
      memory = measured.memory;
      checkpoints.push(measured.checkpoint);
      segment = { turns: 0, ms: 0 };
      o.onCheckpoint?.(report(checkpoints));
    }
    await memory.close();

    const longSession =
      o.longSession > 0
        ? await runLongSession({
            turns: o.longSession,
            directory: join(root, 'long-session'),
            durability: o.durability,
            workload: createScaleWorkload({ seed: o.seed + LONG_SESSION_SEED_OFFSET, users: 1, sessionTurns: o.longSession }),
            onProgress: (done) => progress('long session: single adds', done, o.longSession),
          })
        : undefined;

    return { ...report(checkpoints), ...(longSession ? { longSession } : {}) };
  } finally {
    await memory?.close(); // idempotent; releases the directory lock when a step above threw
    bm25?.close();
    if (!o.keep) rmSync(root, { recursive: true, force: true });
  }
}

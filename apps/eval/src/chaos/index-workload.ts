import { createRandom, randomUnitVectors } from '@neuromem/core/testing';
import { createSqliteStore, type SqliteMemoryStore } from '@neuromem/store';
import { createMemory } from 'neuromem';
import type { ChaosCheck, ChaosCheckResult } from './chaos-check';
import { createStallSampler } from './stall-sampler';

const DIMENSIONS = 64;
const CHECK_EVERY = 1_000;
const WARM_UP = 100;

/**
 * The randomized add / replace / remove workload of issue 12: single and batched puts (each moving
 * its session's vector to a new key), updates with new vectors, deletes, purges, snapshots and
 * reopens, with an index-vs-SQLite check after every 1,000 operations. The event-loop delay is
 * sampled throughout: index work must never stall the process for long. Commits skip the per-write
 * fsync (`durability: 'normal'`), so the delay measured is the store's own work, not the disk's.
 */
export const runIndexWorkload: ChaosCheck = (options) => runIndexWorkloadOf({ ...options, operations: options.quick ? 10_000 : 100_000, facadeAdds: options.quick ? 600 : 3_000 });

export async function runIndexWorkloadOf({ operations, facadeAdds, seed, workDir, onProgress }: Parameters<ChaosCheck>[0] & { operations: number; facadeAdds: number }): Promise<ChaosCheckResult> {
  const random = createRandom(seed);
  const vector = (() => {
    let n = 0;
    return () => randomUnitVectors(1, DIMENSIONS, seed * 1_000_003 + n++)[0]!;
  })();
  const open = () => createSqliteStore({ path: workDir, vectorScales: { turn: DIMENSIONS, session: DIMENSIONS }, flushEvery: 2_000, durability: 'normal' });
  const failures: string[] = [];
  let disagreements = 0;
  let checks = 0;
  let rebuilds = 0;
  const live: string[] = [];
  const delay = createStallSampler();
  let stalls: ReturnType<typeof delay.stop> | undefined;
  let store: SqliteMemoryStore = await open();
  const started = performance.now();
  try {
    for (let op = 1; op <= operations; op++) {
      // The first writes load the entity model and warm the JIT: not index maintenance, not sampled.
      if (op === WARM_UP + 1) delay.resume();
      const roll = random();
      const session = `s${Math.floor(random() * 40)}`;
      const item = () => ({ text: `op ${op} note ${Math.floor(random() * 1e6)}`, scope: { userId: `u${Math.floor(random() * 5)}`, sessionId: session }, vectors: { turn: vector() } });
      if (roll < 0.45 || live.length < 10) {
        const batch = roll < 0.35 ? [item()] : Array.from({ length: 2 + Math.floor(random() * 4) }, item);
        const written = await store.put(batch.map((memory, i) => (i === batch.length - 1 ? { ...memory, sessionVector: vector() } : memory)));
        live.push(...written.map((record) => record.id));
      } else if (roll < 0.7) {
        const id = live[Math.floor(random() * live.length)]!;
        await store.update(id, { text: `replaced at op ${op}`, vectors: { turn: vector() } });
      } else if (roll < 0.95) {
        const [id] = live.splice(Math.floor(random() * live.length), 1);
        await store.delete(id!);
      } else {
        const [id] = live.splice(Math.floor(random() * live.length), 1);
        await store.purge(id!);
      }
      // Operations arrive as separate events, as requests to a server do; the delay histogram then
      // measures the longest stretch any one of them (or the index work it caused) held the loop.
      await new Promise<void>((resolve) => setImmediate(resolve));
      // Reopening and the harness's own checks are not index maintenance: the delay is not sampled there.
      if (op % 25_000 === 0) {
        delay.pause();
        rebuilds += store.repairs.length;
        await store.close();
        store = await open();
        delay.resume();
      }
      if (op % CHECK_EVERY === 0) {
        checks++;
        delay.pause();
        const problems = await store.verifyIndexes();
        delay.resume();
        if (problems.length > 0) {
          disagreements++;
          if (failures.length < 5) failures.push(`seed ${seed}, after op ${op}: ${problems.join('; ')}`);
        }
        onProgress?.(op, operations);
      }
    }
  } finally {
    stalls = delay.stop();
    rebuilds += store.repairs.length;
    await store.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const { p99: stallP99, max: stallMax } = stalls!;
  const facade = await runSessionReproduction({ adds: facadeAdds, seed, workDir: `${workDir}-facade` });
  const result: ChaosCheckResult = {
    rows: [
      {
        check: `index workload: ${operations.toLocaleString('en')} random add/replace/remove ops`,
        runs: checks,
        failures: disagreements,
        detail: `${(operations / seconds).toFixed(0)} ops/s; event-loop stall p99 ${stallP99.toFixed(1)} ms, max ${stallMax.toFixed(1)} ms; ${rebuilds} runtime rebuilds`,
      },
      facade.row,
    ],
    failures: [...failures, ...facade.failures],
    figures: { indexOperations: operations, indexChecks: checks, indexDisagreements: disagreements, indexRebuilds: rebuilds, eventLoopDelayP99Ms: stallP99, eventLoopDelayMaxMs: stallMax },
  };
  return result;
}

/**
 * The first reproduction of the hang, through the public API: adds where one in ten carries a
 * `runId`, so the session vector moves to a new key on every such add (it hung near add 1,900).
 */
async function runSessionReproduction({ adds, seed, workDir }: { adds: number; seed: number; workDir: string }) {
  const random = createRandom(seed + 1);
  const memory = await createMemory({ path: workDir });
  const failures: string[] = [];
  try {
    for (let i = 0; i < adds; i++) {
      const runId = random() < 0.1 ? { runId: `run-${Math.floor(random() * 30)}` } : {};
      await memory.add(`note ${i}: the ${['red', 'blue', 'green'][i % 3]} kite flew over hill ${i % 17}`, { userId: `user-${i % 7}`, ...runId });
    }
    const problems = await memory.store.verifyIndexes();
    if (problems.length > 0) failures.push(`facade reproduction, seed ${seed}: ${problems.join('; ')}`);
  } finally {
    await memory.close();
  }
  return {
    row: { check: `earlier reproduction: ${adds.toLocaleString('en')} adds, 1 in 10 with a runId`, runs: adds, failures: failures.length, detail: 'no hang; index agrees with SQLite' },
    failures,
  };
}

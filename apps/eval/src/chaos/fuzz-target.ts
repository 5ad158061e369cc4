import { createManualClock, type Compressor } from '@neuromem/core';
import { createCompressor } from '@neuromem/compression';
import { createLinearScaleHeads, DEFAULT_HEADS_DIRECTORY, type ScaleHeads } from '@neuromem/embeddings';
import { createMemory, type AddOptions, type Memory } from 'neuromem';

const T0 = Date.UTC(2023, 4, 8, 13, 56);
const DAY = 86_400_000;

/** Loaded once per run: creating a memory with them takes milliseconds, so each case can afford a fresh one. */
export interface SharedModels {
  heads: ScaleHeads;
  compressor: Compressor;
}

export async function loadSharedModels(): Promise<SharedModels> {
  return { heads: await createLinearScaleHeads({ directory: DEFAULT_HEADS_DIRECTORY }), compressor: createCompressor() };
}

/** What a memory holds, in two parts: the memories, their histories and counts; and their access counters. */
export interface Digest {
  data: string;
  access: string;
}

/**
 * A memory under fuzzing with a known starting state: five memories of three users (two sessions,
 * an agent, metadata, a semantic one), one of them updated and one deleted, so history, tombstones
 * and scopes all have something to show. `ids` are the seeded ids, deleted one included.
 */
export interface FuzzTarget {
  /** The memory calls go to (possibly wrapped, to show that the check catches a faulty one). */
  memory: Memory;
  /** On disk: what it holds must survive close() and reopening. */
  readonly persistent: boolean;
  ids: string[];
  /** The digest right after seeding. */
  seeded: Digest;
  /** The digest before the next case. */
  current: Digest;
  digest(): Promise<Digest>;
  /** Back to the seeded state (new ids). */
  reseed(): Promise<void>;
  /** After `close()` (or a hang): a new memory; on disk the same directory, whose contents must have survived. */
  reopen(): Promise<void>;
  close(): Promise<void>;
}

const SEEDS: Array<[string, AddOptions]> = [
  ['I adopted a beagle named Biscuit', { userId: 'alice', runId: 'r1', timestamp: T0 }],
  ['The wedding is on 14 September in Lisbon', { userId: 'alice', runId: 'r1', timestamp: T0 + 3_600_000 }],
  ['We went hiking in the Alps', { userId: 'alice', agentId: 'coach', timestamp: T0 + DAY, metadata: { topic: 'travel', n: 3 } }],
  ['My sister sold her piano', { userId: 'bob', runId: 'r2', timestamp: T0 + 2 * DAY, kind: 'semantic' }],
  ['I lost my passport in Oslo', { userId: 'carol', timestamp: T0 + 3 * DAY, importance: 0.9 }],
  ['This memory was deleted', { userId: 'bob', timestamp: T0 + 4 * DAY }],
];

export async function createFuzzTarget(options: { models: SharedModels; path?: string; wrap?: (memory: Memory) => Memory }): Promise<FuzzTarget> {
  const open = () =>
    createMemory({ heads: options.models.heads, compressor: options.models.compressor, clock: createManualClock(T0 + 10 * DAY, { tick: 1_000 }), ...(options.path ? { path: options.path } : {}) });
  let raw = await open();

  const digest = async (): Promise<Digest> => {
    const { store } = raw;
    const records = await store.list({ order: 'eventTime-asc' });
    const histories = await Promise.all(target.ids.map((id) => store.history(id)));
    const { bytesOnDisk: _bytes, ...stats } = await store.stats();
    return {
      data: JSON.stringify([records.map(({ accessCount: _count, lastAccessedAt: _at, ...rest }) => rest), histories, await store.count(), stats]),
      access: JSON.stringify(records.map((record) => [record.id, record.accessCount, record.lastAccessedAt])),
    };
  };

  const seed = async () => {
    const ids: string[] = [];
    for (const [text, addOptions] of SEEDS) ids.push((await raw.add(text, addOptions)).results[0]!.id);
    await raw.update(ids[1]!, 'The wedding moved to 21 September in Lisbon');
    await raw.delete(ids[5]!);
    target.ids = ids;
    target.seeded = target.current = await digest();
  };

  const target: FuzzTarget = {
    memory: options.wrap ? options.wrap(raw) : raw,
    persistent: options.path !== undefined,
    ids: [],
    seeded: { data: '', access: '' },
    current: { data: '', access: '' },
    digest,
    async reseed() {
      await raw.reset();
      await seed();
    },
    async reopen() {
      await raw.close().catch(() => undefined);
      raw = await open();
      target.memory = options.wrap ? options.wrap(raw) : raw;
      // In memory there is nothing to come back to; on disk the memories must have survived the close.
      if (!options.path) await seed();
    },
    close: () => raw.close(),
  };
  if ((await raw.store.count()) === 0) await seed();
  else target.seeded = target.current = await digest();
  return target;
}

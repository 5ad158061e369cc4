import type { Database } from 'better-sqlite3';
import type { Scale, VectorIndex } from '@neuromem/core';
import { createDerivedVectorIndex, type DerivedVectorIndex, type OpenedIndex, type VectorIndexFactory } from './derived-vector-index';
import { createMemoryGraph } from './memory-graph';
import { removeLeftoverTempFiles } from './remove-leftover-temp-files';
import type { StoreReads } from './store-reads';
import type { DerivedChanges } from './write-operations';

/** How the store found its derived indexes on open. */
export interface OpenReport {
  vectorIndexes: Partial<Record<Scale, OpenedIndex['recovery']>>;
  /** What was repaired on open, in words: rebuilt indexes and why, leftover temporary files removed. Empty when nothing was. */
  repairs: string[];
  /** Set when SQLite's `quick_check` ran on open (see `integrityCheck`): how long it took, in ms. It passed, or the open was refused. */
  integrityCheckMs?: number;
}

/**
 * Everything the store derives from SQLite: one vector index per ANN scale, and the graph's cache of
 * neighbourhoods (the graph itself is read from SQLite on demand, so nothing is loaded for it on
 * open). Opened (loaded, caught up or rebuilt) from the database, kept in step after each commit,
 * saved every `flushEvery` vector changes, verified and rebuilt on demand.
 */
export async function openDerivedIndexes(options: {
  db: Database;
  reads: StoreReads;
  vectorScales: Partial<Record<Scale, number>>;
  directory: string | undefined;
  instanceId: string;
  createIndex: VectorIndexFactory;
  flushEvery: number;
  report: OpenReport;
}) {
  const { db, reads, directory, instanceId, createIndex, flushEvery, report } = options;
  const graph = createMemoryGraph(db);
  const managers = new Map<Scale, DerivedVectorIndex>();
  const indexes = new Map<Scale, VectorIndex>();
  /** Scales whose index differs from the snapshot on disk; only these are saved again. */
  const unsaved = new Set<Scale>();
  /** Repairs made while open (an index that drifted or failed verification), oldest first. */
  const repairs: string[] = [];
  let changesSinceFlush = 0;

  for (const [scale, dimensions] of Object.entries(options.vectorScales) as Array<[Scale, number]>) {
    if (scale === 'token') continue; // token vectors are re-ranking material, not an ANN index
    const manager = createDerivedVectorIndex({ db, scale, dimensions, directory, instanceId, createIndex });
    const opened = await manager.open();
    managers.set(scale, manager);
    indexes.set(scale, opened.index);
    report.vectorIndexes[scale] = opened.recovery;
    if (opened.recovery !== 'loaded') unsaved.add(scale);
    if (opened.reason) report.repairs.push(`${scale} vector index rebuilt from SQLite: ${opened.reason}`);
    if (opened.completedSave) report.repairs.push(`${scale} vector index: put in place the snapshot whose save a crash interrupted (it matched its recorded checksum)`);
  }
  // After the indexes opened: one of them may have put a saved file that was never renamed in place.
  if (directory !== undefined) {
    const leftovers = removeLeftoverTempFiles(directory);
    if (leftovers.length > 0) report.repairs.push(`removed ${leftovers.length} temporary file(s) left by an interrupted save: ${leftovers.join(', ')}`);
  }

  /** Replaces a scale's index by one rebuilt from SQLite; searches keep the old one until it is ready. */
  async function rebuildIndex(scale: Scale, why: string): Promise<void> {
    indexes.set(scale, await managers.get(scale)!.rebuild());
    unsaved.add(scale);
    repairs.push(`${scale} vector index rebuilt from SQLite: ${why}`);
  }

  async function flush(): Promise<void> {
    for (const [scale, manager] of managers) {
      if (!unsaved.has(scale)) continue; // a clean close does not rewrite (and re-hash) an unchanged file
      await manager.flush(indexes.get(scale)!);
      unsaved.delete(scale);
    }
    changesSinceFlush = 0;
  }

  return {
    graph,
    repairs,
    index: (scale: Scale): VectorIndex | undefined => indexes.get(scale),
    scales: (): Scale[] => [...indexes.keys()],

    /**
     * Replays a committed write. The write is already durable, so an index that fails here is
     * rebuilt from SQLite instead of failing the caller's acknowledged write.
     */
    async apply(changes: DerivedChanges): Promise<void> {
      // First, before any await: a search running meanwhile must not read a stale neighbourhood.
      graph.invalidate(changes);
      reads.followVectorChanges(changes.vectorAdds, changes.vectorRemovals);
      for (const [scale, index] of indexes) {
        try {
          const removed = changes.vectorRemovals.filter((r) => r.scale === scale).map((r) => r.key);
          if (removed.length > 0) await index.remove(removed);
          const added = changes.vectorAdds.filter((a) => a.scale === scale);
          if (added.length > 0) await index.add(added.map((a) => a.key), added.map((a) => a.vector));
          if (removed.length > 0 || added.length > 0) unsaved.add(scale);
        } catch (error) {
          await rebuildIndex(scale, (error as Error).message);
        }
      }
      changesSinceFlush += changes.vectorAdds.length + changes.vectorRemovals.length;
      // A snapshot that cannot be saved now (full disk) is tried again after another flushEvery
      // changes, and close() reports it.
      if (changesSinceFlush >= flushEvery) await flush().catch(() => (changesSinceFlush = 0));
    },

    flush,

    /** The disagreements with SQLite found; whatever disagreed is rebuilt before this resolves. */
    async verify(): Promise<string[]> {
      const problems: string[] = [];
      for (const [scale, manager] of managers) {
        const found = await manager.verify(indexes.get(scale)!);
        if (found.length > 0) await rebuildIndex(scale, found.join('; '));
        problems.push(...found);
      }
      const graphProblems = reads.repairEdgeLiveness();
      graph.clear();
      reads.forgetSegments();
      return [...problems, ...graphProblems];
    },

    /** After the tables were cleared: empty indexes and graph. */
    async reset(): Promise<void> {
      graph.clear();
      for (const [scale, manager] of managers) {
        await indexes.get(scale)!.close();
        indexes.set(scale, await manager.rebuild());
        unsaved.add(scale);
      }
      changesSinceFlush = 0;
    },

    async close(): Promise<void> {
      for (const index of indexes.values()) await index.close();
    },
  };
}

export type DerivedIndexes = Awaited<ReturnType<typeof openDerivedIndexes>>;

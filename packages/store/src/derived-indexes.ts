import type { Database } from 'better-sqlite3';
import type { Scale, VectorIndex } from '@neuromem/core';
import { createDerivedVectorIndex, type DerivedVectorIndex, type OpenedIndex, type VectorIndexFactory } from './derived-vector-index';
import { createMemoryGraph } from './memory-graph';
import { removeLeftoverTempFiles } from './remove-leftover-temp-files';
import type { StoreReads } from './store-reads';
import type { DerivedChanges } from './write-operations';

/** How the store found its derived indexes: `deferred` until an index is first needed (then how it loaded). */
export interface OpenReport {
  vectorIndexes: Partial<Record<Scale, OpenedIndex['recovery'] | 'deferred'>>;
  /** What was repaired, in words: rebuilt indexes and why, leftover temporary files removed. Empty when nothing was. */
  repairs: string[];
  /** Set when SQLite's `quick_check` ran on open (see `integrityCheck`): how long it took, in ms. It passed, or the open was refused. */
  integrityCheckMs?: number;
}

/**
 * Everything the store derives from SQLite: one vector index per ANN scale, and the graph's cache of
 * neighbourhoods (the graph itself is read from SQLite on demand). With `loadIndexes: 'on-demand'` a
 * vector index is opened (loaded, caught up or rebuilt from the database) the first time a search
 * needs it: owner-scoped searches scan owner segments and never do, so a large memory opens without
 * reading its index files. Loaded indexes are kept in step after each commit, saved every
 * `flushEvery` vector changes, verified and rebuilt on demand; an index not loaded catches up from
 * SQLite when it loads, as after a restart.
 */
export async function openDerivedIndexes(options: {
  db: Database;
  reads: StoreReads;
  vectorScales: Partial<Record<Scale, number>>;
  directory: string | undefined;
  instanceId: string;
  createIndex: VectorIndexFactory;
  flushEvery: number;
  loadIndexes: 'on-open' | 'on-demand';
  report: OpenReport;
  /** Another process owns the directory: load what is safe, rebuild in memory, write nothing. */
  readOnly?: boolean;
}) {
  const { db, reads, directory, instanceId, createIndex, flushEvery, report } = options;
  const readOnly = options.readOnly === true;
  const graph = createMemoryGraph(db);
  const managers = new Map<Scale, DerivedVectorIndex>();
  const indexes = new Map<Scale, VectorIndex>();
  /** Indexes being opened, with the commits replayed meanwhile (applied once they are open). */
  const loading = new Map<Scale, { ready: Promise<VectorIndex>; missed: DerivedChanges[] }>();
  /** Scales whose index differs from the snapshot on disk; only these are saved again. */
  const unsaved = new Set<Scale>();
  /** Repairs made while open (an index that drifted or failed verification), oldest first. */
  const repairs: string[] = [];
  let changesSinceFlush = 0;
  /** Bumped when a read-only store's indexes go stale: an open begun before then is not kept. */
  let generation = 0;

  for (const [scale, dimensions] of Object.entries(options.vectorScales) as Array<[Scale, number]>) {
    if (scale === 'token') continue; // token vectors are re-ranking material, not an ANN index
    const manager = createDerivedVectorIndex({ db, scale, dimensions, directory, instanceId, createIndex, readOnly });
    manager.pruneRemovalsWithoutSnapshot();
    managers.set(scale, manager);
    report.vectorIndexes[scale] = 'deferred';
  }

  const isIndexFile = (name: string) => /^index-\w+\.usearch\./.test(name);
  const leftovers = (only: (name: string) => boolean) => {
    // A read-only store's directory belongs to another process: its temporary files may be saves in progress.
    if (directory === undefined || readOnly) return;
    const removed = removeLeftoverTempFiles(directory, only);
    if (removed.length > 0) report.repairs.push(`removed ${removed.length} temporary file(s) left by an interrupted save: ${removed.join(', ')}`);
  };
  // Other files' debris goes now; an index's stays until it opens (its save may be completed from it).
  leftovers((name) => !isIndexFile(name));

  /**
   * Opens one scale's index from its snapshot and SQLite, then replays the commits made meanwhile, in
   * order, before anyone else may write to it.
   */
  async function open(scale: Scale, missed: DerivedChanges[]): Promise<VectorIndex> {
    const openedIn = generation;
    const opened = await managers.get(scale)!.open();
    report.vectorIndexes[scale] = opened.recovery;
    if (opened.recovery !== 'loaded') unsaved.add(scale);
    if (opened.reason) report.repairs.push(`${scale} vector index rebuilt from SQLite: ${opened.reason}`);
    if (opened.completedSave) report.repairs.push(`${scale} vector index: put in place the snapshot whose save a crash interrupted (it matched its recorded checksum)`);
    leftovers((name) => name.startsWith(`index-${scale}.usearch.`));
    // A replay that fails rebuilds the index from SQLite (see applyTo); the rest go to the rebuilt one.
    let index = opened.index;
    for (let i = 0; i < missed.length; i++) {
      await applyTo(scale, index, missed[i]!, { skipPresent: true }, (rebuilt) => void (index = rebuilt));
    }
    if (openedIn === generation) indexes.set(scale, index);
    return index;
  }

  /** The scale's index, opened on first use (one open at a time, however many searches wait for it). */
  function load(scale: Scale): Promise<VectorIndex> {
    const ready = indexes.get(scale);
    if (ready) return Promise.resolve(ready);
    let pending = loading.get(scale);
    if (!pending) {
      const missed: DerivedChanges[] = [];
      pending = { ready: open(scale, missed).finally(() => loading.delete(scale)), missed };
      loading.set(scale, pending);
    }
    return pending.ready;
  }

  if (options.loadIndexes === 'on-open') for (const scale of managers.keys()) await load(scale);

  /**
   * Replays a commit on one index. `skipPresent`: the commit may already be in an index that was
   * caught up from SQLite after it, so keys it holds are not added twice.
   */
  async function applyTo(
    scale: Scale,
    index: VectorIndex,
    changes: DerivedChanges,
    { skipPresent = false } = {},
    replace: (rebuilt: VectorIndex) => void = (rebuilt) => void indexes.set(scale, rebuilt),
  ): Promise<void> {
    try {
      const removed = changes.vectorRemovals.filter((r) => r.scale === scale).map((r) => r.key);
      if (removed.length > 0) await index.remove(removed);
      const added = changes.vectorAdds.filter((a) => a.scale === scale && !(skipPresent && index.has(a.key)));
      if (added.length > 0)
        await index.add(
          added.map((a) => a.key),
          added.map((a) => a.vector),
        );
      if (removed.length > 0 || added.length > 0) unsaved.add(scale);
    } catch (error) {
      replace(await rebuilt(scale, (error as Error).message));
    }
  }

  /** A scale's index rebuilt from SQLite (searches keep the old one until the caller puts it in place). */
  async function rebuilt(scale: Scale, why: string): Promise<VectorIndex> {
    const index = await managers.get(scale)!.rebuild();
    unsaved.add(scale);
    repairs.push(`${scale} vector index rebuilt from SQLite: ${why}`);
    return index;
  }

  /** Every index open (waiting for those being opened), for the calls that need them all. */
  async function loadAll(): Promise<void> {
    for (const scale of managers.keys()) await load(scale);
  }

  async function flush(): Promise<void> {
    if (readOnly) return; // nothing of a read-only store is saved
    for (const [scale, index] of indexes) {
      if (!unsaved.has(scale)) continue; // a clean close does not rewrite (and re-hash) an unchanged file
      await managers.get(scale)!.flush(index);
      unsaved.delete(scale);
    }
    changesSinceFlush = 0;
  }

  return {
    graph,
    repairs,
    /** The scale's index, opened on first use; undefined for a scale the store does not index. */
    index: (scale: Scale): Promise<VectorIndex> | undefined => (managers.has(scale) ? load(scale) : undefined),
    scales: (): Scale[] => [...managers.keys()],
    loadAll,

    /**
     * Replays a committed write. The write is already durable, so an index that fails here is
     * rebuilt from SQLite instead of failing the caller's acknowledged write.
     */
    async apply(changes: DerivedChanges): Promise<void> {
      // First, before any await: a search running meanwhile must not read a stale neighbourhood.
      graph.invalidate(changes);
      reads.followVectorChanges(changes.vectorAdds, changes.vectorRemovals);
      for (const scale of managers.keys()) {
        const index = indexes.get(scale);
        if (index) await applyTo(scale, index, changes);
        else loading.get(scale)?.missed.push(changes); // not loaded: it catches up from SQLite when it is
      }
      changesSinceFlush += changes.vectorAdds.length + changes.vectorRemovals.length;
      // A snapshot that cannot be saved now (full disk) is tried again after another flushEvery
      // changes, and close() reports it.
      if (changesSinceFlush >= flushEvery) await flush().catch(() => (changesSinceFlush = 0));
    },

    flush,

    /**
     * Read-only: another process committed, so the loaded indexes may miss its vectors. They are
     * dropped (searches in flight keep theirs) and reloaded when next needed; graph and segment
     * caches are the caller's to clear.
     */
    forget(): void {
      generation++;
      for (const scale of [...indexes.keys()]) {
        report.vectorIndexes[scale] = 'deferred';
        indexes.delete(scale);
      }
    },

    /** The disagreements with SQLite found; whatever disagreed is rebuilt before this resolves. */
    async verify(): Promise<string[]> {
      await loadAll();
      const problems: string[] = [];
      for (const [scale, manager] of managers) {
        const found = await manager.verify(indexes.get(scale)!);
        if (found.length > 0) indexes.set(scale, await rebuilt(scale, found.join('; ')));
        problems.push(...found);
      }
      const graphProblems = reads.repairEdgeLiveness();
      graph.clear();
      const segmentProblems = reads.repairOwnerVectors();
      reads.forgetSegments();
      return [...problems, ...graphProblems, ...segmentProblems, ...reads.repairOwnerText(), ...reads.repairMentionWords()];
    },

    /** After the tables were cleared: empty indexes and graph. */
    async reset(): Promise<void> {
      graph.clear();
      await Promise.all([...loading.values()].map((pending) => pending.ready.catch(() => undefined)));
      for (const [scale, manager] of managers) {
        await indexes.get(scale)?.close();
        indexes.set(scale, await manager.rebuild());
        report.vectorIndexes[scale] = 'fresh';
        unsaved.add(scale);
      }
      changesSinceFlush = 0;
    },

    async close(): Promise<void> {
      await Promise.all([...loading.values()].map((pending) => pending.ready.catch(() => undefined)));
      for (const index of indexes.values()) await index.close();
    },
  };
}

export type DerivedIndexes = Awaited<ReturnType<typeof openDerivedIndexes>>;

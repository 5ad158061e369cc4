import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { Scale, VectorIndex } from '@neuromem/core';
import { blobToVector } from './vector-codec';

/** Opens a vector index, loading `path` when it exists (undefined = in-memory). */
export type VectorIndexFactory = (options: { dimensions: number; path?: string }) => Promise<VectorIndex>;

/** What the last snapshot of an index covered, written beside it after every flush. */
interface Snapshot {
  instanceId: string;
  dimensions: number;
  /** Every vector with key <= maxKey that existed at flush time is in the file. */
  maxKey: number;
  /** Every removal logged up to this seq is applied in the file. */
  removalSeq: number;
}

export interface OpenedIndex {
  index: VectorIndex;
  /** How the index was brought in line with SQLite. */
  recovery: 'fresh' | 'loaded' | 'caught-up' | 'rebuilt';
}

const BATCH = 1_000;

/**
 * Keeps one scale's vector index derived from the `vectors` table: load the snapshot, replay what
 * changed since (new keys by range, removals from the log), verify the count, and rebuild from
 * SQLite when anything disagrees. The index is never trusted over the database.
 */
export function createDerivedVectorIndex(options: {
  db: Database;
  scale: Scale;
  dimensions: number;
  directory: string | undefined;
  instanceId: string;
  createIndex: VectorIndexFactory;
}) {
  const { db, scale, dimensions, directory, instanceId, createIndex } = options;
  const indexPath = directory === undefined ? undefined : join(directory, `index-${scale}.usearch`);
  const snapshotPath = directory === undefined ? undefined : join(directory, `index-${scale}.json`);

  const countInDb = db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM vectors WHERE scale = ?');
  const maxKey = db.prepare<[string], { k: number | null }>('SELECT MAX(key) AS k FROM vectors WHERE scale = ?');
  const maxRemoval = db.prepare<[], { s: number | null }>('SELECT MAX(seq) AS s FROM index_removals');
  const vectorsAfter = db.prepare<[string, number, number], { key: number; data: Buffer }>('SELECT key, data FROM vectors WHERE scale = ? AND key > ? ORDER BY key LIMIT ?');
  const removalsAfter = db.prepare<[string, number], { key: number }>('SELECT key FROM index_removals WHERE scale = ? AND seq > ?');
  const pruneRemovals = db.prepare('DELETE FROM index_removals WHERE scale = ? AND seq <= ?');

  async function addVectorsAfter(index: VectorIndex, fromKey: number): Promise<void> {
    for (let after = fromKey; ; ) {
      const rows = vectorsAfter.all(scale, after, BATCH);
      if (rows.length === 0) return;
      await index.add(rows.map((row) => row.key), rows.map((row) => blobToVector(row.data)));
      after = rows[rows.length - 1]!.key;
    }
  }

  async function rebuild(): Promise<VectorIndex> {
    if (indexPath) rmSync(indexPath, { force: true });
    const index = await createIndex({ dimensions, ...(indexPath ? { path: indexPath } : {}) });
    await addVectorsAfter(index, 0);
    return index;
  }

  function readSnapshot(): Snapshot | null {
    if (!snapshotPath || !indexPath || !existsSync(snapshotPath) || !existsSync(indexPath)) return null;
    try {
      const snapshot = JSON.parse(readFileSync(snapshotPath, 'utf8')) as Snapshot;
      return snapshot.instanceId === instanceId && snapshot.dimensions === dimensions ? snapshot : null;
    } catch {
      return null;
    }
  }

  return {
    async open(): Promise<OpenedIndex> {
      const expected = countInDb.get(scale)!.n;
      const snapshot = readSnapshot();
      if (snapshot) {
        try {
          const index = await createIndex({ dimensions, path: indexPath! });
          const removed = removalsAfter.all(scale, snapshot.removalSeq).map((row) => row.key);
          if (removed.length > 0) await index.remove(removed);
          const upToDate = removed.length === 0 && (maxKey.get(scale)!.k ?? 0) <= snapshot.maxKey;
          if (!upToDate) await addVectorsAfter(index, snapshot.maxKey);
          if (index.size() === expected) return { index, recovery: upToDate ? 'loaded' : 'caught-up' };
          await index.close();
        } catch {
          // An unreadable snapshot is only a cache miss: the database has everything.
        }
      }
      const index = await rebuild();
      return { index, recovery: expected === 0 && !snapshot ? 'fresh' : 'rebuilt' };
    },

    /** Saves the index, then records what it covers; a crash between the two only costs a replay. */
    async flush(index: VectorIndex): Promise<void> {
      if (!snapshotPath) return;
      const snapshot: Snapshot = { instanceId, dimensions, maxKey: maxKey.get(scale)!.k ?? 0, removalSeq: maxRemoval.get()!.s ?? 0 };
      await index.flush();
      const temp = `${snapshotPath}.tmp-${process.pid}`;
      writeFileSync(temp, JSON.stringify(snapshot));
      renameSync(temp, snapshotPath);
      pruneRemovals.run(scale, snapshot.removalSeq);
    },

    async reset(current: VectorIndex): Promise<VectorIndex> {
      await current.close();
      if (snapshotPath) rmSync(snapshotPath, { force: true });
      return rebuild();
    },
  };
}

export type DerivedVectorIndex = ReturnType<typeof createDerivedVectorIndex>;

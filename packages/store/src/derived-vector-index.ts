import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { Scale, VectorIndex } from '@neuromem/core';
import { fileChecksum, type FileChecksum } from './file-checksum';
import { OWNED_COPY_JOIN, presentVectors, STORED_VECTOR_COLUMNS, type StoredVectorRow } from './stored-vector-rows';

/** The `meta` key that records a scale's index snapshot: this and the scale. */
const SNAPSHOT_RECORD_PREFIX = 'vector-index:';
/** The same key as SQL, over an SQL expression for the scale. */
export const SNAPSHOT_RECORD_SQL = (scale: string) => `'${SNAPSHOT_RECORD_PREFIX}' || ${scale}`;

/** A self-query that finds a vector this similar found the neighbourhood its vector lives in. */
const NEAR_DUPLICATE = 0.95;

/** Opens a vector index, loading `path` when it exists (undefined = in-memory). */
export type VectorIndexFactory = (options: { dimensions: number; path?: string }) => Promise<VectorIndex>;

/** What the last snapshot of an index covered, recorded in SQLite after every flush. */
interface Snapshot extends FileChecksum {
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
  /** Why it was rebuilt, when a snapshot existed but could not be used. */
  reason?: string;
  /** Set when a snapshot save that a crash interrupted was completed instead of rebuilding. */
  completedSave?: boolean;
}

const BATCH = 1_000;
/** Keys whose stored vector is looked up in the index by `verify()`, spread over the key range. */
const VERIFY_SAMPLE = 256;

/**
 * Keeps one scale's vector index derived from the `vectors` table: load the snapshot if its
 * checksum matches the one recorded in SQLite, replay what changed since (new keys by range,
 * removals from the log), verify the count, and rebuild from SQLite when anything disagrees. The
 * index is never trusted over the database.
 *
 * `readOnly`: the directory belongs to another process, which may be saving a snapshot right now.
 * The snapshot is loaded only when it matches its record and was not replaced while loading; any
 * rebuild is in memory; nothing on disk is renamed, removed or recorded.
 */
export function createDerivedVectorIndex(options: {
  db: Database;
  scale: Scale;
  dimensions: number;
  directory: string | undefined;
  instanceId: string;
  createIndex: VectorIndexFactory;
  readOnly?: boolean;
}) {
  const { db, scale, dimensions, directory, instanceId, createIndex } = options;
  const readOnly = options.readOnly === true;
  const indexPath = directory === undefined ? undefined : join(directory, `index-${scale}.usearch`);
  const recordKey = `${SNAPSHOT_RECORD_PREFIX}${scale}`;
  let completedSave = false;

  const countInDb = db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM vectors WHERE scale = ?');
  const maxKey = db.prepare<[string], { k: number | null }>('SELECT MAX(key) AS k FROM vectors WHERE scale = ?');
  const maxRemoval = db.prepare<[], { s: number | null }>('SELECT MAX(seq) AS s FROM index_removals');
  const vectorsAfter = db.prepare<[string, number, number], StoredVectorRow & { key: number }>(
    `SELECT vec.key, ${STORED_VECTOR_COLUMNS} FROM vectors vec ${OWNED_COPY_JOIN} WHERE vec.scale = ? AND vec.key > ? ORDER BY vec.key LIMIT ?`,
  );
  const removalsAfter = db.prepare<[string, number], { key: number }>('SELECT key FROM index_removals WHERE scale = ? AND seq > ?');
  const pruneRemovals = db.prepare('DELETE FROM index_removals WHERE scale = ? AND seq <= ?');
  const readRecord = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
  const writeRecord = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  const dropRecord = db.prepare('DELETE FROM meta WHERE key = ?');
  const keysInDb = db.prepare<[string], { key: number }>('SELECT key FROM vectors WHERE scale = ?');
  const sampleKeys = db.prepare<[string, number], StoredVectorRow & { key: number }>(
    `SELECT vec.key, ${STORED_VECTOR_COLUMNS} FROM vectors vec ${OWNED_COPY_JOIN} WHERE vec.scale = ? AND vec.key % ? = 0 ORDER BY vec.key LIMIT ${VERIFY_SAMPLE}`,
  );

  async function addVectorsAfter(index: VectorIndex, fromKey: number): Promise<void> {
    for (let after = fromKey; ; ) {
      const rows = vectorsAfter.all(scale, after, BATCH);
      if (rows.length === 0) return;
      // A vector lost with its owner row (a damaged file) is left out; the repair drops its row.
      const present = presentVectors(rows);
      if (present.length > 0)
        await index.add(
          present.map((row) => row.key),
          present.map((row) => row.vector),
        );
      after = rows[rows.length - 1]!.key;
    }
  }

  /** A fresh index filled from SQLite. The old file and its record go first: a crash mid-way leaves nothing to trust. */
  async function rebuild(): Promise<VectorIndex> {
    if (readOnly) {
      const index = await createIndex({ dimensions });
      await addVectorsAfter(index, 0);
      return index;
    }
    dropRecord.run(recordKey);
    if (indexPath) rmSync(indexPath, { force: true, recursive: true });
    const index = await createIndex({ dimensions, ...(indexPath ? { path: indexPath } : {}) });
    await addVectorsAfter(index, 0);
    return index;
  }

  /** The recorded snapshot, or why there is none worth loading. */
  function usableSnapshot(): Snapshot | string {
    const row = readRecord.get(recordKey);
    if (!row) return 'no snapshot recorded';
    let snapshot: Snapshot;
    try {
      snapshot = JSON.parse(row.value) as Snapshot;
    } catch {
      return 'unreadable snapshot record';
    }
    if (snapshot.instanceId !== instanceId || snapshot.dimensions !== dimensions) return 'snapshot of another database';
    if (!existsSync(indexPath!)) return 'index file missing';
    let actual: FileChecksum;
    try {
      actual = fileChecksum(indexPath!);
    } catch (error) {
      return `index file unreadable (${(error as Error).message})`;
    }
    if (actual.bytes === snapshot.bytes && actual.sha256 === snapshot.sha256) return snapshot;
    // Read-only: a mismatch may be the writer's save in progress, whose files are not ours to move.
    if (readOnly || !completeInterruptedFlush(snapshot)) return 'index file checksum mismatch';
    completedSave = true;
    return snapshot;
  }

  /** A saved file that matches the record but was never renamed into place (killed in between). */
  function completeInterruptedFlush(snapshot: Snapshot): boolean {
    const prefix = `${basename(indexPath!)}.tmp-`;
    for (const name of readdirSync(directory!).filter((file) => file.startsWith(prefix))) {
      const saved = join(directory!, name);
      try {
        const { bytes, sha256 } = fileChecksum(saved);
        if (bytes !== snapshot.bytes || sha256 !== snapshot.sha256) continue;
        renameSync(saved, indexPath!);
        return true;
      } catch {
        // Unreadable: left for the open's clean-up of temporary files.
      }
    }
    return false;
  }

  return {
    async open(): Promise<OpenedIndex> {
      const expected = countInDb.get(scale)!.n;
      if (!indexPath) return { index: await rebuild(), recovery: 'fresh' };
      if (!readOnly) rmSync(join(directory!, `index-${scale}.json`), { force: true }); // the snapshot record of versions before 0.2
      // The writer replaces the file by renaming a new one over it, so the same inode before the
      // checksum and after the load means the loaded file is the one that matched its record.
      const inode = readOnly ? inodeOf(indexPath) : undefined;
      const snapshot = usableSnapshot();
      let reason = typeof snapshot === 'string' ? snapshot : '';
      if (typeof snapshot !== 'string') {
        try {
          const index = await createIndex({ dimensions, path: indexPath });
          if (readOnly && inodeOf(indexPath) !== inode) {
            await index.close();
            throw new Error('the file was replaced while it loaded');
          }
          const removed = removalsAfter.all(scale, snapshot.removalSeq).map((row) => row.key);
          if (removed.length > 0) await index.remove(removed);
          const upToDate = removed.length === 0 && (maxKey.get(scale)!.k ?? 0) <= snapshot.maxKey;
          if (!upToDate) await addVectorsAfter(index, snapshot.maxKey);
          if (index.size() === expected) return { index, recovery: upToDate ? 'loaded' : 'caught-up', ...(completedSave ? { completedSave } : {}) };
          reason = `index holds ${index.size()} vectors, SQLite ${expected}`;
          await index.close();
        } catch (error) {
          // An unloadable snapshot is only a cache miss: the database has everything.
          reason = `snapshot unusable (${(error as Error).message})`;
        }
      }
      const index = await rebuild();
      const fresh = expected === 0 && reason === 'no snapshot recorded';
      return { index, recovery: fresh ? 'fresh' : 'rebuilt', ...(fresh ? {} : { reason }) };
    },

    /**
     * Saves the index, then records in SQLite what it covers and its checksum; a crash between the
     * two leaves a file that no longer matches its record, which costs a rebuild, never a wrong index.
     */
    async flush(index: VectorIndex): Promise<void> {
      if (!indexPath || readOnly) return;
      const covered = { maxKey: maxKey.get(scale)!.k ?? 0, removalSeq: maxRemoval.get()!.s ?? 0 };
      const record = (file: string) =>
        db.transaction(() => {
          writeRecord.run(recordKey, JSON.stringify({ instanceId, dimensions, ...covered, ...fileChecksum(file) } satisfies Snapshot));
          pruneRemovals.run(scale, covered.removalSeq);
        })();
      let recorded = false;
      // Recorded while the new file still waits beside the old one: a crash before the rename leaves
      // a record that the waiting file matches, and open() puts it in place instead of rebuilding.
      await index.flush({
        beforeReplace: (saved) => {
          record(saved);
          recorded = true;
        },
      });
      if (recorded) return;
      // An index kept only in memory (or one that writes nothing yet) has no snapshot to record.
      if (!index.capabilities.persistent || !existsSync(indexPath)) return void dropRecord.run(recordKey);
      record(indexPath); // an index that does not offer beforeReplace: recorded after the rename
    },

    /**
     * Disagreements between the index and SQLite: counts, missing keys, and stored vectors that no
     * longer find their own key (a damaged vector area).
     */
    async verify(index: VectorIndex): Promise<string[]> {
      const problems: string[] = [];
      const expected = countInDb.get(scale)!.n;
      if (index.size() !== expected) problems.push(`${scale} index holds ${index.size()} vectors, SQLite ${expected}`);
      const keys = keysInDb.all(scale);
      const missing = keys.filter(({ key }) => !index.has(key));
      if (missing.length > 0) problems.push(`${scale} index misses ${missing.length} keys (first: ${missing[0]!.key})`);
      const stride = Math.max(1, Math.floor((maxKey.get(scale)!.k ?? 0) / VERIFY_SAMPLE));
      // A vector lost with its owner row is left out: the owner-vector repair reports it.
      const sample = presentVectors(sampleKeys.all(scale, stride));
      let lost = 0;
      for (const [i, { key, vector }] of sample.entries()) {
        if (i % 32 === 31) await new Promise<void>((resolve) => setImmediate(resolve)); // a verification never holds the event loop long
        const found = await index.search(vector, Math.min(10, Math.max(1, index.size())));
        // Not finding itself counts as damage only when nothing near it was found either: in a dense
        // cluster of near-identical texts (hundreds of "note i: ..." turns, cosine ~0.97 to each other)
        // HNSW leaves a few intact vectors unreachable, and a rebuild gives the same graph.
        if (!found.some((match) => match.key === key || match.similarity >= NEAR_DUPLICATE)) lost++;
      }
      // HNSW may miss a handful of self-queries; a damaged vector area loses most of them.
      if (lost > Math.max(2, sample.length * 0.05)) problems.push(`${scale} index: ${lost} of ${sample.length} sampled vectors no longer find themselves (damaged vectors)`);
      return problems;
    },

    rebuild,

    /**
     * Removals are logged for a snapshot to replay; with no snapshot recorded the next open rebuilds
     * from SQLite anyway, so they are dropped. Otherwise a store whose index is never opened (owner
     * segments answer its searches) would log one row per replaced session vector forever.
     */
    pruneRemovalsWithoutSnapshot(): number {
      if (readOnly || readRecord.get(recordKey)) return 0;
      return pruneRemovals.run(scale, Number.MAX_SAFE_INTEGER).changes;
    },
  };
}

export type DerivedVectorIndex = ReturnType<typeof createDerivedVectorIndex>;

function inodeOf(path: string): number | undefined {
  try {
    return statSync(path).ino;
  } catch {
    return undefined;
  }
}

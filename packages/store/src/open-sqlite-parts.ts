import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { createUsearchIndex } from './create-usearch-index';
import { createWalFolder, type WalFolder } from './create-wal-folder';
import { openDerivedIndexes, type DerivedIndexes, type OpenReport } from './derived-indexes';
import type { VectorIndexFactory } from './derived-vector-index';
import { ensureInstanceId, openDatabase } from './open-database';
import { openReadOnlyDatabase, readInstanceId } from './open-read-only-database';
import { acquireProcessLock, type ProcessLock } from './process-lock';
import type { resolveSqliteStoreOptions } from './resolve-sqlite-store-options';
import type { SqliteStoreOptions } from './sqlite-store-options';
import { storageFailure } from './storage-error';
import { createStoreReads } from './store-reads';
import { createWriteOperations } from './write-operations';

/**
 * HNSW over int8 vectors: a quarter of float32's memory (a million 612-d turn vectors take 0.76 GB,
 * not 2.6). The store asks it for twice the results and re-scores them in float32, which gives the
 * recall of a half-precision index (recall@10 0.959 against f16's 0.958 on 30,000 scale-benchmark
 * turns; 0.897 without re-scoring). Owner-scoped searches do not use it at all.
 */

const DEFAULT_INDEX: VectorIndexFactory = (options) => createUsearchIndex({ ...options, quantization: 'i8' });

/** What an open SQLite store is made of; `createSqliteStore` puts its methods on top. */
export interface SqliteParts {
  db: Database;
  /** The directory's process lock (none in memory or read-only). */
  lock: ProcessLock | undefined;
  writes: ReturnType<typeof createWriteOperations>;
  reads: ReturnType<typeof createStoreReads>;
  walFolder: WalFolder;
  derived: DerivedIndexes;
  report: OpenReport;
}

/**
 * Opens the database (locked, checked, migrated), its statements, the WAL folder and the derived
 * indexes, in that order. A step that fails closes what the earlier ones opened and releases the
 * lock, so a failed open leaves nothing held.
 */
export async function openSqliteParts(
  options: SqliteStoreOptions,
  /** The options resolved and checked (`resolveSqliteStoreOptions`). */
  resolved: ReturnType<typeof resolveSqliteStoreOptions>,
): Promise<SqliteParts> {
  const { vectorScales, ownerSegmentLimit, segmentCacheBytes, segmentsFollowWriters, loadIndexes, vectorPrecision, mmapBytes, flushEvery, directory, durability, integrityCheck, readOnly } = resolved;
  let lock: ProcessLock | undefined;
  let db: Database;
  let checkedMs: number | undefined;
  try {
    if (readOnly) {
      // No lock: the process that holds the directory keeps writing, and this one only reads.
      db = openReadOnlyDatabase(join(directory!, 'memory.db'));
    } else {
      if (directory !== undefined) {
        mkdirSync(directory, { recursive: true });
        lock = acquireProcessLock(directory);
      }
      const opened = openDatabase(directory === undefined ? ':memory:' : join(directory, 'memory.db'), durability, integrityCheck, options.extractEntities);
      db = opened.db;
      checkedMs = opened.checkedMs;
    }
    if (directory !== undefined) db.pragma(`mmap_size = ${mmapBytes}`);
  } catch (error) {
    lock?.release();
    throw storageFailure(error, `opening the database at ${directory}`);
  }

  let instanceId: string;
  let writes: ReturnType<typeof createWriteOperations>;
  let reads: ReturnType<typeof createStoreReads>;
  let walFolder: WalFolder;
  try {
    instanceId = readOnly ? readInstanceId(db) : ensureInstanceId(db);
    writes = createWriteOperations(db, vectorPrecision);
    reads = createStoreReads(db, {
      vectorCacheBytes: options.vectorCacheBytes ?? 64 * 1024 * 1024,
      vectorPrecision,
      segmentCacheBytes,
      segmentsFollowWriters,
      ownerSegmentLimit,
    });
    walFolder = createWalFolder(db, directory === undefined || readOnly ? undefined : join(directory, 'memory.db-wal'));
    walFolder.afterCommit(); // opening commits too, and may have checkpointed a WAL recovered from a crash
  } catch (error) {
    db.close();
    lock?.release();
    throw storageFailure(error, `reading the database at ${directory ?? ':memory:'}`);
  }
  const report: OpenReport = { vectorIndexes: {}, repairs: [], ...(checkedMs === undefined ? {} : { integrityCheckMs: Math.round(checkedMs) }) };
  let derived: DerivedIndexes;
  try {
    derived = await openDerivedIndexes({ db, reads, vectorScales, directory, instanceId, createIndex: options.createIndex ?? DEFAULT_INDEX, flushEvery, loadIndexes, report, readOnly });
  } catch (error) {
    db.close();
    lock?.release();
    throw storageFailure(error, 'rebuilding the derived indexes');
  }
  return { db, lock, writes, reads, walFolder, derived, report };
}

import type { Clock, MemoryStore, Scale } from '@neuromem/core';
import type { OpenReport } from './derived-indexes';
import type { VectorIndexFactory } from './derived-vector-index';
import type { VectorPrecision } from './vector-codec';
import type { StorageBreakdown } from './storage-breakdown';
import type { IdPrefixQuery } from './id-prefix-lookup';

export interface SqliteStoreOptions {
  /** Directory holding `memory.db` and the derived index files; created if missing. Omitted = in-memory. */
  path?: string;
  /** Dimensions per indexed scale, e.g. `{ turn: 384 }`. One vector index is kept per scale. */
  vectorScales: Partial<Record<Scale, number>>;
  /** Source of transaction times. Default: the system clock. */
  clock?: Clock;
  /** Id for memories stored without one. Default: time-ordered UUIDv7 (later ids sort later, so id indexes grow at one end). */
  generateId?: () => string;
  /** Builds each scale's vector index. Default: usearch HNSW (f32, M=16). */
  createIndex?: VectorIndexFactory;
  /** A filtered search scans exactly when at most this many memories pass the filter. Default 2048. */
  exactScanLimit?: number;
  /**
   * How memory and session vectors are written: `'int8'` (default: a float scale and one byte per
   * dimension, about a quarter of float32's bytes; a cosine moves by well under 1 %, and LoCoMo recall
   * is unchanged) or `'float32'` (exact). Files hold either; each vector is read as it was written.
   */
  vectorPrecision?: VectorPrecision;
  /**
   * Bytes at the start of the database file SQLite reads through a memory map (SQLite's `mmap_size`).
   * Default 0 (every page read with a copy); 256 MiB was the default until session 39 and gave ~10 %
   * less CPU per search at 50,000 memories, but mapped pages count in the process's RSS, and at a
   * million memories that RSS went to following writers (`segmentsFollowWriters`) instead.
   */
  mmapBytes?: number;
  /** Bytes of vectors kept in memory for exact scans of filtered searches (least recently used evicted). Default 64 MiB. */
  vectorCacheBytes?: number;
  /**
   * A search scoped to one user and/or agent (nothing else) scans that owner's vectors, kept as int8
   * per owner and scale, when the owner has at most this many per scale; larger owners go through the
   * ANN index with a filter. Default 20,000.
   */
  ownerSegmentLimit?: number;
  /**
   * Bytes of owner segments kept in memory (least recently used evicted); a budget, used only as
   * segments are read. Default 768 MiB: a million 612-d turn vectors (100 users of 10,000) take 591
   * MiB, and an LRU smaller than the users in turn evicts each just before it is needed again. Their
   * rows live in a slab of large buffers that grows in chunks, as segments are read, to at most this
   * budget plus a quarter, and is kept (for reuse) until the store closes.
   */
  segmentCacheBytes?: number;
  /**
   * Whether a user's segments are read at that user's writes (when the segment budget has room
   * without evicting anyone), so that a user who writes and then searches finds the segment in
   * memory. On by default (false reads a segment at a search only): it trades memory for first
   * searches. `scale` at a million memories (session 39): a random user's search p95 48.6 -> 28.3 ms,
   * a first one's p50 43.6 -> 17.9 ms, peak RSS 1,951 -> 2,197 MB (every writer's segment is held
   * while ingesting); with `mmapBytes` 0 as well, p95 29.7 ms and peak RSS 1,910 MB.
   */
  segmentsFollowWriters?: boolean;
  /**
   * When the vector indexes are read from disk: `'on-demand'` (default) the first time a search needs
   * one (an unscoped search, a large owner, a filter on more than the owner), so opening a large
   * memory reads none of them; `'on-open'` before `createSqliteStore` resolves.
   */
  loadIndexes?: 'on-demand' | 'on-open';
  /** Snapshot the vector indexes to disk after this many vector changes (and on close). Default 10,000. */
  flushEvery?: number;
  /** `full` fsyncs every commit (survives power loss); `normal` survives process crashes only. Default `full`. */
  durability?: 'full' | 'normal';
  /** Longest memory text accepted. Default 100,000 characters. */
  maxTextChars?: number;
  /**
   * Only for opening files of schema 1, whose entity keys were untyped: re-extracts each current
   * memory's entities (pass `extractEntities` from `@neuromem/retrieval`). Without it such a file
   * keeps its old keys, so new memories link less to old ones; nothing is lost either way.
   */
  extractEntities?: (text: string, options: { eventTime: number }) => string[];
  /**
   * When to run SQLite's `quick_check` on open: `'after-crash'` (default) when the last process did
   * not close cleanly (a non-empty WAL), `'always'`, or `'never'`. A damaged file is refused with
   * `STORAGE` instead of serving wrong answers. It reads the whole file (about 1-2 s per GiB).
   */
  integrityCheck?: 'after-crash' | 'always' | 'never';
  /**
   * Open an existing database only to read it, beside the process that holds the directory (which
   * may keep writing): no process lock is taken, and nothing is written to the database or its
   * index files. Every read sees what had been committed when it ran; the derived indexes and caches
   * are read again after the other process commits. Write methods (`put`, `update`, `recordAccess`,
   * `compact`, `verifyIndexes`, …) fail with `UNSUPPORTED`; `flush()` does nothing. A database of an
   * older schema is refused (`details.needsUpgrade`): open it once without `readOnly` to upgrade it.
   * Needs `path`. Default false.
   */
  readOnly?: boolean;
}

/** The SQLite store offers every optional capability. */
export interface SqliteMemoryStore extends Required<MemoryStore> {
  readonly openReport: OpenReport;
  /**
   * Checks that every derived index (vectors per scale, graph) agrees with SQLite and returns the
   * disagreements found (empty = consistent). Each index that disagreed is rebuilt from SQLite
   * before this resolves, so it is never saved as it was.
   */
  verifyIndexes(): Promise<string[]>;
  /** Opens every vector index not yet opened (see `loadIndexes`) and returns the open report, now complete. */
  loadIndexes(): Promise<OpenReport>;
  /**
   * Bytes per component (records, text index, vectors, vector indexes, graph, history, other, and
   * free pages that `compact()` would give back): SQLite's pages by table, plus the index files. It
   * reads every page of the database (about a second per GB).
   */
  storageBreakdown(): Promise<StorageBreakdown>;
  /** Writes the vector index snapshots now. */
  flush(): Promise<void>;
  /** Repairs made since open (an index that drifted or failed verification and was rebuilt), oldest first. */
  readonly repairs: readonly string[];
  /** Opened with `readOnly`: writes fail with `UNSUPPORTED`. */
  readonly readOnly: boolean;
  /**
   * Ids of memories that start with `prefix`, in id order (at most `limit`, default 10): current
   * memories inside `scope`, and tombstoned ones too with `includeDeleted`. Another owner's ids are
   * never listed, so a short id typed by one user cannot reach another's memory.
   */
  idsStartingWith(prefix: string, query?: IdPrefixQuery): Promise<string[]>;
}

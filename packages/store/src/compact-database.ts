import type { Database } from 'better-sqlite3';
import { SNAPSHOT_RECORD_SQL } from './derived-vector-index';

/** Share of the file, free, from which `compact` rewrites it. */
const COMPACT_FREE_SHARE = 0.1;

/** `meta` key: bytes of vector rows deleted since the file was last rewritten (room left inside pages). */
export const RECLAIMABLE_BYTES_KEY = 'reclaimable_bytes';

/** What a deleted vector row leaves besides its bytes: its cell, key and index entries (an estimate). */
export const REMOVED_ROW_OVERHEAD = 48;

/**
 * The SQL side of `compact()`: removals that no index snapshot needs are dropped, and the file is
 * rewritten (VACUUM) only when a tenth or more of it is free, since a rewrite costs a copy of it; the
 * planner's statistics are refreshed and the WAL folded in either way. Free counts the free pages
 * and the rows deleted since the last rewrite, whose room inside half-empty pages only a rewrite
 * gives back. Returns whether the file was rewritten. The caller maps errors to `STORAGE`.
 */
export function compactDatabase(db: Database): boolean {
  const pages = db.pragma('page_count', { simple: true }) as number;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const free = db.pragma('freelist_count', { simple: true }) as number;
  const reclaimable = db.prepare<[string], number>('SELECT CAST(value AS INTEGER) FROM meta WHERE key = ?').pluck().get(RECLAIMABLE_BYTES_KEY) ?? 0;
  // Removals logged for an index with no snapshot any more: its next load rebuilds from SQLite.
  db.prepare(`DELETE FROM index_removals WHERE NOT EXISTS (SELECT 1 FROM meta WHERE key = ${SNAPSHOT_RECORD_SQL('index_removals.scale')})`).run();
  const rewrite = free * pageSize + reclaimable >= pages * pageSize * COMPACT_FREE_SHARE;
  if (rewrite) {
    db.exec('VACUUM');
    db.prepare('DELETE FROM meta WHERE key = ?').run(RECLAIMABLE_BYTES_KEY);
  }
  db.pragma('optimize');
  db.pragma('wal_checkpoint(TRUNCATE)');
  return rewrite;
}

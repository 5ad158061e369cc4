import type { Database } from 'better-sqlite3';
import { SNAPSHOT_RECORD_SQL } from './derived-vector-index';

/** Share of free pages from which `compact` rewrites the database file. */
const COMPACT_FREE_SHARE = 0.1;

/**
 * The SQL side of `compact()`: removals that no index snapshot needs are dropped, and the file is
 * rewritten (VACUUM) only when a tenth or more of it is free, since a rewrite costs a copy of it; the
 * planner's statistics are refreshed and the WAL folded in either way. Returns whether the file was
 * rewritten. The caller maps errors to `STORAGE`.
 */
export function compactDatabase(db: Database): boolean {
  const pages = db.pragma('page_count', { simple: true }) as number;
  const free = db.pragma('freelist_count', { simple: true }) as number;
  // Removals logged for an index with no snapshot any more: its next load rebuilds from SQLite.
  db.prepare(`DELETE FROM index_removals WHERE NOT EXISTS (SELECT 1 FROM meta WHERE key = ${SNAPSHOT_RECORD_SQL('index_removals.scale')})`).run();
  const rewrite = free >= pages * COMPACT_FREE_SHARE;
  if (rewrite) db.exec('VACUUM');
  db.pragma('optimize');
  db.pragma('wal_checkpoint(TRUNCATE)');
  return rewrite;
}

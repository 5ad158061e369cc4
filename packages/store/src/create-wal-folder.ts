import { statSync } from 'node:fs';
import type { Database } from 'better-sqlite3';

/** Bytes of a WAL frame header; a frame is one page plus this. */
const FRAME_HEADER_BYTES = 24;

/**
 * Returns a function to call after each commit: once SQLite's automatic checkpoint has copied the
 * WAL into memory.db, it empties the WAL file. Left alone, copied frames stay in the file until the
 * next write, and a WAL cut short in that state (a damaged disk, a half-copied backup) replays old
 * pages over the newer ones in memory.db: a corrupt database instead of an older one.
 */
export function createWalFolder(db: Database, walPath: string | undefined): () => void {
  if (walPath === undefined) return () => {};
  const pages = db.pragma('wal_autocheckpoint', { simple: true }) as number;
  if (pages <= 0) return () => {};
  const limit = pages * ((db.pragma('page_size', { simple: true }) as number) + FRAME_HEADER_BYTES);
  return () => {
    try {
      if (statSync(walPath).size >= limit) db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // The commit is durable either way; a WAL that cannot be emptied now (full disk) is tried after the next one.
    }
  };
}

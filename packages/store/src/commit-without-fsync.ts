import type { Database } from 'better-sqlite3';

/**
 * Runs `work` (its own commits) without an fsync of their own, then gives the database back its
 * durability. For writes of derived data only — access counts, a memory's vectors, which its text
 * remakes: in WAL mode the next durable commit flushes them with its own, so a search or a sleep
 * does not pay for a disk flush, and a power cut can only undo the latest of them, never content.
 */
export function commitWithoutFsync<T>(db: Database, durability: 'full' | 'normal', work: () => T): T {
  if (durability !== 'full') return work();
  db.pragma('synchronous = NORMAL');
  try {
    return work();
  } finally {
    db.pragma('synchronous = FULL');
  }
}

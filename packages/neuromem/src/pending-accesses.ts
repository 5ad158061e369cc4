import type { MemoryStore } from '@neuromem/core';

/** How long after the last search its accesses are written, when nothing reads them sooner. */
export const ACCESS_FLUSH_MS = 1_000;
/** Accesses held at most: past this many ids, the next search's are written at once (in the background). */
const MAX_PENDING_IDS = 4_096;
/**
 * Ids per write. A write blocks the event loop while SQLite updates its rows (~13 µs an id at 50,000
 * memories: 4,096 ids held it for 55 ms, the slowest search in several hundred); in slices, with the
 * event loop free between them, no search waits more than a few milliseconds behind one.
 */
export const ACCESS_WRITE_SLICE = 256;

export interface PendingAccesses {
  /** Counts one access of each id (an id listed twice counts twice), written later. */
  record(ids: readonly string[]): void;
  /** Writes the accesses counted so far; resolves when the store has them. Never rejects: see below. */
  flush(): Promise<void>;
  /** Ids counted and not yet written. */
  readonly size: number;
  /** Forgets what is pending (the memories were reset). */
  drop(): void;
  /** Writes what is pending and stops the timer; later `record` calls are ignored. */
  close(): Promise<void>;
}

/**
 * The accesses searches count, kept in memory and written to the store together: a search no longer
 * writes (with its commit, one search in twenty paid a WAL append of its own), and a burst of
 * searches costs one statement. Access counts are statistics, not user data: what a crash loses is
 * at most the last `idleMs` of counts. Everything that reads them (a `get`, `memory.store`, a sleep's
 * forgetting) writes the pending ones first; see `flushBeforeReads`.
 *
 * A write that fails is dropped, not retried: a store that refuses writes (a full disk) already
 * drops access counts rather than fail a search, and a closed store has nowhere to put them.
 */
export function createPendingAccesses(store: Pick<MemoryStore, 'recordAccess'>, idleMs = ACCESS_FLUSH_MS): PendingAccesses {
  let pending: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let writing: Promise<void> = Promise.resolve();

  function flush(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    if (pending.length > 0) {
      const ids = pending;
      pending = [];
      // Chained, so counts reach the store in the order they were taken.
      writing = writing.then(() => writeInSlices(store, ids));
    }
    return writing;
  }

  return {
    record(ids) {
      if (closed || ids.length === 0) return;
      pending.push(...ids);
      if (pending.length >= MAX_PENDING_IDS) {
        void flush();
        return;
      }
      if (timer === undefined) {
        // Unref'd: pending counts never keep the process alive (close() writes them).
        timer = setTimeout(() => void flush(), idleMs).unref();
      }
    },
    flush,
    get size() {
      return pending.length;
    },
    drop() {
      clearTimeout(timer);
      timer = undefined;
      pending = [];
    },
    async close() {
      await flush();
      closed = true;
    },
  };
}

async function writeInSlices(store: Pick<MemoryStore, 'recordAccess'>, ids: readonly string[]): Promise<void> {
  for (let start = 0; start < ids.length; start += ACCESS_WRITE_SLICE) {
    if (start > 0) await new Promise((resolve) => setImmediate(resolve));
    await store.recordAccess(ids.slice(start, start + ACCESS_WRITE_SLICE)).catch(() => undefined);
  }
}

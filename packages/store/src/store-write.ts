import type { Clock, createSerialQueue } from '@neuromem/core';
import { commitWithoutFsync } from './commit-without-fsync';
import type { SqliteParts } from './open-sqlite-parts';
import { storageFailure } from './storage-error';
import { emptyChanges, type DerivedChanges } from './write-operations';

/**
 * The store's one way to write: in its queue, `work` commits atomically, then its changes are
 * replayed on the derived indexes. `derivedOnly` (a memory's vectors: a sleep turning thousands
 * cold paid ~0.3 ms each in fsyncs) commits without an fsync of its own (`commitWithoutFsync`).
 */
export function createStoreWrite(
  parts: Pick<SqliteParts, 'db' | 'writes' | 'walFolder' | 'derived'> & { queue: ReturnType<typeof createSerialQueue>; clock: Clock; durability: 'full' | 'normal'; ensureOpen: () => void },
) {
  const { db, writes, walFolder, derived, queue, clock, durability, ensureOpen } = parts;
  return <T>(work: (now: number, changes: DerivedChanges) => T, options: { derivedOnly?: boolean } = {}): Promise<T> =>
    queue.run(async () => {
      ensureOpen();
      const changes = emptyChanges();
      const now = clock.now();
      const transaction = db.transaction(() => {
        const done = work(now, changes);
        writes.finish(changes);
        return done;
      });
      let result: T;
      try {
        result = options.derivedOnly ? commitWithoutFsync(db, durability, transaction) : transaction();
      } catch (error) {
        throw storageFailure(error, 'the write (rolled back)');
      }
      walFolder.afterCommit();
      await derived.apply(changes);
      return result;
    });
}

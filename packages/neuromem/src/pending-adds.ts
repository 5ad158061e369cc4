import { isNeuroMemError, type MemoryStore } from '@neuromem/core';
import type { AddJournal, JournaledAdd } from './add-journal';
import type { SpaceReserve } from './space-reserve';

/**
 * Adds and turns indexed in one store transaction, at most: bounds how long one batch holds the
 * event loop, and how much the last transaction before a full disk needs. A commit costs about the
 * same for one session as for three (at 50,000 memories a 20-turn add's commit writes some 175 WAL
 * pages, and the next session's touch many of the same), so sessions are grouped up to it.
 */
const MAX_BATCH_ADDS = 32;
const MAX_BATCH_TURNS = 64;
/**
 * Past this many journaled adds, turns (or characters) an add indexes the oldest batch before it is
 * journaled: a caller that never lets the event loop idle still finds the backlog bounded, a search
 * has at most this to index first, and the space reserve covers it.
 */
export const MAX_PENDING_ADDS = MAX_BATCH_ADDS;
export const MAX_PENDING_TURNS = MAX_BATCH_TURNS;
const MAX_PENDING_CHARS = 64_000;
/**
 * An add of more than half a batch is indexed in its own call: its turns fill a transaction well
 * enough that journaling them first would mostly add a write. Sessions of 20 turns are journaled
 * and indexed three to a transaction (`neuromem-eval scale`: 200 commits -> 67 per 4,000 turns).
 */
export const DIRECT_TURNS = MAX_BATCH_TURNS / 2 + 1;
/** Disk space held back so the backlog can be indexed on a full disk (see `SpaceReserve`). */
export const RESERVE_BYTES = 2 * 1024 * 1024;
/** How long after the last add the backlog is indexed, when nothing asks for it sooner. */
const IDLE_MS = 2;

export interface PendingAdds {
  /**
   * Journals a checked add: durable when this resolves, indexed soon after. Past
   * `MAX_PENDING_ADDS` or `MAX_PENDING_TURNS` the oldest batch is indexed first, and while the store
   * refuses writes (a full disk) the backlog is retried first: either failing rejects this add
   * with nothing journaled.
   */
  add(entry: JournaledAdd): Promise<void>;
  /** Resolves once every add acknowledged so far is in the store; rejects with the store's error if it cannot take them. */
  flush(): Promise<void>;
  /**
   * For reads: `flush()`, except that a store refusing writes (`STORAGE`, e.g. a full disk) does not
   * fail the read. It answers from what is indexed; the backlog stays journaled and is retried by the next call.
   */
  beforeRead(): Promise<void>;
  /** Turns acknowledged and not yet in the store. */
  readonly turns: number;
  /** Runs `resetStore` (which empties the store); the adds acknowledged before it go too, and none comes back on the next open. */
  reset(resetStore: () => Promise<void>): Promise<void>;
  /**
   * Indexes what it can, runs `closeStore`, and closes the journal; adds it could not index stay in
   * the file for the next open.
   */
  close(closeStore?: () => Promise<void>): Promise<void>;
}

export interface PendingAddsOptions {
  journal: AddJournal;
  store: MemoryStore;
  /** The memory's write queue: indexing takes turns with updates, deletes and sleep steps. */
  queue: { run<T>(task: () => Promise<T>): Promise<T> };
  /** Embeds and stores adds in one transaction (all or none), in order. */
  storeAdds(adds: readonly JournaledAdd[]): Promise<unknown>;
  /** Space held back for the backlog; without it adds are indexed in their own call. */
  reserve: SpaceReserve;
  /**
   * A read is about to wait for the backlog (the annotator then stops waiting for its worker to
   * start); the function it returns is called once the read has it.
   */
  onReaderWaits?: () => () => void;
}

/**
 * Write-behind for `add()`: the add is durable once its journal line is, and the costly part (the
 * embedding, entities, links and the index pages of one SQLite transaction) runs when the process
 * idles, many adds per transaction. Every read of the memory indexes the backlog first, so a search
 * sees the adds acknowledged before it. After a crash the journal's adds are indexed on the first
 * flush; those a transaction had already stored are recognised by id and skipped.
 */
export function createPendingAdds({ journal, store, queue, storeAdds, reserve, onReaderWaits }: PendingAddsOptions): PendingAdds {
  // The backlog's size, read from the journal (a few dozen adds at most) rather than kept in step with it.
  const pendingTurns = () => journal.pending.reduce((sum, entry) => sum + entry.turns.length, 0);
  const pendingChars = () => journal.pending.reduce((sum, entry) => sum + charsOf(entry), 0);
  let unchecked = journal.recovered;
  let draining: Promise<void> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** The store refused the last batch: adds retry the backlog before taking more. */
  let refused = false;

  /** The recovered adds a transaction stored before the crash (or since deleted): each checked by its first id. */
  async function skipStored(): Promise<void> {
    const recovered = journal.pending.slice(0, unchecked);
    const firstIds = recovered.flatMap((entry) => entry.ids.slice(0, 1));
    const current = new Set((await store.getMany(firstIds)).map((record) => record.id));
    // A memory deleted since it was stored has a history: it must not come back.
    const stored = async (id: string) =>
      current.has(id) ||
      (await store.history(id).then(
        (entries) => entries.length > 0,
        (error: unknown) => {
          if (isNeuroMemError(error, 'NOT_FOUND')) return false;
          throw error;
        },
      ));
    const found = new Set<JournaledAdd>();
    for (const entry of recovered) if (await stored(entry.ids[0]!)) found.add(entry);
    unchecked = 0;
    if (found.size > 0) journal.found(found);
  }

  /** Stores the oldest batch; a batch the store refuses is tried as its oldest add alone (a batch needs more room). */
  async function storeOldest(): Promise<void> {
    const batch = nextBatch(journal.pending);
    if (batch.length === 0) return;
    try {
      await storeAdds(batch);
    } catch (error) {
      if (batch.length === 1) throw error;
      await storeAdds(batch.slice(0, 1));
      journal.stored(1);
      return;
    }
    journal.stored(batch.length);
  }

  /** Indexes the oldest batch, on the write queue. */
  const step = () =>
    queue
      .run(async () => {
        if (unchecked > 0) await skipStored();
        try {
          await storeOldest();
        } catch (error) {
          // The disk is full: the space held back for the backlog is given up, and the backlog indexed in it.
          if (!isNeuroMemError(error, 'STORAGE') || !reserve.release()) throw error;
          await storeOldest();
        }
      })
      .then(
        () => {
          refused = false;
        },
        (error: unknown) => {
          refused = true;
          throw error;
        },
      );

  async function drain(): Promise<void> {
    while (journal.pending.length > 0) {
      await step();
      // Between batches the event loop runs: other requests are answered while a backlog is indexed.
      if (journal.pending.length > 0) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  const schedule = () => {
    if (timer !== undefined || draining !== undefined || journal.pending.length === 0) return;
    // A failed background batch stays journaled; the next add or read tries again and reports the error.
    timer = setTimeout(() => void flush().catch(() => undefined), IDLE_MS);
    timer.unref?.();
  };

  const flush = (): Promise<void> => {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (draining) return draining;
    if (journal.pending.length === 0) return Promise.resolve();
    draining = drain().then(
      () => {
        draining = undefined;
        // An add that came as the last batch finished is not left waiting for the next read.
        schedule();
      },
      (error: unknown) => {
        // Not retried in the background (a full disk would spin): the next add or read tries again.
        draining = undefined;
        throw error;
      },
    );
    return draining;
  };

  return {
    get turns() {
      return pendingTurns();
    },
    async add(entry) {
      if (entry.turns.length >= DIRECT_TURNS || !reserve.take()) {
        // An add of many turns is a batch already (see DIRECT_TURNS). And with no space held back
        // to index a backlog on a full disk, an add is indexed in its own call (after what is
        // pending), as without write-behind, and rejected with nothing kept if it fails.
        await flush();
        await queue.run(() => storeAdds([entry]));
        return;
      }
      if (refused) await flush();
      // Past the bound the caller indexes one batch (not the whole backlog): the longest add stays one batch long.
      else if (journal.pending.length >= MAX_PENDING_ADDS || pendingTurns() + entry.turns.length > MAX_PENDING_TURNS || pendingChars() + charsOf(entry) > MAX_PENDING_CHARS) await (draining ?? step());
      journal.append(entry);
      schedule();
    },
    flush,
    async reset(resetStore) {
      // Everything acknowledged before the reset goes with it, indexed or not.
      const before = new Set(journal.pending);
      await flush().catch(() => undefined);
      await resetStore();
      journal.forgetStored(before);
    },
    async beforeRead() {
      const served = journal.pending.length > 0 ? onReaderWaits?.() : undefined;
      try {
        await flush();
      } catch (error) {
        if (!isNeuroMemError(error, 'STORAGE')) throw error;
      } finally {
        served?.();
      }
    },
    async close(closeStore) {
      if (timer !== undefined) clearTimeout(timer);
      await flush().catch(() => undefined);
      // A closed memory with nothing pending needs no space held for it; the first add after the next open takes it.
      if (journal.pending.length === 0) reserve.release();
      try {
        await closeStore?.();
      } finally {
        // After the store's close folded its WAL into memory.db, so the journal can let go of the lines it kept for it.
        journal.close();
      }
    },
  };
}

const charsOf = (entry: JournaledAdd) => entry.turns.reduce((sum, turn) => sum + turn.text.length, 0);

function nextBatch(pending: readonly JournaledAdd[]): JournaledAdd[] {
  const batch: JournaledAdd[] = [];
  let turns = 0;
  for (const entry of pending) {
    if (batch.length > 0 && (batch.length === MAX_BATCH_ADDS || turns + entry.turns.length > MAX_BATCH_TURNS)) break;
    batch.push(entry);
    turns += entry.turns.length;
  }
  return batch;
}

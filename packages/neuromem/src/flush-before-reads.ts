import type { MemoryStore } from '@neuromem/core';
import type { Memory } from './memory';
import type { PendingAccesses } from './pending-accesses';
import type { PendingAdds } from './pending-adds';

/** What a memory holds back from its store, to be written before anything reads it. */
export interface PendingWrites {
  /** Write-behind adds: every call but `add` indexes them first. */
  adds: PendingAdds;
  /** Search results' access counts: every call but `add`, `search` and `context` writes them first. */
  accesses?: PendingAccesses | undefined;
}

/** Calls that read no access counts (`search` and `context` only count them): they leave the pending counts for later. */
const READS_NO_ACCESSES = new Set(['add', 'search', 'context', 'prefetch']);

/**
 * The memory as its callers see it with writes held back: every method but `add` first indexes the
 * adds acknowledged before it (so a search, `get`, `update` or export always sees them), and so does
 * every method of `memory.store`; every call that may read access counts (`get`, `memory.store`, a
 * sleep's forgetting...) writes the pending ones first. Should the store refuse writes (a full
 * disk), calls answer from what is indexed and the backlog waits in the journal. `close` indexes what
 * it can and writes the counts; adds it could not index stay journaled for the next open.
 */
export function flushBeforeReads<S extends MemoryStore>(memory: Memory<S>, pending: PendingWrites): Memory<S> {
  const { adds, accesses } = pending;
  const beforeRead = async (name: string) => {
    await adds.beforeRead();
    if (!READS_NO_ACCESSES.has(name)) await accesses?.flush();
  };
  const flushed = {} as Record<string, unknown>;
  for (const [name, value] of Object.entries(memory)) {
    if (typeof value !== 'function' || name === 'add' || name === 'close' || name === 'export' || name === 'reset') flushed[name] = value;
    else
      flushed[name] = async (...args: unknown[]) => {
        await beforeRead(name);
        return (value as (...a: unknown[]) => unknown).apply(memory, args);
      };
  }
  const closeAll = async () => {
    await accesses?.close();
    await memory.close();
  };
  const resetAll = async () => {
    // The counted memories are about to go; their counts go with them.
    accesses?.drop();
    await memory.reset();
  };
  return {
    ...(flushed as unknown as Memory<S>),
    store: storeFlushedFirst(memory.store, () => beforeRead('store')),
    export(ids) {
      // A generator: its first `next()` waits for the flush, and checks its arguments as before.
      const rest = memory.export(ids);
      return (async function* () {
        await beforeRead('export');
        yield* rest;
      })();
    },
    reset: () => adds.reset(resetAll),
    close: () => adds.close(closeAll),
  };
}

/** The store with each method waiting for the pending writes first (its other properties as they are). */
function storeFlushedFirst<S extends MemoryStore>(store: S, beforeRead: () => Promise<void>): S {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, key) {
      const value = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      let method = wrapped.get(key);
      if (method === undefined) {
        method = async (...args: unknown[]) => {
          await beforeRead();
          return value.apply(target, args);
        };
        wrapped.set(key, method);
      }
      return method;
    },
  });
}

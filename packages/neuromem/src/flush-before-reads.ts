import type { MemoryStore } from '@neuromem/core';
import type { Memory } from './memory';
import type { PendingAdds } from './pending-adds';

/**
 * The memory as its callers see it with write-behind adds: every method but `add` first indexes the
 * adds acknowledged before it (so a search, `get`, `update` or export always sees them), and so does
 * every method of `memory.store`. Should the store refuse writes (a full disk), calls answer from
 * what is indexed and the backlog waits in the journal. `close` indexes what it can; the rest stays
 * journaled for the next open.
 */
export function flushBeforeReads<S extends MemoryStore>(memory: Memory<S>, pending: PendingAdds): Memory<S> {
  const flushed = {} as Record<string, unknown>;
  for (const [name, value] of Object.entries(memory)) {
    if (typeof value !== 'function' || name === 'add' || name === 'close' || name === 'export') flushed[name] = value;
    else
      flushed[name] = async (...args: unknown[]) => {
        await pending.beforeRead();
        return (value as (...a: unknown[]) => unknown).apply(memory, args);
      };
  }
  return {
    ...(flushed as unknown as Memory<S>),
    store: storeFlushedFirst(memory.store, pending),
    export(ids) {
      // A generator: its first `next()` waits for the flush, and checks its arguments as before.
      const rest = memory.export(ids);
      return (async function* () {
        await pending.beforeRead();
        yield* rest;
      })();
    },
    reset: () => pending.reset(() => memory.reset()),
    close: () => pending.close(() => memory.close()),
  };
}

/** The store with each method waiting for the pending adds first (its other properties as they are). */
function storeFlushedFirst<S extends MemoryStore>(store: S, pending: PendingAdds): S {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, key) {
      const value = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      let method = wrapped.get(key);
      if (method === undefined) {
        method = async (...args: unknown[]) => {
          await pending.beforeRead();
          return value.apply(target, args);
        };
        wrapped.set(key, method);
      }
      return method;
    },
  });
}

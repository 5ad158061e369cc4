export interface LruCache<K, V> {
  /** The value, marked as most recently used; undefined when absent. */
  get(key: K): V | undefined;
  /** Stores the value, then evicts least recently used entries until the budget holds. */
  set(key: K, value: V): void;
  /** Forgets the key; false when it was not cached. */
  delete(key: K): boolean;
  readonly size: number;
  /** The entries' total cost (what `maxCost` bounds). */
  readonly cost: number;
  clear(): void;
}

/** One cached entry, linked into the recency list. */
interface Entry<K, V> {
  key: K;
  value: V;
  cost: number;
  newer: Entry<K, V>;
  older: Entry<K, V>;
}

/**
 * A least-recently-used cache within a budget: `maxCost` entries by default, or bytes, tokens...
 * when `costOf` measures each value. Recency is a doubly linked list beside a Map of its entries, so
 * a hit moves two pointers. Keeping the order in the Map itself (delete and re-insert on every hit)
 * was 6-10 times slower on caches of tens of thousands of entries: V8 leaves a hole per delete that
 * later inserts and the eviction scan walk over until the table is rebuilt.
 */
export function createLruCache<K, V>(options: {
  maxCost: number;
  costOf?: (value: V) => number;
  /** Called when an entry leaves: evicted for the budget, deleted, replaced by a `set` of its key, or cleared. */
  onEvict?: (key: K, value: V) => void;
}): LruCache<K, V> {
  const { maxCost, costOf = () => 1, onEvict } = options;
  const entries = new Map<K, Entry<K, V>>();
  // A ring through a sentinel: `list.older` is the most recently used entry, `list.newer` the least.
  const list = { newer: undefined, older: undefined } as unknown as Entry<K, V>;
  list.newer = list;
  list.older = list;
  let cost = 0;

  const unlink = (entry: Entry<K, V>) => {
    entry.newer.older = entry.older;
    entry.older.newer = entry.newer;
  };
  const toFront = (entry: Entry<K, V>) => {
    entry.older = list.older;
    entry.newer = list;
    list.older.newer = entry;
    list.older = entry;
  };
  const evict = (entry: Entry<K, V>) => {
    unlink(entry);
    entries.delete(entry.key);
    cost -= entry.cost;
    onEvict?.(entry.key, entry.value);
  };

  return {
    get(key) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      if (list.older !== entry) {
        unlink(entry);
        toFront(entry);
      }
      return entry.value;
    },
    set(key, value) {
      const previous = entries.get(key);
      if (previous !== undefined) evict(previous);
      const entry = { key, value, cost: costOf(value), newer: list, older: list };
      entries.set(key, entry);
      toFront(entry);
      cost += entry.cost;
      // The entry just set stays even when it alone is over budget (the caller asked for it).
      while (cost > maxCost && entries.size > 1) evict(list.newer);
    },
    delete(key) {
      const entry = entries.get(key);
      if (entry === undefined) return false;
      evict(entry);
      return true;
    },
    get size() {
      return entries.size;
    },
    get cost() {
      return cost;
    },
    clear() {
      if (onEvict) for (const entry of [...entries.values()]) onEvict(entry.key, entry.value);
      entries.clear();
      list.newer = list;
      list.older = list;
      cost = 0;
    },
  };
}

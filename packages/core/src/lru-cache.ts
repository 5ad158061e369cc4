export interface LruCache<K, V> {
  /** The value, marked as most recently used; undefined when absent. */
  get(key: K): V | undefined;
  /** Stores the value, then evicts least recently used entries until the budget holds. */
  set(key: K, value: V): void;
  /** Forgets the key; false when it was not cached. */
  delete(key: K): boolean;
  readonly size: number;
  clear(): void;
}

/**
 * A least-recently-used cache within a budget: `maxCost` entries by default, or bytes, tokens...
 * when `costOf` measures each value. A Map keeps insertion order, so re-inserting on access makes
 * its first key the least recently used one.
 */
export function createLruCache<K, V>(options: { maxCost: number; costOf?: (value: V) => number }): LruCache<K, V> {
  const { maxCost, costOf = () => 1 } = options;
  const entries = new Map<K, V>();
  let cost = 0;
  return {
    get(key) {
      const value = entries.get(key);
      if (value !== undefined) {
        entries.delete(key);
        entries.set(key, value);
      }
      return value;
    },
    set(key, value) {
      const previous = entries.get(key);
      if (previous !== undefined) {
        entries.delete(key);
        cost -= costOf(previous);
      }
      entries.set(key, value);
      cost += costOf(value);
      for (const [oldKey, oldValue] of entries) {
        if (cost <= maxCost || entries.size === 1) break;
        entries.delete(oldKey);
        cost -= costOf(oldValue);
      }
    },
    delete(key) {
      const value = entries.get(key);
      if (value === undefined) return false;
      entries.delete(key);
      cost -= costOf(value);
      return true;
    },
    get size() {
      return entries.size;
    },
    clear() {
      entries.clear();
      cost = 0;
    },
  };
}

import type { Database } from 'better-sqlite3';
import { blobToVector } from './vector-codec';

/**
 * Recently scanned vectors, by key, within a byte budget (least recently used go first). Exact
 * scans of one user's memories then read keys from SQLite but vectors from here. It can never be
 * stale: a key's vector never changes (an update writes a new key) and keys are never reused.
 */
export function createVectorCache(db: Database, budgetBytes: number) {
  const cache = new Map<number, Float32Array>();
  let bytes = 0;
  const fetchBatch = 500;

  function remember(key: number, vector: Float32Array): void {
    cache.set(key, vector);
    bytes += vector.byteLength;
    for (const [oldKey, oldVector] of cache) {
      if (bytes <= budgetBytes) break;
      cache.delete(oldKey);
      bytes -= oldVector.byteLength;
    }
  }

  return {
    /** Vectors for `keys`, in order, loading the missing ones from SQLite in batches. */
    get(keys: readonly number[]): Float32Array[] {
      const missing: number[] = [];
      for (const key of keys) {
        const hit = cache.get(key);
        if (hit) {
          cache.delete(key); // re-insert: Map order is the LRU order
          cache.set(key, hit);
        } else {
          missing.push(key);
        }
      }
      const loaded = new Map<number, Float32Array>();
      for (let i = 0; i < missing.length; i += fetchBatch) {
        const batch = missing.slice(i, i + fetchBatch);
        const rows = db.prepare<number[], { key: number; data: Buffer }>(`SELECT key, data FROM vectors WHERE key IN (${batch.map(() => '?').join(',')})`).all(...batch);
        for (const row of rows) loaded.set(row.key, blobToVector(row.data));
      }
      const result = keys.map((key) => cache.get(key) ?? loaded.get(key)!);
      for (const [key, vector] of loaded) remember(key, vector);
      return result;
    },
    clear(): void {
      cache.clear();
      bytes = 0;
    },
  };
}

import type { Database } from 'better-sqlite3';
import { createLruCache } from '@neuromem/core';
import { blobToVector } from './vector-codec';

/**
 * Recently scanned vectors, by key, within a byte budget (least recently used go first). Exact
 * scans of one user's memories then read keys from SQLite but vectors from here. It can never be
 * stale: a key's vector never changes (an update writes a new key) and keys are never reused.
 */
export function createVectorCache(db: Database, budgetBytes: number) {
  const cache = createLruCache<number, Float32Array>({ maxCost: budgetBytes, costOf: (vector) => vector.byteLength });
  const fetchBatch = 500;

  return {
    /** Vectors for `keys`, in order, loading the missing ones from SQLite in batches (undefined: no such key). */
    get(keys: readonly number[]): Array<Float32Array | undefined> {
      const found = keys.map((key) => cache.get(key));
      const missing = keys.filter((_, i) => found[i] === undefined);
      const loaded = new Map<number, Float32Array>();
      for (let i = 0; i < missing.length; i += fetchBatch) {
        const batch = missing.slice(i, i + fetchBatch);
        const rows = db.prepare<number[], { key: number; data: Buffer }>(`SELECT key, data FROM vectors WHERE key IN (${batch.map(() => '?').join(',')})`).all(...batch);
        for (const row of rows) loaded.set(row.key, blobToVector(row.data));
      }
      for (const [key, vector] of loaded) cache.set(key, vector);
      return keys.map((key, i) => found[i] ?? loaded.get(key));
    },
    clear: () => cache.clear(),
  };
}

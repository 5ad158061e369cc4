import type { Database } from 'better-sqlite3';
import { createLruCache } from '@neuromem/core';
import { OWNED_COPY_JOIN, STORED_VECTOR_COLUMNS, storedVectorOf, type StoredVectorRow } from './stored-vector-rows';
import { widen, type StoredVector } from './vector-codec';

/**
 * Recently read vectors, by key, within a byte budget (least recently used go first). Exact
 * scans of one user's memories then read keys from SQLite but vectors from here. It can never be
 * stale: a key's vector never changes (an update writes a new key) and keys are never reused. An
 * int8 vector is kept as stored (a quarter of its float32 size, so four times as many fit) and
 * widened when read.
 */
export function createVectorCache(db: Database, budgetBytes: number) {
  const cache = createLruCache<number, StoredVector>({ maxCost: budgetBytes, costOf: (vector) => (vector instanceof Float32Array ? vector.byteLength : vector.data.byteLength + 16) });
  const read = db.prepare<[string], StoredVectorRow & { key: number }>(
    `SELECT vec.key, ${STORED_VECTOR_COLUMNS} FROM vectors vec ${OWNED_COPY_JOIN} WHERE vec.key IN (SELECT value FROM json_each(?))`,
  );

  return {
    /** Vectors for `keys`, in order, loading the missing ones from SQLite in one query (undefined: no such key). */
    get(keys: readonly number[]): Array<Float32Array | undefined> {
      const found = keys.map((key) => cache.get(key));
      const missing = keys.filter((_, i) => found[i] === undefined);
      const loaded = new Map<number, StoredVector>();
      if (missing.length > 0) {
        for (const row of read.all(JSON.stringify(missing))) {
          const vector = storedVectorOf(row);
          if (vector !== undefined) loaded.set(row.key, vector);
        }
      }
      for (const [key, vector] of loaded) cache.set(key, vector);
      return keys.map((key, i) => {
        const vector = found[i] ?? loaded.get(key);
        return vector === undefined ? undefined : widen(vector);
      });
    },
    clear: () => cache.clear(),
  };
}

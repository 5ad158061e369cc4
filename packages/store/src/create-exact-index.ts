import { createErrorFactory, dot, normalizeInPlace, validateVector, type VectorIndex } from '@neuromem/core';
import { createTopK } from './top-k';

const fail = createErrorFactory('store');

export interface ExactIndexOptions {
  /** Length of every vector. Required. */
  dimensions: number;
}

/**
 * Brute-force cosine search over every stored vector: exact, in-memory, O(n·d) per query. It is the
 * flat baseline and the ground truth for recall measurements of approximate indexes.
 */
export async function createExactIndex(options: ExactIndexOptions): Promise<VectorIndex> {
  const { dimensions } = options;
  if (!Number.isInteger(dimensions) || dimensions < 1) throw fail('INVALID_INPUT', `dimensions must be a positive integer, got ${String(dimensions)}.`);
  // Unit-length copies, so cosine is a plain dot product and callers can reuse their arrays.
  let vectors: Map<number, Float32Array> | undefined = new Map();

  const live = (): Map<number, Float32Array> => {
    if (vectors === undefined) throw fail('CLOSED', 'this vector index was closed; open a new one with createExactIndex().');
    return vectors;
  };

  return {
    specVersion: 'neuromem.vector-index/v1',
    dimensions,
    capabilities: { persistent: false, approximate: false },
    size: () => live().size,
    has(key) {
      return live().has(key);
    },

    async add(keys, batch) {
      const stored = live();
      checkKeys(keys);
      if (keys.length !== batch.length) throw fail('INVALID_INPUT', `got ${keys.length} keys but ${batch.length} vectors; pass one vector per key.`);
      // Validate and copy the whole batch before storing any of it.
      const copies = batch.map((vector, i) => normalizeInPlace(Float32Array.from(validateVector(vector, dimensions, { field: `vectors[${i}]`, module: 'store' }))));
      keys.forEach((key, i) => stored.set(key, copies[i]!));
    },

    async remove(keys) {
      const stored = live();
      checkKeys(keys);
      let removed = 0;
      for (const key of keys) if (stored.delete(key)) removed++;
      return removed;
    },

    async search(vector, k, { filter } = {}) {
      const stored = live();
      const query = normalizeInPlace(Float32Array.from(validateVector(vector, dimensions, { field: 'query vector', module: 'store' })));
      if (!Number.isInteger(k) || k < 1) throw fail('INVALID_INPUT', `k must be a positive integer, got ${String(k)}.`, { details: { field: 'k' } });
      const top = createTopK(Math.min(k, stored.size));
      for (const [key, candidate] of stored) {
        // Rounding can put a unit-vector dot product a hair outside [-1, 1].
        if (filter === undefined || filter(key)) top.offer(key, Math.max(-1, Math.min(1, dot(query, candidate))));
      }
      return top.sorted();
    },

    async flush() {
      live(); // nothing to write: this index lives in memory only
    },

    async close() {
      vectors = undefined; // idempotent
    },
  };
}

function checkKeys(keys: readonly number[]): void {
  if (!Array.isArray(keys)) throw fail('INVALID_INPUT', 'keys must be an array of non-negative integers.', { details: { field: 'keys' } });
  keys.forEach((key, i) => {
    if (typeof key !== 'number' || !Number.isSafeInteger(key) || key < 0) {
      throw fail('INVALID_INPUT', `keys[${i}] must be a non-negative safe integer, got ${String(key)}.`, { details: { field: 'keys', index: i } });
    }
  });
}

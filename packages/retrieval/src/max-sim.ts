import { dot } from '@neuromem/core';

/**
 * ColBERT's late interaction: each query token takes its best match among the memory's tokens, and
 * the matches are averaged. It rewards a memory that covers every part of the query somewhere.
 * Vectors are unit length, so dot products are cosines.
 */
export function maxSim(query: readonly Float32Array[], memory: readonly Float32Array[]): number {
  if (query.length === 0 || memory.length === 0) return 0;
  let total = 0;
  for (const q of query) {
    let best = -1;
    for (const m of memory) {
      const similarity = dot(q, m);
      if (similarity > best) best = similarity;
    }
    total += Math.max(0, best);
  }
  return total / query.length;
}

import { dot } from '@neuromem/core';

/** Late interaction: for each query token its best document token, averaged over query tokens. */
export function maxSim(query: readonly Float32Array[], document: readonly Float32Array[]): number {
  if (query.length === 0 || document.length === 0) return 0;
  let total = 0;
  for (const q of query) {
    let best = -1;
    for (const d of document) best = Math.max(best, dot(q, d));
    total += best;
  }
  return total / query.length;
}

/** Indices of `scores` from best to worst (ties by index, so results are reproducible). */
export function rankBy(scores: readonly number[]): number[] {
  return scores
    .map((score, i) => [score, i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1])
    .map(([, i]) => i);
}

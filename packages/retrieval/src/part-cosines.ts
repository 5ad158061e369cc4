import type { Embedder, Scale } from '@neuromem/core';

/** Cosines of a query with one named part of the embedder's vectors (`Embedder.parts`). */
export interface PartCosines {
  /** The query and a memory, on this part alone (0 for a vector too short to hold the part). */
  of(vector: Float32Array): number;
  /**
   * The query and a memory's part joined with a neighbour's, each as a unit vector and the
   * neighbour's at half weight: `cos(q, m + ½ n)`. What a turn means in its context, computed when
   * asked from vectors that each hold their own turn's meaning only.
   */
  withNeighbor(vector: Float32Array, neighbor: Float32Array): number;
  /** The best `withNeighbor` over the neighbours given (a turn's context is before or after it); `of` without any. */
  inContext(vector: Float32Array, neighbors: readonly Float32Array[]): number;
}

/** Half weight for the neighbour: the blend the turn vectors of the lexical part store. */
const NEIGHBOR_WEIGHT = 0.5;

/** Undefined when the embedder has no such part at this scale; every cosine is 0 when the query has nothing in it. */
export function partCosines(embedder: Embedder, name: string, scale: Scale, query: Float32Array): PartCosines | undefined {
  const range = embedder.parts?.find((part) => part.name === name)?.ranges[scale];
  if (!range) return undefined;
  const [start, end] = range;
  let queryNorm = 0;
  for (let i = start; i < end; i++) queryNorm += query[i]! ** 2;
  queryNorm = Math.sqrt(queryNorm);
  // A search measures a few hundred candidates, and each is also its neighbours' neighbour: every
  // vector's dot product with the query and length are computed once.
  const measured = new Map<Float32Array, { dot: number; norm: number }>();
  /** Dot product with the query and the vector's length, on the part. */
  const measure = (vector: Float32Array): { dot: number; norm: number } => {
    let known = measured.get(vector);
    if (known === undefined) {
      let dot = 0;
      let norm = 0;
      for (let i = start; i < end; i++) {
        dot += query[i]! * vector[i]!;
        norm += vector[i]! ** 2;
      }
      measured.set(vector, (known = { dot, norm: Math.sqrt(norm) }));
    }
    return known;
  };
  const of = (vector: Float32Array) => {
    if (vector.length < end || queryNorm === 0) return 0;
    const { dot, norm } = measure(vector);
    return norm > 0 ? dot / (queryNorm * norm) : 0;
  };
  const withNeighbor = (vector: Float32Array, neighbor: Float32Array) => {
    if (vector.length < end || neighbor.length < end || queryNorm === 0) return of(vector);
    const own = measure(vector);
    const other = measure(neighbor);
    if (own.norm === 0 || other.norm === 0) return of(vector);
    let between = 0;
    for (let i = start; i < end; i++) between += vector[i]! * neighbor[i]!;
    // |m̂ + w n̂|² = 1 + w² + 2w m̂·n̂
    const cosine = between / (own.norm * other.norm);
    const length = Math.sqrt(1 + NEIGHBOR_WEIGHT ** 2 + 2 * NEIGHBOR_WEIGHT * cosine);
    return (own.dot / own.norm + (NEIGHBOR_WEIGHT * other.dot) / other.norm) / (queryNorm * length);
  };
  return {
    of,
    withNeighbor,
    inContext(vector, neighbors) {
      if (neighbors.length === 0) return of(vector);
      let best = -Infinity;
      for (const neighbor of neighbors) best = Math.max(best, withNeighbor(vector, neighbor));
      return best;
    },
  };
}

import type { WordGraph } from './wordnet-graph';

/**
 * Retrofitting (Faruqui et al., NAACL 2015): moves each word's vector toward its neighbours' in a
 * lexical graph while keeping it near where the corpus put it. Each round sets
 *
 *   q_i = (q̂_i + Σ_j β_ij q_j) / (1 + Σ_j β_ij),   β_ij = w_ij / Σ_k w_ik,
 *
 * with q̂_i the original vector and w_ij the graph's edge weights, so a word weighs its original
 * vector as much as all its neighbours together. GloVe puts "beagle" near "poodle" because they
 * occur alike; retrofitting also puts it nearer "dog" and "hound", which questions use. Words
 * without neighbours keep their vector. Returns unit vectors.
 */
export function retrofit(original: ReadonlyMap<string, Float32Array>, graph: WordGraph, rounds = 10): Map<string, Float32Array> {
  const current = new Map<string, Float32Array>();
  for (const [word, vector] of original) current.set(word, Float32Array.from(vector));
  const joined = [...graph.neighbours].filter(([word]) => original.has(word));
  for (let round = 0; round < rounds; round++) {
    for (const [word, neighbours] of joined) {
      const start = original.get(word)!;
      const next = Float32Array.from(start);
      let total = 0;
      for (const weight of neighbours.values()) total += weight;
      for (const [other, weight] of neighbours) {
        const vector = current.get(other);
        if (!vector) continue;
        const beta = weight / total;
        for (let d = 0; d < next.length; d++) next[d]! += beta * vector[d]!;
      }
      for (let d = 0; d < next.length; d++) next[d]! /= 2;
      current.set(word, next);
    }
  }
  for (const vector of current.values()) {
    const norm = Math.hypot(...vector);
    if (norm > 0) for (let d = 0; d < vector.length; d++) vector[d]! /= norm;
  }
  return current;
}

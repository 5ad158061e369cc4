import type { MemoryRecord, MemoryStore, ScoredMemory } from '@neuromem/core';
import type { ScoreBreakdown, ScoreWeights } from './types';

export const DEFAULT_WEIGHTS: ScoreWeights = { similarity: 0.8, recency: 0.05, importance: 0.05, graph: 0.1 };

const DAY_MS = 86_400_000;
/** Seeds whose graph neighbourhoods are looked at; more costs time and adds little. */
const GRAPH_SEEDS = 5;

export interface Scored {
  record: MemoryRecord;
  score: number;
  breakdown: ScoreBreakdown;
}

/**
 * Combines the factors of each candidate into one score. Graph proximity rewards a candidate linked
 * (by next / same_entity / causes edges) to one of the best vector hits, weighted by that hit's
 * similarity and the link's strength: the second half of a two-part answer comes up with the first.
 */
export async function scoreCandidates(
  candidates: readonly ScoredMemory[],
  context: { store: MemoryStore; referenceTime: number; weights: ScoreWeights; halfLifeDays: number },
): Promise<Scored[]> {
  const { store, referenceTime, weights, halfLifeDays } = context;
  const inCandidates = new Set(candidates.map((c) => c.record.id));
  const graph = new Map<string, number>();
  for (const seed of candidates.slice(0, GRAPH_SEEDS)) {
    const neighbors = await store.neighbors(seed.record.id, { types: ['next', 'same_entity', 'causes', 'related'], depth: 1, limit: 50 });
    for (const neighbor of neighbors) {
      if (!inCandidates.has(neighbor.id)) continue;
      const activation = Math.max(0, seed.similarity) * neighbor.via.weight;
      graph.set(neighbor.id, Math.max(graph.get(neighbor.id) ?? 0, activation));
    }
  }
  const decay = Math.LN2 / (halfLifeDays * DAY_MS);
  return candidates
    .map(({ record, similarity }) => {
      const age = Math.max(0, referenceTime - record.eventTime);
      const breakdown: ScoreBreakdown = {
        similarity: round(Math.max(0, similarity)),
        recency: round(Math.exp(-decay * age)),
        importance: round(record.importance),
        graph: round(graph.get(record.id) ?? 0),
      };
      const score =
        weights.similarity * breakdown.similarity + weights.recency * breakdown.recency + weights.importance * breakdown.importance + weights.graph * breakdown.graph;
      return { record, score: round(score), breakdown };
    })
    .sort((a, b) => b.score - a.score || b.record.eventTime - a.record.eventTime);
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

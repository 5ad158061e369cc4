import { dot, type MemoryRecord } from '@neuromem/core';
import type { Candidate } from './collect-candidates';
import type { FeatureVector } from './features';
import { logitOf, scoreWithRanker, type RankerModel } from './ranker-model';

/** Two memories of one speaker this similar say the same thing; the newer one is the current truth. */
export const RESTATEMENT_SIMILARITY = 0.85;

const RESTATEMENT_WINDOW = 30;

export interface RankedMemory {
  record: MemoryRecord;
  /** sigmoid(logit): the ranker's probability that the memory is evidence among this query's candidates. */
  score: number;
  /** The ranker's logit (bias + Σ contributions): how the memory compares with the other candidates. */
  logit: number;
  factors: FeatureVector;
  contributions: FeatureVector;
  /** What the asking user's adaptation added to the logit (0 without one). */
  personal: number;
  /** The memory's vector at the search scale, when it has one. */
  vector?: Float32Array;
  /** The id of an older memory this one restates (it ranks right above it). */
  restates?: string;
}

/**
 * Scores candidates with the ranker (plus `personal`, what a user's adaptation adds to each
 * candidate's logit, in order), best first. Knowledge updates: when a newer memory of the same
 * speaker restates an older one that ranks above it, the newer moves just above the older; the older
 * stays in the list (and in history) instead of being hidden.
 */
export function rankCandidates(candidates: readonly Candidate[], ranker: RankerModel, limit = candidates.length, personal?: readonly number[]): RankedMemory[] {
  const scored = candidates
    .map((candidate, i) => ({
      candidate,
      personal: personal?.[i] ?? 0,
      logit: logitOf(ranker, candidate.features) + (personal?.[i] ?? 0),
      ranked: { record: candidate.record, score: 0, logit: 0, factors: candidate.features, personal: 0, ...(candidate.vector ? { vector: candidate.vector } : {}) } as RankedMemory,
    }))
    .sort((a, b) => b.logit - a.logit || b.ranked.record.eventTime - a.ranked.record.eventTime);
  const norms = new Map<Candidate, number>();
  const normOf = (candidate: Candidate) => {
    let norm = norms.get(candidate);
    if (norm === undefined) norms.set(candidate, (norm = Math.sqrt(dot(candidate.vector!, candidate.vector!)) || 1));
    return norm;
  };
  const restates = (older: Candidate, newer: Candidate) => dot(older.vector!, newer.vector!) / (normOf(older) * normOf(newer)) >= RESTATEMENT_SIMILARITY;

  // Only the head is re-ordered: restatements matter where users look, and pairs cost O(n²).
  const ordered = scored.slice(0, RESTATEMENT_WINDOW);
  for (let j = 1; j < ordered.length; j++) {
    const newer = ordered[j]!;
    if (!newer.candidate.vector) continue;
    const i = ordered.findIndex(
      (older, at) =>
        at < j &&
        older.candidate.vector !== undefined &&
        older.ranked.record.role === newer.ranked.record.role &&
        older.ranked.record.eventTime < newer.ranked.record.eventTime &&
        restates(older.candidate, newer.candidate),
    );
    if (i < 0) continue;
    newer.ranked.restates = ordered[i]!.ranked.record.id;
    ordered.splice(j, 1);
    ordered.splice(i, 0, newer);
  }
  // Only what is returned gets its explanation.
  return [...ordered, ...scored.slice(RESTATEMENT_WINDOW)].slice(0, limit).map((entry) => {
    const { logit, contributions } = scoreWithRanker(ranker, entry.candidate.features);
    const total = logit + entry.personal;
    return { ...entry.ranked, score: 1 / (1 + Math.exp(-total)), logit: total, contributions, personal: entry.personal };
  });
}

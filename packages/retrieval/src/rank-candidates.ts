import type { MemoryRecord } from '@neuromem/core';
import { orderFactUpdates, type FactUpdateOptions } from './order-fact-updates';
import type { Candidate } from './collect-candidates';
import type { FeatureVector } from './features';
import { logitOf, scoreWithRanker, type RankerModel } from './ranker-model';

/**
 * Knowledge updates re-order this many of the best: where users look, and what recall@10 counts, so
 * a preference between versions never pushes another memory out of the first ten.
 */
export const FACT_WINDOW = 10;

/** Linked versions from below the head that may join it per search. */
const MAX_JOINED = 5;
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
  /** The id of an older statement of the same fact this one now ranks above (see `orderFactUpdates`). */
  restates?: string;
}

/**
 * Scores candidates with the ranker (plus `personal`, what a user's adaptation adds to each
 * candidate's logit, in order), best first. Knowledge updates (`updates`): among the first
 * `FACT_WINDOW`, joined by versions linked to them, statements of the same fact are ordered as the
 * query's stance asks (`orderFactUpdates`); older versions stay in the list (and in history).
 */
export function rankCandidates(candidates: readonly Candidate[], ranker: RankerModel, limit = candidates.length, personal?: readonly number[], updates?: FactUpdateOptions): RankedMemory[] {
  const scored = candidates
    .map((candidate, i) => ({
      candidate,
      record: candidate.record,
      vector: candidate.vector,
      personal: personal?.[i] ?? 0,
      logit: logitOf(ranker, candidate.features) + (personal?.[i] ?? 0),
    }))
    .sort((a, b) => b.logit - a.logit || b.record.eventTime - a.record.eventTime);
  // Versions a sleep linked to a statement in the head join it there, whatever their own rank.
  const top = scored.slice(0, FACT_WINDOW);
  const ids = new Set(top.map((entry) => entry.record.id));
  const partners = new Set<string>();
  for (const pair of updates?.linked ?? []) {
    const [newer, older] = pair.split('>') as [string, string];
    if (ids.has(newer) && !ids.has(older)) partners.add(older);
    if (ids.has(older) && !ids.has(newer)) partners.add(newer);
  }
  const joined = scored
    .slice(FACT_WINDOW)
    .filter((entry) => partners.has(entry.record.id))
    .slice(0, MAX_JOINED);
  const head: Array<{ entry: (typeof scored)[number]; restates?: string | undefined }> = updates ? orderFactUpdates([...top, ...joined], updates) : [...top, ...joined].map((entry) => ({ entry }));
  const ordered = [
    ...head,
    ...scored
      .slice(FACT_WINDOW)
      .filter((entry) => !joined.includes(entry))
      .map((entry) => ({ entry, restates: undefined })),
  ];
  // Only what is returned gets its explanation.
  return ordered.slice(0, limit).map(({ entry, restates }) => {
    const { logit, contributions } = scoreWithRanker(ranker, entry.candidate.features);
    const total = logit + entry.personal;
    return {
      record: entry.record,
      score: 1 / (1 + Math.exp(-total)),
      logit: total,
      factors: entry.candidate.features,
      contributions,
      personal: entry.personal,
      ...(entry.vector ? { vector: entry.vector } : {}),
      ...(restates ? { restates } : {}),
    };
  });
}

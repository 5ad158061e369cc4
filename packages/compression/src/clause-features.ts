import { KEEP_FEATURES } from './keep-features';

/**
 * What the keep model sees of a clause, the compressor's unit: the mean and the maximum of its
 * words' features (a clause "holds a date" when one word is a date, "is about the query" by its
 * share of query words), how many tokens it costs, where it sits in its memory, and (`semantic`) its
cosine with the question by a sentence encoder, 0 without one. Only append.
 */
export const CLAUSE_FEATURES = [...KEEP_FEATURES.map((name) => `mean:${name}`), ...KEEP_FEATURES.map((name) => `max:${name}`), 'tokens', 'clausePosition', 'firstClause', 'semantic'] as const;

/** The clause's features from its words' feature rows (KEEP_FEATURES order), in CLAUSE_FEATURES order. */
export function clauseFeatures(wordFeatures: ReadonlyArray<readonly number[]>, clause: { cost: number; index: number; count: number; semantic?: number }): number[] {
  const n = KEEP_FEATURES.length;
  const mean = new Array<number>(n).fill(0);
  const max = new Array<number>(n).fill(-Infinity);
  for (const row of wordFeatures) {
    for (let j = 0; j < n; j++) {
      mean[j]! += row[j]!;
      if (row[j]! > max[j]!) max[j] = row[j]!;
    }
  }
  for (let j = 0; j < n; j++) mean[j]! /= Math.max(1, wordFeatures.length);
  return [
    ...mean,
    ...max.map((value) => (Number.isFinite(value) ? value : 0)),
    Math.log1p(clause.cost),
    clause.count > 1 ? clause.index / (clause.count - 1) : 0,
    clause.index === 0 ? 1 : 0,
    clause.semantic ?? 0,
  ];
}

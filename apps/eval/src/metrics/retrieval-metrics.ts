/**
 * LoCoMo's retrieval metrics. Every function takes the ranked dia_ids a system returned and the
 * question's evidence ids that resolve to a turn (unresolvable ids are dropped before, as LoCoMo does).
 */

/** Distinct ids in rank order: a system that returns a turn twice gets no second credit. */
export function firstDistinct(ranked: readonly string[], k: number): string[] {
  const seen = new Set<string>();
  for (const id of ranked) {
    if (seen.size >= k) break;
    seen.add(id);
  }
  return [...seen];
}

/** Fraction of the evidence among the first k distinct retrieved turns (LoCoMo's recall_acc). */
export function recallAtK(ranked: readonly string[], evidence: readonly string[], k: number): number {
  if (evidence.length === 0) throw new RangeError('recallAtK needs at least one evidence id');
  const top = new Set(firstDistinct(ranked, k));
  return new Set(evidence).size === 0 ? 0 : [...new Set(evidence)].filter((id) => top.has(id)).length / new Set(evidence).size;
}

/** Fraction of the evidence's sessions that contain at least one of the first k retrieved turns. */
export function sessionRecallAtK(ranked: readonly string[], evidence: readonly string[], k: number, sessionOf: (diaId: string) => number | undefined): number {
  const wanted = new Set(evidence.map(sessionOf).filter((s): s is number => s !== undefined));
  if (wanted.size === 0) throw new RangeError('sessionRecallAtK needs evidence in at least one session');
  const retrieved = new Set(firstDistinct(ranked, k).map(sessionOf));
  return [...wanted].filter((s) => retrieved.has(s)).length / wanted.size;
}

/** Binary-relevance NDCG@k. */
export function ndcgAtK(ranked: readonly string[], evidence: readonly string[], k: number): number {
  const relevant = new Set(evidence);
  const dcg = firstDistinct(ranked, k).reduce((sum, id, i) => sum + (relevant.has(id) ? 1 / Math.log2(i + 2) : 0), 0);
  let ideal = 0;
  for (let i = 0; i < Math.min(relevant.size, k); i++) ideal += 1 / Math.log2(i + 2);
  return ideal === 0 ? 0 : dcg / ideal;
}

/** 1 / rank of the first evidence turn in the list, 0 if none is retrieved. */
export function reciprocalRank(ranked: readonly string[], evidence: readonly string[]): number {
  const relevant = new Set(evidence);
  const index = firstDistinct(ranked, Number.POSITIVE_INFINITY).findIndex((id) => relevant.has(id));
  return index < 0 ? 0 : 1 / (index + 1);
}

/** Percentile by nearest rank on a copy (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const mean = (values: readonly number[]) => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);

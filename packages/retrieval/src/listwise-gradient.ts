import type { RankingDesign } from './train-hidden-ranker';

/**
 * d loss / d logit for every row of the listwise softmax cross-entropy, averaged over queries:
 * `softmax(logits)_r − [r relevant] / positives`. Written into `out`; both trainers chain it into
 * their weights.
 */
export function listwiseLogitGradient(design: RankingDesign, logits: Float64Array, out: Float64Array): void {
  const { label, queries } = design;
  for (const { start, end, positives } of queries) {
    let top = -Infinity;
    for (let r = start; r < end; r++) top = Math.max(top, logits[r]!);
    let total = 0;
    for (let r = start; r < end; r++) total += Math.exp(logits[r]! - top);
    for (let r = start; r < end; r++) out[r] = (Math.exp(logits[r]! - top) / total - (label[r] ? 1 / positives : 0)) / queries.length;
  }
}

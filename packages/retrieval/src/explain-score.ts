import { FEATURES, type FeatureVector } from './features';

/** Why a result scored what it did: each factor's value and its signed part of the score. */
export interface ScoreBreakdown {
  factors: FeatureVector;
  /** What each factor added to the ranker's logit. */
  contributions: FeatureVector;
  /** The ranker's logit: bias + Σ contributions (+ `personal`). It orders one query's candidates; `score` is the calibrated relevance. */
  logit: number;
  /** What the asking user's adaptation (learned from their feedback) added to the logit; absent when nothing. */
  personal?: number;
  /** Set when this memory restates an older one (same speaker, same content) and so ranks above it. */
  restates?: string;
}

/**
 * One line saying why a result ranks where it does: the factors that moved its score most, with
 * their value and signed contribution, e.g. `lexical 0.82 (+1.31) · speakerNamed 1 (+0.44)`. Empty
 * for results without a breakdown (from `get` or `getAll`).
 */
export function explainScore(breakdown: ScoreBreakdown | undefined, options: { top?: number } = {}): string {
  if (!breakdown) return '';
  const top = options.top ?? 4;
  const parts = FEATURES.filter((name) => breakdown.contributions[name] !== 0)
    .sort((a, b) => Math.abs(breakdown.contributions[b]) - Math.abs(breakdown.contributions[a]))
    .slice(0, top)
    .map((name) => `${name} ${format(breakdown.factors[name])} (${signed(breakdown.contributions[name])})`);
  if (breakdown.personal) parts.push(`personal (${signed(breakdown.personal)})`);
  if (breakdown.restates) parts.push(`restates ${breakdown.restates}`);
  return parts.join(' · ');
}

const format = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));
const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(2)}`;

/**
 * LoCoMo's answer F1, ported from snap-research/locomo `task_eval/evaluation.py` (commit 92286325):
 * `f1_score` (stemmed token F1), `f1` (multi-answer F1) and the per-category choice made in
 * `eval_question_answering`.
 *
 * One deliberate deviation: LoCoMo stems with NLTK's `PorterStemmer()` (Porter 1980 plus NLTK's
 * extensions); this uses the Porter2 (Snowball English) stemmer already installed with
 * wink-nlp-utils. Both sides of a comparison go through the same stemmer, so the two differ only
 * where the algorithms disagree, e.g. "generously" (NLTK "gener", Porter2 "generous") or "1990s"
 * (NLTK "1990", Porter2 keeps it), so a few answers score slightly differently than in the paper.
 */
import winkStem from 'wink-nlp-utils/src/string-stem.js';
import type { Category } from '../locomo/load-locomo';
import { normalizeAnswer } from './normalize-answer';

// wink-porter2-stemmer marks a consonant "Y" with the digit 3 and turns every 3 back into "y"
// ("2023" -> "202i", "3pm" -> "ypm"). Years matter in LoCoMo, so hide real 3s from it.
const THREE = '\uE000';
const stem = winkStem;
const stemToken = (token: string) => stem(token.replaceAll('3', THREE)).replaceAll(THREE, '3');

const stemmedTokens = (text: string) =>
  normalizeAnswer(text)
    .split(' ')
    .filter((token) => token !== '')
    .map(stemToken);

/** `f1_score`: F1 over the multiset of normalized, stemmed tokens; 0 when nothing overlaps or a side is empty. */
export function tokenF1(prediction: string, groundTruth: string): number {
  const predicted = stemmedTokens(prediction);
  const expected = stemmedTokens(groundTruth);
  const remaining = new Map<string, number>();
  for (const token of expected) remaining.set(token, (remaining.get(token) ?? 0) + 1);
  let same = 0;
  for (const token of predicted) {
    const left = remaining.get(token) ?? 0;
    if (left > 0) {
      same += 1;
      remaining.set(token, left - 1);
    }
  }
  if (same === 0) return 0;
  const precision = same / predicted.length;
  const recall = same / expected.length;
  return (2 * precision * recall) / (precision + recall);
}

/**
 * `f1`: both sides split on ","; every gold part takes its best-matching predicted part, and the
 * gold parts are averaged. Multi-hop answers list several items ("Paris, Rome"), and this credits
 * each item once whatever order the model lists them in.
 */
export function multiAnswerF1(prediction: string, groundTruth: string): number {
  const predictions = prediction.split(',').map((part) => part.trim());
  const groundTruths = groundTruth.split(',').map((part) => part.trim());
  const best = groundTruths.map((truth) => Math.max(...predictions.map((part) => tokenF1(part, truth))));
  return best.reduce((sum, value) => sum + value, 0) / best.length;
}

/**
 * The score LoCoMo gives an answer of each category (`eval_question_answering`):
 * 1 multi-hop -> `multiAnswerF1`; 2 temporal and 4 single-hop -> `tokenF1`; 3 open-domain ->
 * `tokenF1` against the gold answer's first ";"-separated alternative; 5 adversarial -> 1 when the
 * answer says "no information available" or "not mentioned", else 0.
 */
export function locomoF1(prediction: string, answer: string, category: Category): number {
  switch (category) {
    case 1:
      return multiAnswerF1(prediction, answer);
    case 3:
      return tokenF1(prediction, answer.split(';')[0]!.trim());
    case 5: {
      const said = prediction.toLowerCase();
      return said.includes('no information available') || said.includes('not mentioned') ? 1 : 0;
    }
    default:
      return tokenF1(prediction, answer);
  }
}

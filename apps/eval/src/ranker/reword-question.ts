import { ENGLISH_STOP_WORDS, stemWord } from '@neuromem/core';
import type { WordNet } from './wordnet';

/**
 * An alternative must be at least this close to the word (cosine of their word vectors): WordNet
 * lists every sense, and a rare one reads as nonsense ("support group" -> "back up radical").
 */
const MIN_CLOSENESS = 0.35;

const WORD = /[A-Za-z][A-Za-z'-]*/g;
const stemsOf = (text: string): Set<string> => new Set([...text.toLowerCase().matchAll(WORD)].map(([word]) => stemWord(word)));

/**
 * The question with every word it shares with its evidence said otherwise: a WordNet synonym or a
 * broader word that the evidence does not use, the closest in meaning by `closeness` ("What did Caroline research?" -> "What did Caroline
 * investigate?"), or dropped when WordNet offers none. Names (capitalized words after the first)
 * and function words stay. Undefined when the question shares no word with its evidence: it is
 * worded differently already.
 *
 * A ranker fitted on questions that mostly repeat their answer's words learns to trust shared words;
 * questions reworded this way show it what a question looks like when the words are not shared, so
 * it learns to trust meaning there (training data only: the figures come from sets written by people).
 */
export function rewordQuestion(question: string, evidence: readonly string[], wordnet: WordNet, closeness: (word: string, alternative: string) => number): string | undefined {
  const shared = stemsOf(evidence.join(' '));
  const own = stemsOf(question);
  let changed = false;
  let first = true;
  const reworded = question.replace(WORD, (word) => {
    const isFirst = first;
    first = false;
    const lower = word.toLowerCase();
    if (ENGLISH_STOP_WORDS.has(lower) || lower.length < 3 || (!isFirst && word[0] !== lower[0]) || !shared.has(stemWord(lower))) return word;
    changed = true;
    let best = '';
    let bestCloseness = MIN_CLOSENESS;
    for (const alternative of wordnet.alternatives(lower)) {
      if (!/^[a-z][a-z -]*$/.test(alternative) || alternative.split(/[ -]/).some((part) => shared.has(stemWord(part)) || own.has(stemWord(part)))) continue;
      const value = closeness(lower, alternative);
      if (value > bestCloseness) [best, bestCloseness] = [alternative, value];
    }
    return best;
  });
  return changed
    ? reworded
        .replace(/\s{2,}/g, ' ')
        .replace(/\s+([?.,!])/g, '$1')
        .trim()
    : undefined;
}

import { ENGLISH_STOP_WORDS } from '@neuromem/core';
import type { WordContext } from './keep-features';
import { questionCues } from './question-cues';
import { splitWords, stemOf, type Word } from './words';

/**
 * The feature context of every memory for one query, best-ranked first. Shared by the compressor
 * and by whoever makes training examples, so the keep model is fitted on exactly what it will see.
 */
export function wordContexts(words: ReadonlyArray<readonly Word[]>, query: string, scores: readonly number[]): WordContext[] {
  const queryKeys = new Set(
    splitWords(query)
      .map((word) => word.key)
      .filter((key) => key.length > 0 && !ENGLISH_STOP_WORDS.has(key))
      .map(stemOf),
  );
  const cues = questionCues(query);
  const itemFrequency = new Map<string, number>();
  for (const list of words) for (const key of new Set(list.map((word) => word.key))) itemFrequency.set(key, (itemFrequency.get(key) ?? 0) + 1);
  const best = Math.max(...scores);
  const worst = Math.min(...scores);
  return words.map((list, rank) => ({
    words: list,
    query: queryKeys,
    itemFrequency,
    items: words.length,
    rank,
    relevance: best > worst ? (scores[rank]! - worst) / (best - worst) : 1,
    cues,
  }));
}

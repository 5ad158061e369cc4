import { clauseFeatures } from './clause-features';
import type { ClauseSimilarity } from './clause-similarity';
import { clauseRanges } from './clauses';
import { keepFeatures } from './keep-features';
import { wordContexts } from './word-contexts';
import type { Word } from './words';

/** One clause of one memory, as the keep model and the selection see it. */
export interface ClauseCandidate {
  /** The memory's index (best-ranked first) and the clause's words [from, to). */
  item: number;
  from: number;
  to: number;
  /** Estimated tokens of its words. */
  cost: number;
  /** In CLAUSE_FEATURES order. */
  features: number[];
}

/**
 * Every clause of every memory for one query, with its features. Shared by the compressor and by
 * whoever makes training examples, so the keep model is fitted on exactly what it will see.
 */
export function clauseCandidates(words: ReadonlyArray<readonly Word[]>, query: string, scores: readonly number[], wordCost: (text: string) => number, semantic?: ClauseSimilarity): ClauseCandidate[] {
  const contexts = wordContexts(words, query, scores);
  const candidates: ClauseCandidate[] = [];
  words.forEach((list, item) => {
    const rows = list.map((_, index) => keepFeatures(index, contexts[item]!));
    const ranges = clauseRanges(list);
    ranges.forEach(({ from, to }, index) => {
      let cost = 0;
      for (let k = from; k < to; k++) cost += wordCost(list[k]!.text);
      candidates.push({ item, from, to, cost, features: clauseFeatures(rows.slice(from, to), { cost, index, count: ranges.length, semantic: semantic?.(item, from) ?? 0 }) });
    });
  });
  return candidates;
}

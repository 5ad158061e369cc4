import { contentWords, dot } from '@neuromem/core';

/**
 * Context-free word vectors, for matching a query's words with a memory's one by one: the space of
 * the embedder's semantic part (its lexicon). Optional; without one only the same words match.
 */
export interface WordSpace {
  /** A unit vector for a lower-case word (a guess from its spelling for words the space does not know). */
  vectorOf(word: string): Float32Array;
  /** How much a word says, > 0: rare words more than common ones (e.g. its SIF weight). */
  weightOf(word: string): number;
}

/**
 * Below this cosine two different words count as no match. Chosen with the word match alone ranking
 * every turn of a conversation (floors 0.25 / 0.3 / 0.35 / 0.4 / 0.45): paraphrase set R@5 0.517 /
 * 0.494 / 0.511 / 0.511 / 0.444, LoCoMo dev R@10 0.652 / 0.643 / 0.641 / 0.622 / 0.620, and with the
 * semantic cosine and word overlap beside it paraphrase R@5 0.650 / 0.661 / 0.672 / 0.667 / 0.628
 * (apps/eval/RESULTS.md, session 55).
 */
export const WORD_MATCH_FLOOR = 0.35;

/**
 * A soft coverage of the query by one memory: for each content word of the query, its best match
 * among the memory's words (1 for the same stem, else their cosine when at least `WORD_MATCH_FLOOR`),
 * weighted by how much the query word says, over the query's total weight. Unlike a sentence vector,
 * where "pet" is averaged away among a turn's other words, each query word here keeps its own best
 * match ("what pet does Liam have" finds "my dog Rusty"); unlike word overlap, the match need not be
 * the same word. Each memory word's cosines are computed once per query.
 */
export function createWordMatcher(space: WordSpace | undefined, query: string): (text: string) => number {
  // Without a word space only the same words match, each weighing alike: the overlap a gate fitted
  // on word matches still reads sensibly, where a constant 0 would say that nothing ever matches.
  const asked = contentWords(query).map(({ word, stem }) => ({ stem, vector: space?.vectorOf(word), weight: space ? space.weightOf(word) : 1 }));
  const total = asked.reduce((sum, word) => sum + word.weight, 0);
  // Per memory word (by stem): its match with each query word, in order.
  const matches = new Map<string, Float64Array>();
  const matchesOf = (word: string, stem: string): Float64Array => {
    let row = matches.get(stem);
    if (row === undefined) {
      const vector = space && asked.some((q) => q.stem !== stem) ? space.vectorOf(word) : undefined;
      row = Float64Array.from(asked, (q) => {
        if (q.stem === stem) return 1;
        if (q.vector === undefined || vector === undefined) return 0;
        const cosine = dot(q.vector, vector);
        return cosine >= WORD_MATCH_FLOOR ? cosine : 0;
      });
      matches.set(stem, row);
    }
    return row;
  };
  return (text) => {
    if (asked.length === 0 || !(total > 0)) return 0;
    const best = new Float64Array(asked.length);
    for (const { word, stem } of contentWords(text)) {
      const row = matchesOf(word, stem);
      for (let i = 0; i < row.length; i++) if (row[i]! > best[i]!) best[i] = row[i]!;
    }
    let sum = 0;
    for (let i = 0; i < asked.length; i++) sum += asked[i]!.weight * best[i]!;
    return sum / total;
  };
}

import type { TextEncoder } from '@neuromem/core';
import { clauseRanges } from './clauses';
import type { Word } from './words';

/** The cosine of a clause (item's words [from, to)) and the question, by the clause's start. */
export type ClauseSimilarity = (item: number, from: number) => number;

/**
 * How close in meaning each clause is to the question, by a sentence encoder (all clauses and the
 * question in one call): a clause that answers in other words than the question's still scores.
 * Nothing to compare (a blank question) gives 0 everywhere.
 */
export async function clauseSimilarities(encoder: TextEncoder, query: string, words: ReadonlyArray<readonly Word[]>): Promise<ClauseSimilarity> {
  const keys: string[] = [];
  const texts: string[] = [];
  words.forEach((list, item) => {
    for (const { from, to } of clauseRanges(list)) {
      const text = list
        .slice(from, to)
        .map((word) => word.text)
        .join(' ')
        .trim();
      if (text === '') continue;
      keys.push(`${item}:${from}`);
      texts.push(text);
    }
  });
  if (query.trim() === '' || texts.length === 0) return () => 0;
  const [question, ...clauses] = await encoder.encode([query, ...texts]);
  const similarity = new Map(keys.map((key, i) => [key, cosine(question!, clauses[i]!)]));
  return (item, from) => similarity.get(`${item}:${from}`) ?? 0;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

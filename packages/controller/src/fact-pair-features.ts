import { createLruCache, dot, lexicalWords, type MemoryRecord } from '@neuromem/core';

/** What the fact-pair model reads of two statements of one owner. The order is the model's column order. */
export const FACT_PAIR_FEATURES = [
  /** Cosine of the two turn vectors (words and meaning together). */
  'cosine',
  /** Cosine on the embedder's semantic part alone (meaning: "flat" and "apartment"); 0 without one. */
  'semantic',
  /** Shared content words over the smaller text's (a name, a place, "job"). */
  'sharedWords',
  /** Both said by the same speaker. */
  'sameSpeaker',
  /** Both in one session: a fact's versions are usually told in different conversations. */
  'sameSession',
  /** log(1 + days between them) / log(1 + 365). */
  'gap',
  /** Either is a question (a question asks about a fact more than it states one). */
  'question',
  /** log(1 + words) of the shorter one / log(101): a "yes" matches anything. */
  'shortLength',
] as const;

export type FactPairFeature = (typeof FACT_PAIR_FEATURES)[number];
export type FactPairFeatures = Record<FactPairFeature, number>;

/** A statement as the model sees it: the memory and its vector at the searched scale. */
export interface FactPairStatement {
  record: MemoryRecord;
  vector?: Float32Array | undefined;
}

/** The `[start, end)` of the embedder's semantic part in the searched scale's vectors, when it has one. */
export type SemanticRange = readonly [start: number, end: number] | undefined;

const DAY = 86_400_000;
// Content words per text, by hash: the same memories are paired again and again.
const wordCache = createLruCache<string, Set<string>>({ maxCost: 20_000 });

function wordsOf(record: MemoryRecord): Set<string> {
  let words = wordCache.get(record.hash);
  if (!words) wordCache.set(record.hash, (words = new Set(lexicalWords(record.text))));
  return words;
}

/** The features of a pair; `older` was said first. */
export function factPairFeatures(older: FactPairStatement, newer: FactPairStatement, semanticRange: SemanticRange): FactPairFeatures {
  const a = wordsOf(older.record);
  const b = wordsOf(newer.record);
  let shared = 0;
  for (const word of a) if (b.has(word)) shared++;
  const shorter = Math.min(a.size, b.size);
  const words = (record: MemoryRecord) => record.text.split(/\s+/).filter(Boolean).length;
  return {
    cosine: older.vector && newer.vector ? cosineOf(older.vector, newer.vector) : 0,
    semantic: older.vector && newer.vector && semanticRange ? cosineOf(older.vector.subarray(...semanticRange), newer.vector.subarray(...semanticRange)) : 0,
    sharedWords: shorter > 0 ? shared / shorter : 0,
    sameSpeaker: older.record.role !== null && older.record.role === newer.record.role ? 1 : 0,
    sameSession: older.record.scope.sessionId !== undefined && older.record.scope.sessionId === newer.record.scope.sessionId ? 1 : 0,
    gap: Math.log1p(Math.abs(newer.record.eventTime - older.record.eventTime) / DAY) / Math.log1p(365),
    question: /\?\s*$/.test(older.record.text) || /\?\s*$/.test(newer.record.text) ? 1 : 0,
    shortLength: Math.log1p(Math.min(words(older.record), words(newer.record))) / Math.log(101),
  };
}

function cosineOf(a: Float32Array, b: Float32Array): number {
  const norms = Math.sqrt(dot(a, a) * dot(b, b));
  return norms > 0 ? dot(a, b) / norms : 0;
}

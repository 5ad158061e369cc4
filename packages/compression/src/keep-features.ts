import { ENGLISH_STOP_WORDS } from '@neuromem/core';
import type { Word } from './words';

/**
 * What the keep-or-drop model sees of each word. Content type drives most of it (names, numbers,
 * dates and decisions are kept; greetings and fillers go), the query the rest. Only append.
 */
export const KEEP_FEATURES = [
  'stopWord',
  'filler',
  'number',
  'capitalized',
  'timeWord',
  'decisionWord',
  'negation',
  'inQuery',
  'nearQuery',
  'querySentence',
  'rare',
  'long',
  'punctuation',
  'sentenceStart',
  'position',
  'itemRank',
] as const;

export type KeepFeature = (typeof KEEP_FEATURES)[number];

/** The words around a word that its features depend on. */
export interface WordContext {
  words: readonly Word[];
  /** Keys of the query's words (stop words excluded). */
  query: ReadonlySet<string>;
  /** In how many of the items each key occurs, and how many items there are. */
  itemFrequency: ReadonlyMap<string, number>;
  items: number;
  /** 0 for the best-ranked item. */
  rank: number;
}

const FILLERS = new Set(
  `hey hi hello wow oh ooh ah aw yeah yep yes ok okay lol haha hahaha omg cool awesome amazing great nice
  glad happy thanks thank congrats congratulations love sweet totally definitely really so just like um uh
  well anyway sure right cheers btw`.split(/\s+/),
);
const TIME_WORDS = new Set(
  `yesterday today tomorrow tonight week weekend month year day days weeks months years ago last next since
  morning evening night january february march april may june july august september october november december
  monday tuesday wednesday thursday friday saturday sunday spring summer autumn fall winter recently before after`.split(/\s+/),
);
const DECISION_WORDS = new Set(
  `decided decide will won't going plan planning planned promise promised agreed agree must need booked bought
  started start finished quit moved signed joined adopted accepted chose choose want wanted hope hoping try trying`.split(/\s+/),
);
const NEGATIONS = new Set(['not', 'no', 'never', "n't", "don't", "didn't", "won't", "can't", "isn't", "wasn't"]);

export function keepFeatures(index: number, context: WordContext): number[] {
  const { words, query } = context;
  const word = words[index]!;
  const lower = word.text.toLowerCase();
  const previous = words[index - 1];
  const sentenceStart = !previous || previous.sentence !== word.sentence;
  const { positions, sentences } = queryMatches(words, query);
  let nearest = Infinity;
  for (const position of positions) nearest = Math.min(nearest, Math.abs(position - index));
  const querySentence = sentences.has(word.sentence) ? 1 : 0;
  const frequency = context.itemFrequency.get(word.key) ?? 1;
  return [
    ENGLISH_STOP_WORDS.has(word.key) ? 1 : 0,
    FILLERS.has(word.key) ? 1 : 0,
    /\d/.test(word.text) ? 1 : 0,
    /^\p{Lu}/u.test(word.text) && !sentenceStart ? 1 : 0,
    TIME_WORDS.has(word.key) || TIME_WORDS.has(lower) ? 1 : 0,
    DECISION_WORDS.has(word.key) || DECISION_WORDS.has(lower) ? 1 : 0,
    NEGATIONS.has(lower) || lower.endsWith("n't") ? 1 : 0,
    query.has(word.key) ? 1 : 0,
    Number.isFinite(nearest) ? Math.exp(-nearest / 3) : 0,
    querySentence,
    context.items > 1 ? Math.log(context.items / frequency) / Math.log(context.items) : 1,
    Math.min(1, word.key.length / 10),
    word.key.length === 0 ? 1 : 0,
    sentenceStart ? 1 : 0,
    words.length > 1 ? index / (words.length - 1) : 0,
    1 / (1 + context.rank),
  ];
}

/** Where a memory's words match the query, found once per memory rather than once per word. */
const matchCache = new WeakMap<readonly Word[], { query: ReadonlySet<string>; positions: number[]; sentences: Set<number> }>();

function queryMatches(words: readonly Word[], query: ReadonlySet<string>): { positions: number[]; sentences: Set<number> } {
  const cached = matchCache.get(words);
  if (cached && cached.query === query) return cached;
  const positions: number[] = [];
  const sentences = new Set<number>();
  words.forEach((word, j) => {
    if (!query.has(word.key)) return;
    positions.push(j);
    sentences.add(word.sentence);
  });
  matchCache.set(words, { query, positions, sentences });
  return { positions, sentences };
}

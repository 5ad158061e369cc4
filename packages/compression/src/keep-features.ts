import { ENGLISH_STOP_WORDS } from '@neuromem/core';
import { describeMemory } from './describe-memory';
import type { QuestionCues } from './question-cues';
import { DECISION_WORDS, FILLERS, NEGATIONS, TIME_WORDS } from './word-lists';
import { stemOf, type Word } from './words';

/**
 * What the keep-or-drop model sees of each word: its content type (names, numbers, dates, fillers),
 * its place next to the query's words, its clause (does it hold the query, a word of the type the
 * question asks for, a question, only a greeting?) and its memory's rank. The model scores clauses,
 * by the mean and the maximum of their words' features (see CLAUSE_FEATURES). Only append.
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
  'afterQuery',
  'clauseQuery',
  'itemCoverage',
  'relevance',
  'timeCue',
  'countCue',
  'nameCue',
  'qualityCue',
  'name',
  'quoted',
  'caption',
  'clauseCue',
  'clauseQuestion',
  'clauseCoverage',
  'clauseContent',
  'clauseLength',
  'previousClauseQuery',
  'greetingClause',
  'nextClauseQuery',
  'clauseNovelty',
  'itemQuestion',
] as const;

export type KeepFeature = (typeof KEEP_FEATURES)[number];

/** The words around a word that its features depend on. */
export interface WordContext {
  words: readonly Word[];
  /** Stems (see stemOf) of the query's words, stop words excluded. */
  query: ReadonlySet<string>;
  /** In how many of the items each key occurs, and how many items there are. */
  itemFrequency: ReadonlyMap<string, number>;
  items: number;
  /** 0 for the best-ranked item. */
  rank: number;
  /** The item's retrieval score relative to the others: 1 for the best, 0 for the worst. */
  relevance: number;
  /** What kind of answer the query asks for. */
  cues: QuestionCues;
}

export function keepFeatures(index: number, context: WordContext): number[] {
  const { words, query, cues } = context;
  const word = words[index]!;
  const lower = word.text.toLowerCase();
  const previous = words[index - 1];
  const sentenceStart = !previous || previous.sentence !== word.sentence;
  const memory = describeMemory(words, query, cues);
  let nearest = Infinity;
  for (const position of memory.positions) nearest = Math.min(nearest, Math.abs(position - index));
  const after = memory.afterQuery[index]!;
  const clause = memory.clauses[memory.clause[index]!]!;
  const frequency = context.itemFrequency.get(word.key) ?? 1;
  const stopWord = ENGLISH_STOP_WORDS.has(word.key);
  const inQuery = query.has(stemOf(word.key));
  return [
    stopWord ? 1 : 0,
    FILLERS.has(word.key) ? 1 : 0,
    /\d/.test(word.text) ? 1 : 0,
    /^\p{Lu}/u.test(word.text) && !sentenceStart ? 1 : 0,
    TIME_WORDS.has(word.key) || TIME_WORDS.has(lower) ? 1 : 0,
    DECISION_WORDS.has(word.key) || DECISION_WORDS.has(lower) ? 1 : 0,
    NEGATIONS.has(lower) || lower.endsWith("n't") ? 1 : 0,
    inQuery ? 1 : 0,
    Number.isFinite(nearest) ? Math.exp(-nearest / 3) : 0,
    memory.sentences.has(word.sentence) ? 1 : 0,
    context.items > 1 ? Math.log(context.items / frequency) / Math.log(context.items) : 1,
    Math.min(1, word.key.length / 10),
    word.key.length === 0 ? 1 : 0,
    sentenceStart ? 1 : 0,
    words.length > 1 ? index / (words.length - 1) : 0,
    1 / (1 + context.rank),
    Number.isFinite(after) ? Math.exp(-after / 3) : 0,
    clause.queryWords > 0 ? 1 : 0,
    memory.coverage,
    context.relevance,
    cues.time && memory.timeLike[index]! ? 1 : 0,
    cues.count && memory.countLike[index]! ? 1 : 0,
    cues.name && memory.nameLike[index]! && !inQuery ? 1 : 0,
    cues.quality && !stopWord && !inQuery && !FILLERS.has(word.key) ? 1 : 0,
    memory.nameLike[index]! ? 1 : 0,
    memory.quoted[index]! ? 1 : 0,
    memory.caption[index]! ? 1 : 0,
    clause.cue ? 1 : 0,
    clause.question ? 1 : 0,
    query.size > 0 ? clause.queryWords / query.size : 0,
    clause.content,
    Math.min(1, clause.length / 20),
    memory.clause[index]! > 0 && memory.clauses[memory.clause[index]! - 1]!.queryWords > 0 ? 1 : 0,
    clause.greeting ? 1 : 0,
    memory.clauses[memory.clause[index]! + 1]?.queryWords ? 1 : 0,
    clause.contentWords > 0 ? clause.novelWords / clause.contentWords : 0,
    memory.asks ? 1 : 0,
  ];
}

import { lexicalWords } from '@neuromem/core';
import { createNounCoverage } from './noun-coverage';
import type { NounTaxonomy } from './noun-taxonomy';

/**
 * What the calibrator reads of each result. The ranker's factors are relative to the query (its
 * lexical score is divided by the best one, its graph score by the most activated memory), so they
 * order one query's candidates but cannot say whether any of them answers it. These add absolute
 * evidence: how similar the memory is, how much of the question's wording it holds, and how good
 * the whole list is.
 */
export const RESULT_FEATURES = [
  /** The ranker's logit: how this memory compares with the other candidates. */
  'logit',
  /** The best result's logit minus this one's (0 for the first). */
  'logitGap',
  /** log(1 + rank by logit among the first results), 0 for the best. */
  'rank',
  /** Cosine of the query and the memory (every part of the embedding). */
  'turnSimilarity',
  /** Cosine on the embedding's semantic part (meaning, not words). */
  'semanticSimilarity',
  /** Share of the query's content words (stemmed, stop words left out) found in the memory. */
  'coverage',
  /** The ranker's `questionEcho`: the memory is a question, this similar to the query (a question asked before answers nothing). */
  'questionEcho',
  /** The list's best `coverage`: does any one memory hold the question's words? */
  'topCoverage',
  /** Share of the query's content words found in any result: a word no result holds is a fact never said. */
  'unionCoverage',
  /**
   * `unionCoverage` over the results that are not questions: a question asked before (a chat keeps
   * its user's questions) holds the words of the same question asked again, and answers nothing.
   */
  'statementCoverage',
  /** The ranker's `wordMatch`: the query's words each matched by the memory's nearest word (same or near in meaning). */
  'wordMatch',
  /**
   * Mean over the question's nouns of how far the memory names each, itself or a kind of it
   * (`createNounCoverage`: "beagle" for "dog", not "cat"); 0.5 when the question has no noun or no
   * taxonomy was given (nothing to tell).
   */
  'nounCoverage',
  /** The same over the first results that are not questions, each noun by its best result: was it ever named? */
  'unionNounCoverage',
  /**
   * 1 when the question speaks of its asker ("my", "I", "we"): a user asking about themselves,
   * where what was never said sits next to what was (a cat owner asked about a dog).
   */
  'firstPerson',
] as const;

/** What the answerability gate reads of a whole list, once each result has its probability. */
const LIST_FEATURES = [
  /** log of the best result's probability of being useful. */
  'bestRelevance',
  /** The list's best `turnSimilarity`. */
  'topTurnSimilarity',
  /** The list's best `semanticSimilarity`. */
  'topSemanticSimilarity',
  'topCoverage',
  'unionCoverage',
  'statementCoverage',
  /** The best `turnSimilarity` among the results that are not questions (see `statementCoverage`). */
  'topStatementSimilarity',
  /**
   * log of the sum of the first results' probabilities: how many useful memories the list is
   * expected to hold. Two likely answers say more than one, which `bestRelevance` cannot tell.
   */
  'listRelevance',
  /** The list's best `wordMatch`: does any one memory hold the question's words, or words near them? */
  'topWordMatch',
  /** The list's best `nounCoverage`. */
  'topNounCoverage',
  'unionNounCoverage',
] as const;
type ListFeature = (typeof LIST_FEATURES)[number];

/**
 * The noun features again, for questions about their asker only (0 for the others): fitted on
 * LoCoMo's questions about named people and on first-person chats together, one slope for each.
 */
const AT_FIRST_PERSON = ['topNounCoverageAtFirstPerson', 'unionNounCoverageAtFirstPerson'] as const;

/**
 * Each list feature times `candidates`: the same evidence weighs differently when the list was
 * chosen among a dozen memories and among hundreds (one slope per size, not just a shift).
 */
const AT_SIZE = LIST_FEATURES.map((feature) => `${feature}AtSize` as const);

export const QUESTION_FEATURES = [
  ...LIST_FEATURES,
  /**
   * log(1 + how many memories the ranker chose among): all of a new user's few, a few hundred of a
   * long memory's. In a small memory every memory is a candidate, the ranker's logits sit lower and
   * a few turns hold few of any question's words, so the same list means more there.
   */
  'candidates',
  ...AT_SIZE,
  'firstPerson',
  ...AT_FIRST_PERSON,
] as const;

export type ResultFeature = (typeof RESULT_FEATURES)[number];
export type QuestionFeature = (typeof QUESTION_FEATURES)[number];
export type ResultFeatures = Record<ResultFeature, number>;
export type QuestionFeatures = Record<QuestionFeature, number>;

/** One ranked result as the retriever returns it: its text, the ranker's logit and factors. */
export interface RankedResult {
  text: string;
  logit: number;
  /** The ranker's factors; those named here are read, any missing one counts as 0. */
  factors: Readonly<Partial<Record<'turnSimilarity' | 'semanticSimilarity' | 'questionEcho' | 'wordMatch', number>>>;
}

/**
 * The list the calibrator was fitted on: `search`'s default top 10. List-wide features look at these
 * first results only, so a result's probability does not depend on how many results were asked for.
 */
export const CALIBRATED_LIST = 10;

/** The features that read WordNet's nouns: a model that reads none needs no taxonomy. */
export const NOUN_FEATURES = ['nounCoverage', 'unionNounCoverage', 'topNounCoverage', 'topNounCoverageAtSize', 'unionNounCoverageAtSize', ...AT_FIRST_PERSON] as const;

export interface ResultFeatureOptions {
  /** WordNet's nouns, for the noun features (`nounCoverage`); without it they are 0.5 (nothing to tell). */
  taxonomy?: NounTaxonomy | undefined;
}

/** "I", "my", "we", "our": the question is about its asker. */
const FIRST_PERSON = /\b(?:i|i'm|i've|i'd|i'll|me|my|mine|myself|we|we're|we've|our|ours|us)\b/i;

/** The calibrator's features for each result of one query, in order (best first). */
export function resultFeatures(query: string, results: readonly RankedResult[], options: ResultFeatureOptions = {}): ResultFeatures[] {
  const asked = new Set(lexicalWords(query));
  const finite = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? x : 0);
  const nounsOf = options.taxonomy ? createNounCoverage(query, options.taxonomy) : undefined;
  const namedBest: number[] = [];
  const unionSaid = new Set<string>();
  const statementSaid = new Set<string>();
  const rows = results.map((result, i) => {
    const said = new Set(lexicalWords(result.text));
    const statement = !(finite(result.factors.questionEcho) > 0);
    const named = nounsOf?.cover(result.text);
    if (named && statement && i < CALIBRATED_LIST) named.forEach((value, k) => (namedBest[k] = Math.max(namedBest[k] ?? 0, value)));
    let found = 0;
    for (const word of asked) {
      if (!said.has(word)) continue;
      found++;
      if (i >= CALIBRATED_LIST) continue;
      unionSaid.add(word);
      if (statement) statementSaid.add(word);
    }
    return {
      logit: finite(result.logit),
      turnSimilarity: finite(result.factors.turnSimilarity),
      semanticSimilarity: finite(result.factors.semanticSimilarity),
      questionEcho: finite(result.factors.questionEcho),
      wordMatch: finite(result.factors.wordMatch),
      coverage: asked.size === 0 ? 0 : found / asked.size,
      nounCoverage: named ? mean(named) : NOTHING_TO_TELL,
    };
  });
  const head = rows.slice(0, CALIBRATED_LIST);
  const top = (pick: (row: (typeof rows)[number]) => number) => Math.max(0, ...head.map(pick));
  const topLogit = head.length === 0 ? 0 : Math.max(...head.map((row) => row.logit));
  const list = {
    topCoverage: top((row) => row.coverage),
    unionCoverage: asked.size === 0 ? 0 : unionSaid.size / asked.size,
    statementCoverage: asked.size === 0 ? 0 : statementSaid.size / asked.size,
    // A noun no statement among the first results names counts 0.
    unionNounCoverage: nounsOf ? mean(nounsOf.nouns.map((_, k) => namedBest[k] ?? 0)) : NOTHING_TO_TELL,
    firstPerson: FIRST_PERSON.test(query) ? 1 : 0,
  };
  // Rank by logit among the first results, not by position: retrieval may put a fact's newer
  // version above an older one the ranker scored higher, and that order says nothing about whether
  // either answers. (Ties keep their order.)
  const rankOf = (logit: number, i: number) => head.filter((other, j) => other.logit > logit || (other.logit === logit && j < i)).length;
  return rows.map((row, i) => ({ ...row, logitGap: topLogit - row.logit, rank: Math.log1p(rankOf(row.logit, i)), ...list }));
}

/** The noun features' value when there is nothing to tell: no noun in the question, or no taxonomy. */
const NOTHING_TO_TELL = 0.5;

const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

/** The list's best value of a result feature, among the results the calibrator reads. */
function bestOf(results: readonly ResultFeatures[], pick: (row: ResultFeatures) => number): number {
  return Math.max(0, ...results.slice(0, CALIBRATED_LIST).map(pick));
}

/**
 * The gate's features of one query, from its results' features and their probabilities (same order),
 * and how many candidates the ranker chose them from (at least the results themselves).
 */
export function questionFeatures(results: readonly ResultFeatures[], probabilities: readonly number[], candidates = results.length): QuestionFeatures {
  const list = listFeatures(results, probabilities);
  const size = Math.log1p(Math.max(results.length, Number.isFinite(candidates) ? candidates : 0));
  const atSize = Object.fromEntries(LIST_FEATURES.map((feature) => [`${feature}AtSize`, list[feature] * size])) as Record<`${ListFeature}AtSize`, number>;
  const firstPerson = results[0]?.firstPerson ?? 0;
  return {
    ...list,
    candidates: size,
    ...atSize,
    firstPerson,
    topNounCoverageAtFirstPerson: list.topNounCoverage * firstPerson,
    unionNounCoverageAtFirstPerson: list.unionNounCoverage * firstPerson,
  };
}

/** What the list itself says: its best probabilities, similarities and coverage. */
function listFeatures(results: readonly ResultFeatures[], probabilities: readonly number[]): Record<ListFeature, number> {
  const first = results[0];
  return {
    bestRelevance: Math.log(Math.max(1e-6, ...probabilities.slice(0, CALIBRATED_LIST))),
    topTurnSimilarity: bestOf(results, (row) => row.turnSimilarity),
    topSemanticSimilarity: bestOf(results, (row) => row.semanticSimilarity),
    topCoverage: first?.topCoverage ?? 0,
    unionCoverage: first?.unionCoverage ?? 0,
    statementCoverage: first?.statementCoverage ?? 0,
    topStatementSimilarity: bestOf(results, (row) => (row.questionEcho > 0 ? 0 : row.turnSimilarity)),
    topWordMatch: bestOf(results, (row) => row.wordMatch),
    topNounCoverage: bestOf(results, (row) => row.nounCoverage),
    unionNounCoverage: first?.unionNounCoverage ?? NOTHING_TO_TELL,
    listRelevance: Math.log(
      Math.max(
        1e-6,
        probabilities.slice(0, CALIBRATED_LIST).reduce((sum, p) => sum + p, 0),
      ),
    ),
  };
}

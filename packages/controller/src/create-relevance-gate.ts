import { predictLogistic } from './logistic-model';
import { defaultNounTaxonomy, prefetchDefaultNounTaxonomy, type NounTaxonomy } from './noun-taxonomy';
import { NOUN_FEATURES, questionFeatures, resultFeatures, type RankedResult } from './relevance-features';
import type { RelevanceModel } from './relevance-model';

export interface RelevanceJudgement {
  /** P(useful) of each result, in the order given. */
  scores: number[];
  /** P(the memory answers the query at all). */
  answerable: number;
  /** Whether `answerable` clears the model's gate: false means "no memory is relevant to this query". */
  relevant: boolean;
}

export interface RelevanceGate {
  readonly model: RelevanceModel;
  /**
   * Calibrated relevance of one query's ranked results (best first), and whether to use any.
   * `candidates`: how many memories the ranker chose them from (a retriever's `retrieveCounted`); the
   * models that ship were fitted with it, and without it the results alone are counted.
   */
  judge(query: string, results: readonly RankedResult[], context?: { candidates?: number }): RelevanceJudgement;
  /**
   * Starts loading what judgements read (the shipped WordNet taxonomy, once per process, off the
   * main thread) and resolves once it is in memory. A search calls it when it starts and awaits it
   * before its first judgement, so the file is read while candidates are gathered; a process that
   * only adds never reads it. Judging without it is correct too: the file is then read at once.
   */
  ready(): Promise<void>;
}

export interface RelevanceGateOptions {
  /**
   * WordNet's nouns for a model that reads the noun features (`nounCoverage` and the rest). Default:
   * the shipped taxonomy, read in the background from the first `ready()` (once per process; a
   * judgement before it reads it then, about 20 ms).
   */
  taxonomy?: NounTaxonomy;
}

/**
 * Module 3's retrieval decision: a probability that each result is useful (so a threshold means
 * what it says), and the gate that answers "nothing relevant" instead of injecting the least bad
 * memories into a prompt. No results means nothing to answer with.
 */
export function createRelevanceGate(model: RelevanceModel, options: RelevanceGateOptions = {}): RelevanceGate {
  const readsNouns = [...model.result.features, ...model.answerable.features].some((feature) => (NOUN_FEATURES as readonly string[]).includes(feature));
  let loading: Promise<void> | undefined;
  const taxonomy = () => (readsNouns ? (options.taxonomy ?? defaultNounTaxonomy()) : undefined);
  return {
    model,
    ready: () => (loading ??= readsNouns && options.taxonomy === undefined ? prefetchDefaultNounTaxonomy() : Promise.resolve()),
    judge(query, results, context = {}) {
      if (results.length === 0) return { scores: [], answerable: 0, relevant: false };
      const features = resultFeatures(query, results, { taxonomy: taxonomy() });
      const scores = features.map((row) => predictLogistic(model.result, row));
      const answerable = predictLogistic(model.answerable, questionFeatures(features, scores, context.candidates));
      return { scores, answerable, relevant: answerable >= model.gate };
    },
  };
}

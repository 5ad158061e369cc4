import { createErrorFactory } from '@neuromem/core';
import { parseLogistic, type LogisticModel } from './logistic-model';
import { modelDocument } from './model-document';
import { QUESTION_FEATURES, RESULT_FEATURES, type QuestionFeature, type ResultFeature } from './relevance-features';

const fail = createErrorFactory('controller');

/**
 * Module 3's retrieval decisions, both learned: the probability that each result is useful (fitted
 * on labelled results: a LoCoMo evidence turn is useful, anything returned for a question the memory
 * cannot answer is not), and the probability that the memory can answer the query at all.
 */
export interface RelevanceModel {
  format: 'neuromem.relevance/v1';
  /** P(useful) of one result, from `RESULT_FEATURES`. */
  result: LogisticModel<ResultFeature>;
  /** P(the memory answers the query) from `QUESTION_FEATURES` of the whole list. */
  answerable: LogisticModel<QuestionFeature>;
  /** `context()` injects memories only when P(answerable) is at least this; chosen when the model was fitted. */
  gate: number;
  /** How it was fitted (free-form, for people). */
  fittedOn?: Record<string, unknown>;
}

const REMAKE = 'regenerate it with `neuromem-eval relevance --data <locomo.json> --fit <file>`';

/** Checks a model read from JSON: a broken file fails here, naming the command that remakes it, not later with NaN scores. */
export function parseRelevanceModel(value: unknown, source = 'relevance model'): RelevanceModel {
  const model = modelDocument<RelevanceModel>(value, { format: 'neuromem.relevance/v1', kind: 'relevance', source, remake: REMAKE });
  const { gate } = model;
  if (typeof gate !== 'number' || !(gate >= 0 && gate <= 1)) throw fail('INVALID_INPUT', `${source}.gate must be a probability in [0, 1]; ${REMAKE}.`);
  return {
    format: 'neuromem.relevance/v1',
    result: parseLogistic(model.result, RESULT_FEATURES, `${source}.result`, REMAKE),
    answerable: parseLogistic(model.answerable, QUESTION_FEATURES, `${source}.answerable`, REMAKE),
    gate,
    ...(model.fittedOn ? { fittedOn: model.fittedOn } : {}),
  };
}

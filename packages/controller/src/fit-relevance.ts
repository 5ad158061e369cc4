import { createErrorFactory } from '@neuromem/core';
import { fitLogistic, predictLogistic } from './logistic-model';
import { QUESTION_FEATURES, RESULT_FEATURES, questionFeatures, type QuestionFeature, type ResultFeature, type ResultFeatures } from './relevance-features';
import type { RelevanceModel } from './relevance-model';

const fail = createErrorFactory('controller');

/** One query: its results (best first) with their features and usefulness, and whether it can be answered at all. */
export interface RelevanceExample {
  results: ReadonlyArray<{ features: ResultFeatures; useful: boolean }>;
  answerable: boolean;
  /** How many memories the ranker chose the results from (default: the results alone). */
  candidates?: number;
  /**
   * How much the query counts in the answerability fit (default 1): e.g. a set's few unanswerable
   * questions weighted up to as much, in all, as its answerable ones. Each result counts once in the
   * result fit whatever its query's weight.
   */
  weight?: number;
}

export interface FitRelevanceOptions {
  resultFeatures?: readonly ResultFeature[];
  questionFeatures?: readonly QuestionFeature[];
  /** L2 penalty on the standardized weights, per example (default 1e-3). */
  l2?: number;
  /** The model's gate (see `RelevanceModel.gate`); default 0.5. */
  gate?: number;
  note?: Record<string, unknown>;
}

/**
 * Fits both parts: the result model on every result's usefulness, then the answerability model on
 * each query's list as the result model scores it. Both are logistic regressions (`fitLogistic`).
 */
export function fitRelevance(examples: readonly RelevanceExample[], options: FitRelevanceOptions = {}): RelevanceModel {
  const l2 = options.l2 ?? 1e-3;
  const gate = options.gate ?? 0.5;
  if (!(gate >= 0 && gate <= 1)) throw fail('INVALID_INPUT', `gate must be a probability in [0, 1], got ${String(gate)}.`);
  const rows = examples.flatMap((example) => example.results.map((result) => ({ x: result.features, y: result.useful })));
  if (!rows.some((row) => row.y) || rows.every((row) => row.y)) throw fail('INVALID_INPUT', 'fitRelevance needs both useful and useless results.');
  if (!examples.some((example) => example.answerable) || examples.every((example) => example.answerable)) {
    throw fail('INVALID_INPUT', 'fitRelevance needs both answerable and unanswerable queries.');
  }
  const result = fitLogistic(rows, options.resultFeatures ?? RESULT_FEATURES, l2);
  const questions = examples.map((example) => {
    const features = example.results.map((r) => r.features);
    return {
      x: questionFeatures(
        features,
        features.map((f) => predictLogistic(result, f)),
        example.candidates,
      ),
      y: example.answerable,
      ...(example.weight !== undefined ? { weight: example.weight } : {}),
    };
  });
  const answerable = fitLogistic(questions, options.questionFeatures ?? QUESTION_FEATURES, l2);
  return {
    format: 'neuromem.relevance/v1',
    result,
    answerable,
    gate,
    fittedOn: { queries: examples.length, answerable: questions.filter((q) => q.y).length, results: rows.length, useful: rows.filter((r) => r.y).length, l2, ...options.note },
  };
}

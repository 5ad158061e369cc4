import { createErrorFactory } from '@neuromem/core';
import { CLAUSE_FEATURES } from './clause-features';

const fail = createErrorFactory('compression');

/**
 * Logistic keep-or-drop model over standardized clause features (in the spirit of LLMLingua-2's
 * token classifier, at the phrase level, small enough to run per clause in microseconds). Its
 * probability is calibrated: the chance that the clause holds what the question asks for.
 */
export interface KeepModel {
  format: 'neuromem.keep-model/v2';
  features: string[];
  mean: number[];
  scale: number[];
  weights: number[];
  bias: number;
  fittedOn?: Record<string, unknown>;
}

/** Probability that a clause belongs in the compressed text. `features` are in CLAUSE_FEATURES order. */
export function keepProbability(model: KeepModel, features: readonly number[]): number {
  let logit = model.bias;
  for (let i = 0; i < features.length; i++) logit += (model.weights[i]! * (features[i]! - model.mean[i]!)) / model.scale[i]!;
  return 1 / (1 + Math.exp(-logit));
}

export function parseKeepModel(value: unknown, source = 'keep model'): KeepModel {
  const model = value as Partial<KeepModel> | null;
  if (typeof model !== 'object' || model === null || model.format !== 'neuromem.keep-model/v2') {
    throw fail('INVALID_INPUT', `${source} is not a NeuroMem keep model (expected format "neuromem.keep-model/v2"); refit it with \`neuromem-eval fit-compressor\`.`);
  }
  if (!Array.isArray(model.features) || model.features.join() !== CLAUSE_FEATURES.join()) {
    throw fail('INVALID_INPUT', `${source} was fitted on other features (${String(model.features)}); refit it with \`neuromem-eval fit-compressor\`.`);
  }
  for (const field of ['mean', 'scale', 'weights'] as const) {
    const values = model[field];
    if (!Array.isArray(values) || values.length !== CLAUSE_FEATURES.length || !values.every(Number.isFinite)) {
      throw fail('INVALID_INPUT', `${source}.${field} must hold ${CLAUSE_FEATURES.length} finite numbers.`);
    }
  }
  if (!model.scale!.every((s) => s > 0) || typeof model.bias !== 'number' || !Number.isFinite(model.bias)) throw fail('INVALID_INPUT', `${source} has a non-positive scale or a bad bias.`);
  return model as KeepModel;
}

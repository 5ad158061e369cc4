import { createErrorFactory } from '@neuromem/core';
import { KEEP_FEATURES } from './keep-features';

const fail = createErrorFactory('compression');

/**
 * Logistic keep-or-drop model over standardized word features (in the spirit of LLMLingua-2's
 * token classifier, small enough to run per word in microseconds).
 */
export interface KeepModel {
  format: 'neuromem.keep-model/v1';
  features: string[];
  mean: number[];
  scale: number[];
  weights: number[];
  bias: number;
  fittedOn?: Record<string, unknown>;
}

/** Probability that a word belongs in the compressed text. `features` are in KEEP_FEATURES order. */
export function keepProbability(model: KeepModel, features: readonly number[]): number {
  let logit = model.bias;
  for (let i = 0; i < features.length; i++) logit += (model.weights[i]! * (features[i]! - model.mean[i]!)) / model.scale[i]!;
  return 1 / (1 + Math.exp(-logit));
}

export function parseKeepModel(value: unknown, source = 'keep model'): KeepModel {
  const model = value as Partial<KeepModel> | null;
  if (typeof model !== 'object' || model === null || model.format !== 'neuromem.keep-model/v1') {
    throw fail('INVALID_INPUT', `${source} is not a NeuroMem keep model (expected format "neuromem.keep-model/v1").`);
  }
  if (!Array.isArray(model.features) || model.features.join() !== KEEP_FEATURES.join()) {
    throw fail('INVALID_INPUT', `${source} was fitted on other features (${String(model.features)}); refit it with \`neuromem-eval fit-compressor\`.`);
  }
  for (const field of ['mean', 'scale', 'weights'] as const) {
    const values = model[field];
    if (!Array.isArray(values) || values.length !== KEEP_FEATURES.length || !values.every(Number.isFinite)) {
      throw fail('INVALID_INPUT', `${source}.${field} must hold ${KEEP_FEATURES.length} finite numbers.`);
    }
  }
  if (!model.scale!.every((s) => s > 0) || typeof model.bias !== 'number' || !Number.isFinite(model.bias)) throw fail('INVALID_INPUT', `${source} has a non-positive scale or a bad bias.`);
  return model as KeepModel;
}

import { createErrorFactory } from '@neuromem/core';
import { FEATURES, type Feature, type FeatureVector } from './features';

const fail = createErrorFactory('neuromem');

/**
 * A linear ranker over standardized features: `score = sigmoid(bias + Σ w·(x − mean) / scale)`.
 * Linear on purpose: every factor's contribution to a result is `w·(x − mean) / scale`, which is
 * the explanation a user sees, and it fits in seconds on a laptop.
 */
export interface RankerModel {
  format: 'neuromem.ranker/v1';
  /** The features the model reads; any other feature does not count. */
  features: Feature[];
  mean: number[];
  scale: number[];
  weights: number[];
  bias: number;
  /** How it was fitted (free-form, for people). */
  fittedOn?: Record<string, unknown>;
}

export interface RankerScore {
  score: number;
  /** bias + Σ contributions. Rank by this: probabilities of far-off candidates round to the same 0. */
  logit: number;
  /** What each feature added to the logit (0 for features the model does not read). */
  contributions: FeatureVector;
}

export function scoreWithRanker(model: RankerModel, features: FeatureVector): RankerScore {
  const contributions = Object.fromEntries(FEATURES.map((name) => [name, 0])) as FeatureVector;
  let logit = model.bias;
  model.features.forEach((name, i) => {
    const contribution = (model.weights[i]! * (features[name] - model.mean[i]!)) / model.scale[i]!;
    contributions[name] = contribution;
    logit += contribution;
  });
  return { score: 1 / (1 + Math.exp(-logit)), logit, contributions };
}

/** The logit alone, without allocating: ranking needs it for every candidate, explanations only for the results. */
export function logitOf(model: RankerModel, features: FeatureVector): number {
  let logit = model.bias;
  for (let i = 0; i < model.features.length; i++) logit += (model.weights[i]! * (features[model.features[i]!] - model.mean[i]!)) / model.scale[i]!;
  return logit;
}

/** Checks a model read from JSON; a broken file fails here, not with NaN scores later. */
export function parseRankerModel(value: unknown, source = 'ranker'): RankerModel {
  const model = value as Partial<RankerModel> | null;
  if (typeof model !== 'object' || model === null || model.format !== 'neuromem.ranker/v1') {
    throw fail('INVALID_INPUT', `${source} is not a NeuroMem ranker (expected format "neuromem.ranker/v1").`);
  }
  const { features, mean, scale, weights, bias } = model;
  if (!Array.isArray(features) || features.length === 0) throw fail('INVALID_INPUT', `${source}.features must be a non-empty array.`);
  const unknown = features.filter((name) => !(FEATURES as readonly string[]).includes(name));
  if (unknown.length > 0) throw fail('INVALID_INPUT', `${source} reads unknown feature(s) ${unknown.join(', ')}; known: ${FEATURES.join(', ')}.`);
  for (const [field, values] of Object.entries({ mean, scale, weights })) {
    if (!Array.isArray(values) || values.length !== features.length || !values.every(Number.isFinite)) {
      throw fail('INVALID_INPUT', `${source}.${field} must hold ${features.length} finite numbers, one per feature.`);
    }
  }
  if (!scale!.every((s) => s > 0)) throw fail('INVALID_INPUT', `${source}.scale must be positive.`);
  if (typeof bias !== 'number' || !Number.isFinite(bias)) throw fail('INVALID_INPUT', `${source}.bias must be a finite number.`);
  return { format: 'neuromem.ranker/v1', features: [...features], mean: [...mean!], scale: [...scale!], weights: [...weights!], bias, ...(model.fittedOn ? { fittedOn: model.fittedOn } : {}) };
}

/**
 * The hand-set weights NeuroMem shipped before the ranker was fitted (similarity .8, graph .1,
 * recency .05, importance .05). Kept as the `unfitted` baseline the fitted model must beat.
 */
export const HAND_SET_RANKER: RankerModel = {
  format: 'neuromem.ranker/v1',
  features: ['turnSimilarity', 'graph', 'recency', 'importance'],
  mean: [0, 0, 0, 0],
  scale: [1, 1, 1, 1],
  weights: [0.8, 0.1, 0.05, 0.05],
  bias: 0,
  fittedOn: { note: 'hand-set, not fitted' },
};

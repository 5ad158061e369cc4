import { createErrorFactory } from '@neuromem/core';
import { FEATURES, emptyFeatures, type Feature, type FeatureVector } from './features';

const fail = createErrorFactory('neuromem');

/**
 * A ranker over standardized features `z = (x − mean) / scale`:
 * `score = sigmoid(bias + Σ w·z + Σ_h out_h · tanh(b_h + Σ W_h·z))`. The linear part alone
 * (`neuromem.ranker/v1`) makes every factor's contribution `w·z`, the explanation a user sees. The
 * optional hidden layer (`neuromem.ranker/v2`) lets factors interact — a shared word counts for less
 * when the meaning is far off — which a linear sum cannot express; its units are split among the
 * factors by their share of each unit's input (see `scoreWithRanker`).
 */
export interface RankerModel {
  format: 'neuromem.ranker/v1' | 'neuromem.ranker/v2';
  /** The features the model reads; any other feature does not count. */
  features: Feature[];
  mean: number[];
  scale: number[];
  weights: number[];
  bias: number;
  /** A small tanh layer beside the linear part (v2 only). */
  hidden?: HiddenLayer;
  /** How it was fitted (free-form, for people). */
  fittedOn?: Record<string, unknown>;
}

/** `units` rows of `features.length` input weights, one bias and one output weight per unit. */
export interface HiddenLayer {
  weights: number[][];
  bias: number[];
  output: number[];
}

export interface RankerScore {
  score: number;
  /** bias + Σ contributions. Rank by this: probabilities of far-off candidates round to the same 0. */
  logit: number;
  /** What each feature added to the logit (0 for features the model does not read). */
  contributions: FeatureVector;
}

/**
 * The score with each factor's part. A hidden unit's output `out·tanh(a)` is split among the
 * factors in proportion to what each put into `a` (its bias keeps its own share, counted in no
 * factor), so contributions explain the hidden layer too, though they no longer add up exactly.
 */
export function scoreWithRanker(model: RankerModel, features: FeatureVector): RankerScore {
  const contributions = emptyFeatures();
  const z = standardized(model, features);
  let logit = model.bias;
  for (let i = 0; i < model.features.length; i++) {
    const contribution = model.weights[i]! * z[i]!;
    contributions[model.features[i]!] = contribution;
    logit += contribution;
  }
  const { hidden } = model;
  if (hidden) {
    for (let h = 0; h < hidden.output.length; h++) {
      const row = hidden.weights[h]!;
      let input = hidden.bias[h]!;
      for (let i = 0; i < row.length; i++) input += row[i]! * z[i]!;
      const output = hidden.output[h]! * Math.tanh(input);
      logit += output;
      if (input !== 0) for (let i = 0; i < row.length; i++) contributions[model.features[i]!] += (output * row[i]! * z[i]!) / input;
    }
  }
  return { score: 1 / (1 + Math.exp(-logit)), logit, contributions };
}

/** The logit alone: ranking needs it for every candidate, explanations only for the results. */
export function logitOf(model: RankerModel, features: FeatureVector): number {
  const z = standardized(model, features);
  let logit = model.bias;
  for (let i = 0; i < model.features.length; i++) logit += model.weights[i]! * z[i]!;
  if (model.hidden) logit += hiddenOutput(model.hidden, z);
  return logit;
}

/** Σ_h out_h · tanh(b_h + W_h·z). */
export function hiddenOutput(hidden: HiddenLayer, z: ArrayLike<number>): number {
  let sum = 0;
  for (let h = 0; h < hidden.output.length; h++) {
    const row = hidden.weights[h]!;
    let input = hidden.bias[h]!;
    for (let i = 0; i < row.length; i++) input += row[i]! * z[i]!;
    sum += hidden.output[h]! * Math.tanh(input);
  }
  return sum;
}

/**
 * One scratch row for the standardized factors, reused by every call: a search scores a hundred-odd
 * candidates, and an array apiece was a good part of what it left for the garbage collector. Callers
 * read it before anything else standardizes (all of this is synchronous).
 */
let scratch = new Float64Array(32);

/** The factors in the model's column order, standardized, in the shared scratch row. */
function standardized(model: RankerModel, features: FeatureVector): Float64Array {
  const n = model.features.length;
  if (scratch.length < n) scratch = new Float64Array(n);
  for (let i = 0; i < n; i++) scratch[i] = (features[model.features[i]!] - model.mean[i]!) / model.scale[i]!;
  return scratch;
}

/** Checks a model read from JSON; a broken file fails here, not with NaN scores later. */
export function parseRankerModel(value: unknown, source = 'ranker'): RankerModel {
  const model = value as Partial<RankerModel> | null;
  if (typeof model !== 'object' || model === null || (model.format !== 'neuromem.ranker/v1' && model.format !== 'neuromem.ranker/v2')) {
    throw fail('INVALID_INPUT', `${source} is not a NeuroMem ranker (expected format "neuromem.ranker/v1" or "neuromem.ranker/v2").`);
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
  const hidden = model.format === 'neuromem.ranker/v2' ? parseHiddenLayer(model.hidden, features.length, source) : undefined;
  if (model.format === 'neuromem.ranker/v1' && model.hidden !== undefined) throw fail('INVALID_INPUT', `${source} has a hidden layer, which only format "neuromem.ranker/v2" reads.`);
  return {
    format: model.format,
    features: [...features],
    mean: [...mean!],
    scale: [...scale!],
    weights: [...weights!],
    bias,
    ...(hidden ? { hidden } : {}),
    ...(model.fittedOn ? { fittedOn: model.fittedOn } : {}),
  };
}

function parseHiddenLayer(value: unknown, inputs: number, source: string): HiddenLayer {
  const layer = value as Partial<HiddenLayer> | null | undefined;
  const finiteRow = (row: unknown, length: number) => Array.isArray(row) && row.length === length && row.every(Number.isFinite);
  if (typeof layer !== 'object' || layer === null || !Array.isArray(layer.weights) || layer.weights.length === 0) {
    throw fail('INVALID_INPUT', `${source}.hidden must hold weights: one row per unit (format "neuromem.ranker/v2").`);
  }
  const units = layer.weights.length;
  if (!layer.weights.every((row) => finiteRow(row, inputs))) throw fail('INVALID_INPUT', `${source}.hidden.weights rows must hold ${inputs} finite numbers, one per feature.`);
  if (!finiteRow(layer.bias, units) || !finiteRow(layer.output, units)) throw fail('INVALID_INPUT', `${source}.hidden.bias and .output must hold ${units} finite numbers, one per unit.`);
  return { weights: layer.weights.map((row) => [...row]), bias: [...layer.bias!], output: [...layer.output!] };
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

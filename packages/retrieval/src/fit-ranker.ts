import { createErrorFactory } from '@neuromem/core';
import { FEATURES, type Feature, type FeatureVector } from './features';
import type { HiddenLayer, RankerModel } from './ranker-model';
import { listwiseLogitGradient } from './listwise-gradient';
import { trainHiddenRanker, type RankingDesign } from './train-hidden-ranker';

const fail = createErrorFactory('neuromem');

/** One query: its candidates' features and which of them are relevant (e.g. LoCoMo evidence). */
export interface RankingExample {
  candidates: readonly FeatureVector[];
  relevant: readonly boolean[];
}

export interface FitRankerOptions {
  /** Features the model may read (default: all). Ablations fit on a subset. */
  features?: readonly Feature[];
  /** L2 penalty on the standardized weights (default 0.01). */
  l2?: number;
  /** Full-batch Adam steps (default 300). */
  steps?: number;
  learningRate?: number;
  /**
   * Units of a tanh layer trained beside the linear part (default 0: linear, format v1). With
   * units the model is `neuromem.ranker/v2`, and steps and learning rate default to 400 and 0.02.
   */
  hidden?: number;
  /** Seeds the hidden layer's initial weights (default 1). */
  seed?: number;
  /** Recorded in the model's `fittedOn`. */
  note?: Record<string, unknown>;
}

/**
 * Fits the linear ranker by listwise softmax cross-entropy: for every query, the relevant candidates
 * should take the probability mass of a softmax over all its candidates. That targets the order
 * within a query (what recall@k measures), not absolute scores. A logistic fit of scale and bias
 * afterwards makes `score` a calibrated probability of relevance, so `threshold` means something.
 */
export function fitRanker(examples: readonly RankingExample[], options: FitRankerOptions = {}): RankerModel {
  const features = [...(options.features ?? FEATURES)];
  const l2 = options.l2 ?? 0.01;
  const units = options.hidden ?? 0;
  if (!Number.isInteger(units) || units < 0 || units > 256) throw fail('INVALID_INPUT', `fitRanker: hidden must be a whole number of units from 0 to 256 (got ${String(units)}).`);
  const steps = options.steps ?? (units > 0 ? 400 : 300);
  const learningRate = options.learningRate ?? (units > 0 ? 0.02 : 0.05);
  const usable = examples.filter((example) => example.candidates.length === example.relevant.length && example.relevant.some(Boolean) && example.relevant.some((r) => !r));
  if (usable.length === 0) throw fail('INVALID_INPUT', 'fitRanker needs at least one query with both relevant and irrelevant candidates.');

  // Standardize so the penalty treats every feature alike and Adam sees similar scales.
  const n = features.length;
  const mean = new Array<number>(n).fill(0);
  const square = new Array<number>(n).fill(0);
  let count = 0;
  for (const example of usable) {
    for (const candidate of example.candidates) {
      features.forEach((name, j) => {
        mean[j]! += candidate[name];
        square[j]! += candidate[name] ** 2;
      });
      count++;
    }
  }
  for (let j = 0; j < n; j++) mean[j]! /= count;
  const scale = square.map((sq, j) => Math.sqrt(Math.max(0, sq / count - mean[j]! ** 2)) || 1);
  // One flat standardized matrix (candidates x features) and each query's row range: tight loops, no garbage.
  const x = new Float64Array(count * n);
  const label = new Uint8Array(count);
  const queries: Array<{ start: number; end: number; positives: number }> = [];
  let row = 0;
  for (const example of usable) {
    const start = row;
    example.candidates.forEach((candidate, i) => {
      features.forEach((name, j) => (x[row * n + j] = (candidate[name] - mean[j]!) / scale[j]!));
      label[row] = example.relevant[i] ? 1 : 0;
      row++;
    });
    queries.push({ start, end: row, positives: example.relevant.filter(Boolean).length });
  }

  const design = { x, label, n, count, queries };
  const trained: { weights: Float64Array; logits: Float64Array; hidden?: HiddenLayer } =
    units > 0 ? trainHiddenRanker(design, { units, l2, steps, learningRate, seed: options.seed ?? 1 }) : trainLinear(design, { l2, steps, learningRate });
  const { a, b } = calibrate(trained.logits, label);
  const fittedOn = { queries: queries.length, candidates: count, loss: 'listwise softmax cross-entropy', l2, steps, ...(units > 0 ? { hidden: units } : {}), ...options.note };
  const common = { features, mean: mean.map(round), scale: scale.map(round), weights: [...trained.weights].map((w) => round(w * a)), bias: round(b) };
  const { hidden } = trained;
  if (!hidden) return { format: 'neuromem.ranker/v1', ...common, fittedOn };
  // Platt's scale multiplies the whole logit: the output weights take it, the units' inputs do not.
  return {
    format: 'neuromem.ranker/v2',
    ...common,
    hidden: { weights: hidden.weights.map((row) => row.map(round)), bias: hidden.bias.map(round), output: hidden.output.map((w) => round(w * a)) },
    fittedOn,
  };
}

/** The linear ranker's weights by full-batch Adam on the listwise loss. */
function trainLinear(design: RankingDesign, training: { l2: number; steps: number; learningRate: number }): { weights: Float64Array; logits: Float64Array } {
  const { x, n, count } = design;
  const { l2, steps, learningRate } = training;
  const weights = new Float64Array(n);
  const m = new Float64Array(n);
  const v = new Float64Array(n);
  const logits = new Float64Array(count);
  const perRow = new Float64Array(count);
  const gradient = new Float64Array(n);
  const logitsOf = () => {
    for (let r = 0; r < count; r++) {
      let sum = 0;
      for (let j = 0; j < n; j++) sum += x[r * n + j]! * weights[j]!;
      logits[r] = sum;
    }
  };
  for (let step = 1; step <= steps; step++) {
    for (let j = 0; j < n; j++) gradient[j] = 2 * l2 * weights[j]!;
    logitsOf();
    // d/dw of -mean_p log softmax_p = E_softmax[x] - mean_p x_p
    listwiseLogitGradient(design, logits, perRow);
    for (let r = 0; r < count; r++) for (let j = 0; j < n; j++) gradient[j]! += perRow[r]! * x[r * n + j]!;
    for (let j = 0; j < n; j++) {
      m[j] = 0.9 * m[j]! + 0.1 * gradient[j]!;
      v[j] = 0.999 * v[j]! + 0.001 * gradient[j]! ** 2;
      weights[j]! -= (learningRate * (m[j]! / (1 - 0.9 ** step))) / (Math.sqrt(v[j]! / (1 - 0.999 ** step)) + 1e-8);
    }
  }
  logitsOf();
  return { weights, logits };
}

/**
 * Platt scaling: the a, b of sigmoid(a·s + b) that best predict relevance. Newton steps on the two
 * parameters, each halved until the log-loss drops: plain Newton diverges when classes are rare.
 */
function calibrate(scores: Float64Array, labels: Uint8Array): { a: number; b: number } {
  const loss = (a: number, b: number) => {
    let total = 0;
    for (let i = 0; i < scores.length; i++) {
      const z = a * scores[i]! + b;
      // log(1 + e^z) - y·z, computed without overflow
      total += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - labels[i]! * z;
    }
    return total;
  };
  let a = 1;
  let b = 0;
  let current = loss(a, b);
  for (let iteration = 0; iteration < 50; iteration++) {
    let ga = 0,
      gb = 0,
      haa = 1e-9,
      hab = 0,
      hbb = 1e-9;
    for (let i = 0; i < scores.length; i++) {
      const s = scores[i]!;
      const p = 1 / (1 + Math.exp(-(a * s + b)));
      const w = p * (1 - p);
      ga += (p - labels[i]!) * s;
      gb += p - labels[i]!;
      haa += w * s * s;
      hab += w * s;
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (!(det > 1e-12)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    let step = 1;
    while (step > 1e-6 && !(loss(a - step * da, b - step * db) < current)) step /= 2;
    if (step <= 1e-6) break;
    a -= step * da;
    b -= step * db;
    const next = loss(a, b);
    if (current - next < 1e-9 * Math.max(1, current)) break;
    current = next;
  }
  return { a: a > 0 ? a : 1, b };
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

import { createRandom } from '@neuromem/core';
import { listwiseLogitGradient } from './listwise-gradient';
import type { HiddenLayer } from './ranker-model';

/** The standardized design matrix of `fitRanker`: `count` rows of `n` features, grouped by query. */
export interface RankingDesign {
  x: Float64Array;
  label: Uint8Array;
  n: number;
  count: number;
  queries: ReadonlyArray<{ start: number; end: number; positives: number }>;
}

export interface HiddenTraining {
  units: number;
  l2: number;
  steps: number;
  learningRate: number;
  /** Seeds the initial hidden weights: the same data and seed give the same model. */
  seed: number;
}

/**
 * Trains the linear part and a tanh layer together by the same listwise softmax cross-entropy as the
 * linear ranker (full batch, Adam). Weights start small and random (the hidden units must differ
 * to learn different things), biases at 0; the L2 penalty is on weights, not biases.
 */
export function trainHiddenRanker(design: RankingDesign, training: HiddenTraining): { weights: Float64Array; hidden: HiddenLayer; logits: Float64Array } {
  const { x, n, count } = design;
  const H = training.units;
  // Parameters in one vector: linear (n) | hidden weights (H·n) | hidden bias (H) | output (H).
  const offsetW = n;
  const offsetB = n + H * n;
  const offsetV = offsetB + H;
  const size = offsetV + H;
  const p = new Float64Array(size);
  const next = createRandom(training.seed);
  const uniform = (limit: number) => (next() * 2 - 1) * limit;
  for (let i = 0; i < H * n; i++) p[offsetW + i] = uniform(1 / Math.sqrt(n));
  for (let h = 0; h < H; h++) p[offsetV + h] = uniform(1 / Math.sqrt(H));
  const penalized = (i: number) => i < offsetB || i >= offsetV;

  const m = new Float64Array(size);
  const v = new Float64Array(size);
  const gradient = new Float64Array(size);
  const logits = new Float64Array(count);
  const perRow = new Float64Array(count);
  const activations = new Float64Array(count * H);
  const forward = () => {
    for (let r = 0; r < count; r++) {
      const row = r * n;
      let logit = 0;
      for (let j = 0; j < n; j++) logit += x[row + j]! * p[j]!;
      for (let h = 0; h < H; h++) {
        let input = p[offsetB + h]!;
        const w = offsetW + h * n;
        for (let j = 0; j < n; j++) input += x[row + j]! * p[w + j]!;
        const t = Math.tanh(input);
        activations[r * H + h] = t;
        logit += p[offsetV + h]! * t;
      }
      logits[r] = logit;
    }
  };
  for (let step = 1; step <= training.steps; step++) {
    for (let i = 0; i < size; i++) gradient[i] = penalized(i) ? 2 * training.l2 * p[i]! : 0;
    forward();
    listwiseLogitGradient(design, logits, perRow);
    for (let r = 0; r < count; r++) {
      const c = perRow[r]!;
      const row = r * n;
      for (let j = 0; j < n; j++) gradient[j]! += c * x[row + j]!;
      for (let h = 0; h < H; h++) {
        const t = activations[r * H + h]!;
        gradient[offsetV + h]! += c * t;
        const d = c * p[offsetV + h]! * (1 - t * t);
        gradient[offsetB + h]! += d;
        const w = offsetW + h * n;
        for (let j = 0; j < n; j++) gradient[w + j]! += d * x[row + j]!;
      }
    }
    for (let i = 0; i < size; i++) {
      m[i] = 0.9 * m[i]! + 0.1 * gradient[i]!;
      v[i] = 0.999 * v[i]! + 0.001 * gradient[i]! ** 2;
      p[i]! -= (training.learningRate * (m[i]! / (1 - 0.9 ** step))) / (Math.sqrt(v[i]! / (1 - 0.999 ** step)) + 1e-8);
    }
  }
  forward();
  const hidden: HiddenLayer = {
    weights: Array.from({ length: H }, (_, h) => [...p.subarray(offsetW + h * n, offsetW + (h + 1) * n)]),
    bias: [...p.subarray(offsetB, offsetB + H)],
    output: [...p.subarray(offsetV, offsetV + H)],
  };
  return { weights: p.slice(0, n), hidden, logits };
}

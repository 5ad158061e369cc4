import { createErrorFactory } from '@neuromem/core';

const fail = createErrorFactory('controller');

/** Logistic regression over standardized features: `P = sigmoid(bias + Σ w·(x − mean) / scale)`. */
export interface LogisticModel<F extends string = string> {
  features: F[];
  mean: number[];
  scale: number[];
  weights: number[];
  bias: number;
}

/** The model's probability for one feature vector (features it does not read are ignored). */
export function predictLogistic<F extends string>(model: LogisticModel<F>, x: Readonly<Record<F, number>>): number {
  let logit = model.bias;
  for (let i = 0; i < model.features.length; i++) logit += (model.weights[i]! * (x[model.features[i]!] - model.mean[i]!)) / model.scale[i]!;
  return 1 / (1 + Math.exp(-logit));
}

/**
 * L2-regularized logistic regression fitted with Newton's method: with a dozen features each step
 * solves a small linear system and a handful of steps converge, exactly and deterministically.
 * Classes are not reweighted: the output must stay a probability. An example's `weight` (default 1)
 * counts it that many times, for a source of examples trusted less than the rest.
 */
export function fitLogistic<F extends string>(examples: ReadonlyArray<{ x: Readonly<Record<F, number>>; y: boolean; weight?: number }>, features: readonly F[], l2: number): LogisticModel<F> {
  const weightOf = (example: { weight?: number }) => example.weight ?? 1;
  for (const example of examples) {
    const weight = weightOf(example);
    if (!(Number.isFinite(weight) && weight > 0)) throw fail('INVALID_INPUT', `an example's weight must be a finite number > 0; got ${String(weight)}.`);
  }
  const positives = examples.filter((example) => example.y).reduce((sum, example) => sum + weightOf(example), 0);
  const count = examples.reduce((sum, example) => sum + weightOf(example), 0);
  if (positives === 0 || positives === count) throw fail('INVALID_INPUT', 'a logistic fit needs examples of both classes.');
  const n = features.length;
  const mean = features.map((name) => examples.reduce((sum, example) => sum + weightOf(example) * example.x[name], 0) / count);
  const scale = features.map((name, j) => Math.sqrt(examples.reduce((sum, example) => sum + weightOf(example) * (example.x[name] - mean[j]!) ** 2, 0) / count) || 1);
  // Design matrix with a leading 1 for the bias.
  const rows = examples.map((example) => [1, ...features.map((name, j) => (example.x[name] - mean[j]!) / scale[j]!)]);
  const beta = new Array<number>(n + 1).fill(0);
  beta[0] = Math.log(positives / (count - positives));
  for (let step = 0; step < 50; step++) {
    const gradient = new Array<number>(n + 1).fill(0);
    const hessian = Array.from({ length: n + 1 }, () => new Array<number>(n + 1).fill(0));
    rows.forEach((row, i) => {
      let z = 0;
      for (let j = 0; j <= n; j++) z += beta[j]! * row[j]!;
      const p = 1 / (1 + Math.exp(-z));
      const weight = weightOf(examples[i]!);
      const w = weight * Math.max(p * (1 - p), 1e-12);
      const residual = weight * (p - (examples[i]!.y ? 1 : 0));
      for (let j = 0; j <= n; j++) {
        gradient[j]! += residual * row[j]!;
        for (let k = 0; k <= j; k++) hessian[j]![k]! += w * row[j]! * row[k]!;
      }
    });
    for (let j = 0; j <= n; j++) {
      for (let k = 0; k < j; k++) hessian[k]![j] = hessian[j]![k]!;
      // The bias is not penalized.
      if (j > 0) {
        gradient[j]! += l2 * count * beta[j]!;
        hessian[j]![j]! += l2 * count;
      }
    }
    const delta = solve(hessian, gradient);
    let largest = 0;
    for (let j = 0; j <= n; j++) {
      beta[j]! -= delta[j]!;
      largest = Math.max(largest, Math.abs(delta[j]!));
    }
    if (largest < 1e-9) break;
  }
  return { features: [...features], mean, scale, weights: beta.slice(1), bias: beta[0]! };
}

/** Checks one logistic part read from JSON against the features it may read. */
export function parseLogistic<F extends string>(value: unknown, known: readonly F[], source: string, remake: string): LogisticModel<F> {
  const model = value as Partial<LogisticModel<F>> | null;
  if (typeof model !== 'object' || model === null) throw fail('INVALID_INPUT', `${source} must be an object; ${remake}.`);
  const { features, mean, scale, weights, bias } = model;
  if (!Array.isArray(features) || features.length === 0) throw fail('INVALID_INPUT', `${source}.features must be a non-empty array; ${remake}.`);
  const unknown = features.filter((name) => !(known as readonly string[]).includes(name));
  if (unknown.length > 0) throw fail('INVALID_INPUT', `${source} reads unknown feature(s) ${unknown.join(', ')}; known: ${known.join(', ')}; ${remake}.`);
  for (const [field, values] of Object.entries({ mean, scale, weights })) {
    if (!Array.isArray(values) || values.length !== features.length || !values.every(Number.isFinite)) {
      throw fail('INVALID_INPUT', `${source}.${field} must hold ${features.length} finite numbers, one per feature; ${remake}.`);
    }
  }
  if (!scale!.every((s) => s > 0)) throw fail('INVALID_INPUT', `${source}.scale must be positive; ${remake}.`);
  if (typeof bias !== 'number' || !Number.isFinite(bias)) throw fail('INVALID_INPUT', `${source}.bias must be a finite number; ${remake}.`);
  return { features: [...features], mean: [...mean!], scale: [...scale!], weights: [...weights!], bias };
}

/** Solves A·v = b by Gaussian elimination with partial pivoting (A is small, symmetric, positive definite). */
function solve(a: number[][], b: number[]): number[] {
  const size = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let col = 0; col < size; col++) {
    let pivot = col;
    for (let row = col + 1; row < size; row++) if (Math.abs(m[row]![col]!) > Math.abs(m[pivot]![col]!)) pivot = row;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const head = m[col]![col]!;
    if (Math.abs(head) < 1e-300) continue;
    for (let row = col + 1; row < size; row++) {
      const factor = m[row]![col]! / head;
      for (let k = col; k <= size; k++) m[row]![k]! -= factor * m[col]![k]!;
    }
  }
  const v = new Array<number>(size).fill(0);
  for (let row = size - 1; row >= 0; row--) {
    let sum = m[row]![size]!;
    for (let k = row + 1; k < size; k++) sum -= m[row]![k]! * v[k]!;
    const head = m[row]![row]!;
    v[row] = Math.abs(head) < 1e-300 ? 0 : sum / head;
  }
  return v;
}

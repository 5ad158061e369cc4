import { createErrorFactory } from '@neuromem/core';
import { CLAUSE_FEATURES } from './clause-features';
import type { KeepModel } from './keep-model';

const fail = createErrorFactory('compression');

/** One clause: its features (CLAUSE_FEATURES order) and whether it holds what the question asked for. */
export interface KeepExample {
  features: readonly number[];
  keep: boolean;
}

/**
 * Fits the keep-or-drop model: logistic regression on standardized clause features with an L2
 * penalty, full-batch Adam. Classes are not re-weighted, so the probability stays calibrated: the
 * compressor spends the budget on clauses by probability per token, which maximizes the expected
 * number of answers kept (LoCoMo dev, held out by conversation: better at every budget than the
 * class-balanced word model whose odds it had to square).
 */
export function fitKeepModel(examples: readonly KeepExample[], options: { l2?: number; steps?: number; learningRate?: number; note?: Record<string, unknown> } = {}): KeepModel {
  const n = CLAUSE_FEATURES.length;
  const { l2 = 0.00001, steps = 600, learningRate = 0.05 } = options;
  const positives = examples.filter((e) => e.keep).length;
  if (positives === 0 || positives === examples.length) throw fail('INVALID_INPUT', 'fitKeepModel needs both kept and dropped clauses.');
  if (examples.some((e) => e.features.length !== n)) throw fail('INVALID_INPUT', `every example needs ${n} features (${CLAUSE_FEATURES.join(', ')}).`);

  const mean = new Array<number>(n).fill(0);
  const square = new Array<number>(n).fill(0);
  for (const { features } of examples) for (let j = 0; j < n; j++) (mean[j]! += features[j]!), (square[j]! += features[j]! ** 2);
  for (let j = 0; j < n; j++) mean[j]! /= examples.length;
  const scale = square.map((sq, j) => Math.sqrt(Math.max(0, sq / examples.length - mean[j]! ** 2)) || 1);
  const x = new Float64Array(examples.length * n);
  const y = new Uint8Array(examples.length);
  examples.forEach(({ features, keep }, i) => {
    for (let j = 0; j < n; j++) x[i * n + j] = (features[j]! - mean[j]!) / scale[j]!;
    y[i] = keep ? 1 : 0;
  });

  const w = new Float64Array(n + 1); // last = bias
  const m = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const gradient = new Float64Array(n + 1);
  for (let step = 1; step <= steps; step++) {
    gradient.fill(0);
    for (let i = 0; i < examples.length; i++) {
      let z = w[n]!;
      for (let j = 0; j < n; j++) z += w[j]! * x[i * n + j]!;
      const error = (1 / (1 + Math.exp(-z)) - y[i]!) / examples.length;
      for (let j = 0; j < n; j++) gradient[j]! += error * x[i * n + j]!;
      gradient[n]! += error;
    }
    for (let j = 0; j < n; j++) gradient[j]! += 2 * l2 * w[j]!;
    for (let j = 0; j <= n; j++) {
      m[j] = 0.9 * m[j]! + 0.1 * gradient[j]!;
      v[j] = 0.999 * v[j]! + 0.001 * gradient[j]! ** 2;
      w[j]! -= (learningRate * (m[j]! / (1 - 0.9 ** step))) / (Math.sqrt(v[j]! / (1 - 0.999 ** step)) + 1e-8);
    }
  }
  const round = (value: number) => Math.round(value * 1e6) / 1e6 || 0; // || 0: no -0 in JSON round trips
  return {
    format: 'neuromem.keep-model/v2',
    features: [...CLAUSE_FEATURES],
    mean: mean.map(round),
    scale: scale.map(round),
    weights: [...w.slice(0, n)].map(round),
    bias: round(w[n]!),
    fittedOn: { clauses: examples.length, kept: positives, loss: 'logistic', l2, steps, ...options.note },
  };
}

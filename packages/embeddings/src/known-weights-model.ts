import { join } from 'node:path';
import type { HeadScale } from './scale-heads';

/**
 * test-models/linear-4x3: tiny heads with known integer weights (written by
 * `train_scale_heads.py --test-model`), for tests of every heads loader. Not exported by the package.
 */
export const KNOWN_WEIGHTS_MODEL = join(__dirname, '..', 'test-models', 'linear-4x3');

/** Its weights W[i][j] (output i, input j) per scale, as its heads.json says. */
const knownWeights = (scale: HeadScale): number[][] => {
  const k = { token: 0, turn: 1, session: 2 }[scale];
  return [0, 1, 2].map((i) => [0, 1, 2, 3].map((j) => ((k + 3 * i + j) % 5) - 2));
};

/** What the heads must output for input `x`: W x, L2-normalized. */
export function knownProjection(scale: HeadScale, x: readonly number[]): number[] {
  const y = knownWeights(scale).map((row) => row.reduce((sum, w, j) => sum + w * x[j]!, 0));
  const norm = Math.hypot(...y);
  return y.map((v) => v / norm);
}

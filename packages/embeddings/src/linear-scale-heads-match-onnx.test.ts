import { join } from 'node:path';
import { createLinearScaleHeads } from './create-linear-scale-heads';
import { createOnnxScaleHeads } from './create-onnx-scale-heads';
import { DEFAULT_HEADS_DIRECTORY } from './default-heads';

/** The same trained heads as ONNX graphs, written beside the plain files by `train.sh` (`--onnx-out`). */
const ONNX_EXPORT = join(__dirname, '..', 'test-models', 'hashing-384');

/** Seeded inputs like the encoder's: dense unit vectors, and sparse ones as hashed single words are. */
function randomVectors(count: number, dimensions: number, seed: number): Float32Array[] {
  let state = seed;
  const uniform = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  return Array.from({ length: count }, (_, i) => {
    const vector = new Float32Array(dimensions);
    const sparse = i % 2 === 1;
    for (let d = 0; d < dimensions; d++) if (!sparse || uniform() < 0.05) vector[d] = uniform() * 2 - 1;
    const norm = Math.hypot(...vector) || 1;
    return vector.map((value) => value / norm);
  });
}

function maxDifference(a: readonly ArrayLike<number>[], b: readonly ArrayLike<number>[]): number {
  let max = 0;
  a.forEach((row, i) => {
    for (let d = 0; d < row.length; d++) max = Math.max(max, Math.abs(row[d]! - b[i]![d]!));
  });
  return max;
}

describe('createLinearScaleHeads against createOnnxScaleHeads', () => {
  it("should give the ONNX heads' outputs within 1e-5 for the shipped trained heads", async () => {
    const [linear, onnx] = await Promise.all([createLinearScaleHeads({ directory: DEFAULT_HEADS_DIRECTORY }), createOnnxScaleHeads({ directory: ONNX_EXPORT })]);
    expect(linear.encoderId).toBe(onnx.encoderId);
    expect(linear.dims).toEqual(onnx.dims);
    const vectors = randomVectors(64, linear.inputDimensions, 7);
    for (const scale of ['token', 'turn', 'session'] as const) {
      const [mine, theirs] = await Promise.all([linear.project(scale, vectors), onnx.project(scale, vectors)]);
      expect(maxDifference(mine, theirs)).toBeLessThan(1e-5);
    }
    const [mine, theirs] = await Promise.all([linear.salience(vectors), onnx.salience(vectors)]);
    expect(maxDifference([mine], [theirs])).toBeLessThan(1e-5);
  });
});

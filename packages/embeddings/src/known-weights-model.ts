import { join } from 'node:path';
import type { HeadScale, ScaleHeads } from './scale-heads';

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

/**
 * What every heads loader must do with the known-weights model, whatever runs the matrix products
 * (plain TypeScript, onnxruntime): call it inside the loader's `describe`.
 */
export function itProjectsKnownWeights(open: () => Promise<ScaleHeads & { readonly encoderId: string }>): void {
  const inputs = [
    [1, 0, 0, 0],
    [0.5, -1, 2, 0.25],
    [-3, 1, 1, 4],
  ];

  it("should project with the model's weights and normalize the outputs", async () => {
    const heads = await open();
    expect(heads.inputDimensions).toBe(4);
    expect(heads.dims).toEqual({ token: 3, turn: 3, session: 3 });
    expect(heads.encoderId).toBe('test:linear-4x3');
    for (const scale of ['token', 'turn', 'session'] as const) {
      const out = await heads.project(
        scale,
        inputs.map((x) => Float32Array.from(x)),
      );
      out.forEach((vector, i) => {
        expect(vector).toBeInstanceOf(Float32Array);
        knownProjection(scale, inputs[i]!).forEach((value, d) => expect(vector[d]).toBeCloseTo(value, 6));
      });
    }
    expect(await heads.project('turn', [])).toEqual([]);
  });

  it('should score salience as the linear logit w.x + b', async () => {
    const heads = await open();
    const logits = await heads.salience(inputs.map((x) => Float32Array.from(x)));
    inputs.forEach((x, i) => expect(logits[i]).toBeCloseTo(0.5 * x[0]! - x[1]! + 0.25 * x[2]! + 2 * x[3]! + 0.125, 5));
    expect(await heads.salience([])).toEqual([]);
  });

  it('should give a new array per call, untouched by later calls, and keep a zero vector zero', async () => {
    const heads = await open();
    const [first] = await heads.project('turn', [Float32Array.from(inputs[1]!)]);
    const copy = Array.from(first!);
    await heads.project('turn', [Float32Array.from(inputs[2]!)]);
    expect(Array.from(first!)).toEqual(copy);
    const [zero] = await heads.project('session', [new Float32Array(4)]);
    expect(Array.from(zero!)).toEqual([0, 0, 0]);
  });

  it('should reject input vectors of the wrong size as a dimension mismatch', async () => {
    const heads = await open();
    await expect(heads.project('turn', [new Float32Array(4), new Float32Array(5)])).rejects.toMatchObject({ code: 'DIMENSION_MISMATCH', details: { expected: 4, actual: 5 } });
    await expect(heads.salience([new Float32Array(3)])).rejects.toMatchObject({ code: 'DIMENSION_MISMATCH' });
  });
}

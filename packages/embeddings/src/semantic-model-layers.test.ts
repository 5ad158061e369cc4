import { loadSemanticModel, semanticModelFrom, type SemanticModel } from './semantic-model';
import { createSemanticModelLayers } from './semantic-model-layers';

/** The layers as the model defines them, in plain loops and float64 (the kernel's float32 agrees to about 1e-6). */
function reference(model: SemanticModel, pooled: Float64Array): Float64Array {
  const { dimensions: d, hidden: h, w1, b1, w2, b2 } = model;
  const hidden = Array.from({ length: h }, (_, j) => Math.tanh(b1[j]! + pooled.reduce((sum, p, i) => sum + w1[j * d + i]! * p, 0)));
  return Float64Array.from({ length: d }, (_, i) => pooled[i]! + b2[i]! + hidden.reduce((sum, x, j) => sum + w2[i * h + j]! * x, 0));
}

/** Deterministic pseudo-random numbers in [-1, 1). */
function numbers(n: number, seed: number): number[] {
  let state = seed;
  return Array.from({ length: n }, () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 1_073_741_824 - 1);
}

function randomModel(dimensions: number, hidden: number): SemanticModel {
  return semanticModelFrom(
    {
      format: 'neuromem.semantic-model/v1',
      lexicon: 'test',
      weighting: 'test',
      dimensions,
      hidden,
      attention: numbers(dimensions, 1),
      w1: numbers(hidden * dimensions, 2),
      b1: numbers(hidden, 3),
      w2: numbers(dimensions * hidden, 4),
      b2: numbers(dimensions, 5),
    },
    'test',
  );
}

describe('createSemanticModelLayers', () => {
  it.each([
    ['the shipped model', () => loadSemanticModel()],
    ['an odd-sized model (rows padded in the kernel)', () => randomModel(7, 5)],
    ['a model without a hidden layer', () => randomModel(6, 0)],
  ])('should compute p + W2 tanh(W1 p + b1) + b2 for %s', (_, load) => {
    const model = load();
    const layers = createSemanticModelLayers(model);
    for (const seed of [11, 12, 13]) {
      const pooled = Float64Array.from(numbers(model.dimensions, seed), (x) => x * 0.3);
      const expected = reference(model, pooled);
      const got = layers(pooled);
      expect(got).toHaveLength(model.dimensions);
      got.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 5));
    }
  });

  it('should return a new array each call, leaving the input as it was', () => {
    const model = randomModel(8, 4);
    const layers = createSemanticModelLayers(model);
    const pooled = Float64Array.from(numbers(8, 21));
    const before = Float64Array.from(pooled);
    const first = layers(pooled);
    const second = layers(Float64Array.from(numbers(8, 22)));
    expect(first).not.toBe(second);
    const expected = reference(model, before);
    first.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 5));
    expect(pooled).toEqual(before);
  });
});

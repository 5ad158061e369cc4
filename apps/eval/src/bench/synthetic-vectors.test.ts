import { dot } from '@neuromem/core';
import { randomUnitVectors } from '@neuromem/core/testing';
import { createVectorSpace } from './synthetic-vectors';

const meanNearestCosine = (vectors: Float32Array[]) => vectors.reduce((sum, v, i) => sum + Math.max(...vectors.map((w, j) => (i === j ? -1 : dot(v, w)))), 0) / vectors.length;

describe('createVectorSpace', () => {
  it('should yield the same vectors for the same seed and stream, and different ones otherwise', () => {
    const a = createVectorSpace({ dimensions: 16, seed: 7 }).sample(50);
    const b = createVectorSpace({ dimensions: 16, seed: 7 }).sample(50);
    expect(b).toEqual(a);
    expect(createVectorSpace({ dimensions: 16, seed: 8 }).sample(50)).not.toEqual(a);
    expect(createVectorSpace({ dimensions: 16, seed: 7 }).sample(50, 1)).not.toEqual(a);
  });

  it('should yield the same sequence whatever the batch size', () => {
    const space = createVectorSpace({ dimensions: 8, seed: 3 });
    const batched = [...space.batches(25, { batchSize: 7 })];
    expect(batched.map((batch) => batch.length)).toEqual([7, 7, 7, 4]);
    expect(batched.flat()).toEqual(space.sample(25));
  });

  it('should yield unit-length vectors', () => {
    for (const vector of createVectorSpace({ dimensions: 384, seed: 1 }).sample(200)) {
      expect(Math.sqrt(dot(vector, vector))).toBeCloseTo(1, 5);
    }
  });

  it('should cluster points far more tightly than uniform random vectors', () => {
    const clustered = meanNearestCosine(createVectorSpace({ dimensions: 128, seed: 5 }).sample(1000));
    const uniform = meanNearestCosine(randomUnitVectors(1000, 128, 5));
    expect(uniform).toBeLessThan(0.4);
    expect(clustered).toBeGreaterThan(uniform + 0.3);
  });

  it('should reject dimensions that are not a positive integer', () => {
    expect(() => createVectorSpace({ dimensions: 0 })).toThrow(/dimensions must be a positive integer/);
  });
});

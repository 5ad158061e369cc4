import { cosineSimilarity, dot } from '@neuromem/core';
import { randomUnitVectors } from '@neuromem/core/testing';
import { createRandomProjectionHeads } from './create-random-projection-heads';

describe('createRandomProjectionHeads', () => {
  const dims = { token: 24, turn: 64, session: 96 };
  const heads = createRandomProjectionHeads({ inputDimensions: 48, dims, seed: 7 });
  const inputs = randomUnitVectors(6, 48, 3);

  it('should describe itself by seed and shape', () => {
    expect(heads.id).toBe('random-orthonormal:seed7');
    expect(heads.inputDimensions).toBe(48);
    expect(heads.dims).toEqual(dims);
    expect(createRandomProjectionHeads({ inputDimensions: 48, dims }).id).toBe('random-orthonormal:seed1');
  });

  it('should keep cosines exactly when projecting up', async () => {
    for (const scale of ['turn', 'session'] as const) {
      const out = await heads.project(scale, inputs);
      for (let i = 0; i < inputs.length; i++) {
        for (let j = i + 1; j < inputs.length; j++) {
          expect(Math.abs(cosineSimilarity(out[i]!, out[j]!) - cosineSimilarity(inputs[i]!, inputs[j]!))).toBeLessThan(1e-5);
        }
      }
    }
  });

  it('should keep cosines at the real 384 -> 1024 session size', async () => {
    const big = createRandomProjectionHeads({ inputDimensions: 384, dims: { token: 256, turn: 512, session: 1024 } });
    const [a, b] = randomUnitVectors(2, 384, 11);
    const [pa, pb] = await big.project('session', [a!, b!]);
    expect(Math.abs(cosineSimilarity(pa!, pb!) - cosineSimilarity(a!, b!))).toBeLessThan(1e-5);
  });

  it("should return unit vectors of each scale's size, also when projecting down", async () => {
    for (const scale of ['token', 'turn', 'session'] as const) {
      const out = await heads.project(scale, inputs);
      expect(out).toHaveLength(inputs.length);
      for (const vector of out) {
        expect(vector).toBeInstanceOf(Float32Array);
        expect(vector.length).toBe(dims[scale]);
        expect(Math.sqrt(dot(vector, vector))).toBeCloseTo(1, 5);
      }
    }
  });

  it('should give the same projection for the same seed and another for another seed', async () => {
    const again = createRandomProjectionHeads({ inputDimensions: 48, dims, seed: 7 });
    const other = createRandomProjectionHeads({ inputDimensions: 48, dims, seed: 8 });
    const [first] = await heads.project('token', [inputs[0]!]);
    expect(Array.from((await again.project('token', [inputs[0]!]))[0]!)).toEqual(Array.from(first!));
    expect(cosineSimilarity((await other.project('token', [inputs[0]!]))[0]!, first!)).toBeLessThan(0.99);
  });

  it('should give every turn the same salience', async () => {
    expect(await heads.salience(inputs)).toEqual(inputs.map(() => 0));
    expect(await heads.project('turn', [])).toEqual([]);
  });

  it('should reject vectors of the wrong size as a dimension mismatch', async () => {
    await expect(heads.project('turn', [inputs[0]!, new Float32Array(47)])).rejects.toMatchObject({ code: 'DIMENSION_MISMATCH', details: { expected: 48, actual: 47 } });
    await expect(heads.salience([new Float32Array(49)])).rejects.toMatchObject({ code: 'DIMENSION_MISMATCH' });
  });

  it('should reject bad options and unknown scales as invalid input', async () => {
    expect(() => createRandomProjectionHeads({ inputDimensions: 0, dims })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => createRandomProjectionHeads({ inputDimensions: 48, dims: { ...dims, turn: 1.5 } })).toThrow(expect.objectContaining({ details: { field: 'dims.turn' } }));
    await expect(heads.project('sentence' as 'turn', inputs)).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { field: 'scale' } });
  });
});

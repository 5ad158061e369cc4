import { randomUnitVectors, testVectorIndex } from '@neuromem/core/testing';
import { createExactIndex } from './create-exact-index';

testVectorIndex({
  name: 'createExactIndex',
  // In memory only, so the suite's directory goes unused.
  create: ({ dimensions }) => createExactIndex({ dimensions }),
});

describe('createExactIndex', () => {
  it('should report an exact, non-persistent index', async () => {
    const index = await createExactIndex({ dimensions: 4 });
    expect(index.capabilities).toEqual({ persistent: false, approximate: false });
  });

  it('should return the true top-k in the same order as a full sort', async () => {
    const vectors = randomUnitVectors(500, 16, 1);
    const index = await createExactIndex({ dimensions: 16 });
    await index.add(
      vectors.map((_, i) => i),
      vectors,
    );
    const [query] = randomUnitVectors(1, 16, 2);
    const expected = vectors
      .map((v, key) => ({ key, similarity: v.reduce((sum, x, i) => sum + x * query![i]!, 0) }))
      .sort((a, b) => b.similarity - a.similarity)
      .slice(0, 25);
    const matches = await index.search(query!, 25);
    expect(matches.map((m) => m.key)).toEqual(expected.map((m) => m.key));
    matches.forEach((m, i) => expect(m.similarity).toBeCloseTo(expected[i]!.similarity, 5));
  });

  it('should compare by direction only, whatever the vector length', async () => {
    const index = await createExactIndex({ dimensions: 2 });
    await index.add([1, 2], [Float32Array.from([100, 0]), Float32Array.from([0.001, 0.001])]);
    const matches = await index.search(Float32Array.from([3, 0]), 2);
    expect(matches[0]).toEqual({ key: 1, similarity: 1 });
    expect(matches[1]!.similarity).toBeCloseTo(Math.SQRT1_2, 5);
  });

  it('should keep the last vector when a key repeats within one batch', async () => {
    const index = await createExactIndex({ dimensions: 2 });
    await index.add([7, 7], [Float32Array.from([1, 0]), Float32Array.from([0, 1])]);
    expect(index.size()).toBe(1);
    expect((await index.search(Float32Array.from([0, 1]), 1))[0]).toEqual({ key: 7, similarity: 1 });
  });

  it('should not be affected when the caller later changes an added array', async () => {
    const index = await createExactIndex({ dimensions: 2 });
    const vector = Float32Array.from([1, 0]);
    await index.add([1], [vector]);
    vector[0] = -1;
    expect((await index.search(Float32Array.from([1, 0]), 1))[0]!.similarity).toBe(1);
  });

  it('should apply the filter exactly, even when one key in thousands passes', async () => {
    const vectors = randomUnitVectors(3_000, 8, 3);
    const index = await createExactIndex({ dimensions: 8 });
    await index.add(
      vectors.map((_, i) => i),
      vectors,
    );
    expect((await index.search(vectors[0]!, 10, { filter: (key) => key === 2_999 })).map((m) => m.key)).toEqual([2_999]);
  });

  it('should reject a non-positive-integer dimension count', async () => {
    await expect(createExactIndex({ dimensions: 0 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

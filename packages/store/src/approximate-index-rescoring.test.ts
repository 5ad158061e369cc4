import { cosineSimilarity, type VectorIndex } from '@neuromem/core';
import { randomUnitVectors } from '@neuromem/core/testing';
import { createExactIndex } from './create-exact-index';
import { createSqliteStore } from './create-sqlite-store';

/**
 * An approximate index as coarse as it gets: exact neighbours, but similarities rounded to one
 * decimal and, among equal ones, the higher key first, so its own order is often wrong.
 */
async function createCoarseIndex(options: { dimensions: number }, asked: number[]): Promise<VectorIndex> {
  const exact = await createExactIndex(options);
  return {
    ...exact,
    capabilities: { persistent: false, approximate: true },
    async search(vector, k, searchOptions) {
      asked.push(k);
      const hits = await exact.search(vector, k, searchOptions);
      return hits.map((hit) => ({ key: hit.key, similarity: Math.round(hit.similarity * 10) / 10 })).sort((a, b) => b.similarity - a.similarity || b.key - a.key);
    },
  };
}

describe('searches through an approximate index', () => {
  it('should ask it for twice the results and order them by exact float32 similarity', async () => {
    const asked: number[] = [];
    const vectors = randomUnitVectors(300, 8, 5);
    const store = await createSqliteStore({ vectorScales: { turn: 8 }, vectorPrecision: 'float32', createIndex: (options) => createCoarseIndex(options, asked) });
    const stored = await store.put(vectors.slice(0, 200).map((vector, i) => ({ text: `m${i}`, scope: { userId: i % 2 ? 'ann' : 'bo' }, vectors: { turn: vector } })));
    const query = vectors[250]!;
    const expected = stored
      .map((record, i) => ({ id: record.id, similarity: cosineSimilarity(query, vectors[i]!) }))
      .sort((a, b) => b.similarity - a.similarity)
      .slice(0, 5);

    const hits = await store.searchVectors({ scale: 'turn', vector: query, k: 5 }); // unscoped (both users): the index answers
    expect(asked).toContain(10);
    expect(hits.map((hit) => hit.record.id)).toEqual(expected.map((e) => e.id));
    hits.forEach((hit, i) => expect(hit.similarity).toBeCloseTo(expected[i]!.similarity, 6));
    await store.close();
  });
});

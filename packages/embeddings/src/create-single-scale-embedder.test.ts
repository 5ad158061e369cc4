import { cosineSimilarity } from '@neuromem/core';
import { createHashingEncoder } from './create-hashing-encoder';
import { createSingleScaleEmbedder } from './create-single-scale-embedder';

describe('createSingleScaleEmbedder', () => {
  const encoder = createHashingEncoder({ dimensions: 128 });

  it('should expose the encoder at the turn scale by default', () => {
    const embedder = createSingleScaleEmbedder(encoder);
    expect(embedder.specVersion).toBe('neuromem.embedder/v1');
    expect(embedder.scales).toEqual({ turn: 128 });
    expect(embedder.id).toContain(encoder.id);
  });

  it('should return one vector per item at its scale, equal to the encoder\'s', async () => {
    const embedder = createSingleScaleEmbedder(encoder, { scale: 'session' });
    const texts = ['I adopted a puppy last month.', 'We went camping in the mountains.'];
    const result = await embedder.embed(texts.map((text) => ({ text, sessionKey: 's1' })));
    const direct = await encoder.encode(texts);
    expect(result).toHaveLength(2);
    result.forEach((vectors, i) => {
      expect(Object.keys(vectors)).toEqual(['session']);
      expect(Array.from(vectors.session!)).toEqual(Array.from(direct[i]!));
    });
  });

  it('should embed a query at the same scale', async () => {
    const embedder = createSingleScaleEmbedder(encoder);
    const [item] = await embedder.embed([{ text: 'When did Melanie paint the sunrise?' }]);
    const query = await embedder.embedQuery('When did Melanie paint the sunrise?');
    expect(cosineSimilarity(query.turn!, item!.turn!)).toBeCloseTo(1, 6);
  });

  it('should give different ids for different scales', () => {
    expect(createSingleScaleEmbedder(encoder, { scale: 'turn' }).id).not.toBe(createSingleScaleEmbedder(encoder, { scale: 'sentence' }).id);
  });

  it('should reject bad items, queries and scales as invalid input', async () => {
    const embedder = createSingleScaleEmbedder(encoder);
    await expect(embedder.embed([{ text: 'fine' }, { text: '   ' }])).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { field: 'items[1].text' } });
    await expect(embedder.embed([null as never])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(embedder.embedQuery('')).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { field: 'query' } });
    expect(() => createSingleScaleEmbedder(encoder, { scale: 'paragraph' as never })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

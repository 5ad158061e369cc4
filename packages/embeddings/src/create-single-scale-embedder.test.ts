import { cosineSimilarity } from '@neuromem/core';
import { createHashingEncoder } from './create-hashing-encoder';
import { createSingleScaleEmbedder } from './create-single-scale-embedder';

describe('createSingleScaleEmbedder', () => {
  const encoder = createHashingEncoder();
  const embedder = createSingleScaleEmbedder(encoder);

  it('should describe one turn-scale index of the encoder size', () => {
    expect(embedder.scales).toEqual({ turn: encoder.dimensions });
    expect(embedder.id).toBe(`single-scale:turn:${encoder.id}`);
  });

  it('should embed each new turn on its own, without session context or a session vector', async () => {
    const turns = ['I adopted a beagle.', 'His name is Biscuit.', 'We walk every morning.'];
    const result = await embedder.embedSession(turns, { from: 1 });
    expect(result.turns).toHaveLength(2);
    expect(result.session).toBeUndefined();
    const [alone] = await encoder.encode([turns[1]!]);
    expect(cosineSimilarity(result.turns[0]!.vectors.turn!, alone!)).toBeCloseTo(1, 6);
  });

  it('should continue a session with the same vectors, counting its turns, and refuse a foreign state', async () => {
    const first = await embedder.continueSession!(['I adopted a beagle.', 'His name is Biscuit.']);
    const next = await embedder.continueSession!(['We walk every morning.'], first.state);
    const [alone] = await encoder.encode(['We walk every morning.']);
    expect(cosineSimilarity(next.turns[0]!.vectors.turn!, alone!)).toBeCloseTo(1, 6);
    expect(next.state).toEqual({ embedderId: embedder.id, turns: 3 });
    await expect(embedder.continueSession!(['x'], { embedderId: 'other', turns: 1 })).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { field: 'state' } });
  });

  it('should embed queries at the same scale', async () => {
    const { vectors } = await embedder.embedQuery('When did Melanie paint the sunrise?');
    expect(vectors.turn!.length).toBe(encoder.dimensions);
  });

  it('should honour another scale', () => {
    expect(createSingleScaleEmbedder(encoder, { scale: 'sentence' }).scales).toEqual({ sentence: encoder.dimensions });
  });

  it('should reject bad turns, a bad from and an empty query without encoding anything', async () => {
    await expect(embedder.embedSession(['fine', '   '])).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { field: 'turns[1]' } });
    await expect(embedder.embedSession([])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(embedder.embedSession(['a'], { from: 3 })).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { field: 'from' } });
    await expect(embedder.embedQuery('')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

import { cosineSimilarity, dot, type Embedder, type SessionState } from '@neuromem/core';
import { createHashingEncoder } from './create-hashing-encoder';
import { createHybridEmbedder } from './create-hybrid-embedder';
import { createMultiScaleEmbedder } from './create-multi-scale-embedder';
import { createRandomProjectionHeads } from './create-random-projection-heads';
import { createSifEncoder } from './create-semantic-encoder';

const lexical = createMultiScaleEmbedder({ encoder: createHashingEncoder({ dimensions: 128 }) });
const sif = createSifEncoder();
const semantic = createMultiScaleEmbedder({ encoder: sif, heads: createRandomProjectionHeads({ inputDimensions: sif.dimensions, dims: { token: 100, turn: 100, session: 100 } }) });
const hybrid = (weight = 0.4) =>
  createHybridEmbedder({
    parts: [
      { name: 'lexical', embedder: lexical, weight: 1 - weight },
      { name: 'semantic', embedder: semantic, weight },
    ],
  });
const session = ['We adopted a beagle puppy last spring.', 'She chews every shoe in the house.', 'The vet says she is healthy.', 'Next week we start obedience classes.'];

describe('createHybridEmbedder', () => {
  it("should produce every scale its parts share, each part's size added up", () => {
    expect(hybrid().scales).toEqual({ token: 256 + 100, turn: 512 + 100, session: 1024 + 100 });
    expect(hybrid().id).toContain(lexical.id);
    expect(hybrid(0.4).id).not.toBe(hybrid(0.5).id);
  });

  it('should say where each part sits in the vectors of every scale', () => {
    expect(hybrid(0.4).parts).toEqual([
      { name: 'lexical', weight: 0.6, ranges: { token: [0, 256], turn: [0, 512], session: [0, 1024] } },
      { name: 'semantic', weight: 0.4, ranges: { token: [256, 356], turn: [512, 612], session: [1024, 1124] } },
    ]);
  });

  it("should give unit vectors whose cosine is the weighted mean of the parts' cosines", async () => {
    const [a, b] = ['what kind of pet do I own?', 'We adopted a beagle puppy last spring.'];
    const embed = async (embedder: Embedder, text: string) => (await embedder.embedQuery(text)).vectors;
    const [ha, hb, la, lb, sa, sb] = await Promise.all([embed(hybrid(0.4), a), embed(hybrid(0.4), b), embed(lexical, a), embed(lexical, b), embed(semantic, a), embed(semantic, b)]);
    for (const scale of ['turn', 'session'] as const) {
      expect(Math.sqrt(dot(ha[scale]!, ha[scale]!))).toBeCloseTo(1, 5);
      const expected = 0.6 * cosineSimilarity(la[scale]!, lb[scale]!) + 0.4 * cosineSimilarity(sa[scale]!, sb[scale]!);
      expect(cosineSimilarity(ha[scale]!, hb[scale]!)).toBeCloseTo(expected, 5);
    }
  });

  it('should pair token vectors word by word', async () => {
    const { tokens } = await hybrid().embedQuery('beagle puppy shoes');
    expect(tokens).toHaveLength(3);
    expect(tokens!.every((token) => token.length === 356)).toBe(true);
  });

  it("should compute a text's token vectors on their own exactly as a session gives them, when every part can", async () => {
    const embedder = hybrid();
    const { turns } = await embedder.embedSession(session);
    const alone = await embedder.embedTokens!(session);
    turns.forEach((turn, i) => {
      expect(alone[i]).toHaveLength(turn.tokens!.length);
      alone[i]!.forEach((token, t) => expect(Array.from(token)).toEqual(Array.from(turn.tokens![t]!)));
    });
    const contextual = { ...lexical, embedTokens: undefined };
    expect(
      createHybridEmbedder({
        parts: [
          { embedder: contextual, weight: 1 },
          { embedder: semantic, weight: 1 },
        ],
      }).embedTokens,
    ).toBeUndefined();
  });

  it('should continue a session from its state with the vectors embedSession gives the whole session', async () => {
    const embedder = hybrid();
    const whole = await embedder.embedSession(session);
    let state: SessionState | undefined;
    let last: Float32Array | undefined;
    let next = 0;
    for (const size of [1, 2, 1]) {
      const batch = await embedder.continueSession!(session.slice(next, next + size), state);
      batch.turns.forEach((turn, i) => expect(cosineSimilarity(turn.vectors.turn!, whole.turns[next + i]!.vectors.turn!)).toBeCloseTo(1, 5));
      ({ state, session: last } = batch);
      next += size;
    }
    expect(cosineSimilarity(last!, whole.session!)).toBeCloseTo(1, 5);
    expect(state!.turns).toBe(session.length);
  });

  it('should refuse a state it did not make, and bad parts', async () => {
    const { state } = await semantic.continueSession!(session.slice(0, 2));
    await expect(hybrid().continueSession!(session.slice(2), state)).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { field: 'state' } });
    for (const parts of [
      undefined,
      [],
      [{ embedder: lexical, weight: 1 }],
      [
        { embedder: lexical, weight: 0 },
        { embedder: semantic, weight: 1 },
      ],
      [
        { embedder: lexical, weight: Number.NaN },
        { embedder: semantic, weight: 1 },
      ],
      [
        { embedder: {}, weight: 1 },
        { embedder: semantic, weight: 1 },
      ],
    ]) {
      expect(() => createHybridEmbedder({ parts } as never)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', details: { field: 'parts' } }));
    }
  });
});

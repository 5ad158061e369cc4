import { cosineSimilarity, dot } from '@neuromem/core';
import { testEmbedder } from '@neuromem/core/testing';
import { createHashingEncoder } from './create-hashing-encoder';
import { createPreviousSemanticEncoder, createSemanticEncoder, createSifEncoder } from './create-semantic-encoder';

testEmbedder({ name: 'SIF encoder', create: async () => createSifEncoder() });

const sif = createSifEncoder();
const encodeOne = async (text: string, encoder: { encode(texts: string[]): Promise<Float32Array[]> } = sif) => (await encoder.encode([text]))[0]!;
const similarity = async (a: string, b: string, encoder: { encode(texts: string[]): Promise<Float32Array[]> } = sif) => cosineSimilarity(await encodeOne(a, encoder), await encodeOne(b, encoder));

describe('createSifEncoder', () => {
  it('should match a question to the fact it asks about when they share no word', async () => {
    const question = 'what kind of pet do I own?';
    const fact = 'I adopted a beagle named Biscuit last spring.';
    const distractor = 'I work night shifts as a nurse at the city hospital.';
    expect(await similarity(question, fact)).toBeGreaterThan(await similarity(question, distractor));
    // The lexical encoder sees no shared word, so it cannot tell them apart this way.
    const hashing = createHashingEncoder();
    expect(await similarity(question, fact, hashing)).toBeLessThan(await similarity(question, fact));
  });

  it.each([
    ['Where did the kids go to school?', 'Our children attend the elementary school near the park.', 'The school board meeting ran late because of the budget.'],
    ['Which fish did he cook for dinner?', 'He grilled salmon with lemon for everyone.', 'He fished around in his bag for the keys.'],
  ])('should rank a paraphrase above a word-sharing distractor: %s', async (question, paraphrase, distractor) => {
    // Unsupervised SIF still lets a shared word win sometimes ("drive" / "drive-in"); training fixes that.
    expect(await similarity(question, paraphrase)).toBeGreaterThan(await similarity(question, distractor));
  });

  it('should give finite unit vectors for emoji, numbers, other scripts and unknown words', async () => {
    for (const text of ['🍣🍣', '42', '3.14159 2024', 'Привет, как дела?', '東京に行きました', 'zxqvbnm flurbgle', '!!!', 'a']) {
      const vector = await encodeOne(text);
      expect(vector.every(Number.isFinite)).toBe(true);
      expect(Math.sqrt(dot(vector, vector))).toBeCloseTo(1, 4);
    }
  });

  it('should encode a text the same again, its words kept or (too long to keep) looked up afresh', async () => {
    const encoder = createSemanticEncoder();
    const texts = ['We adopted a beagle named Biscuit last spring.', `The build id was ${'7f3a9c'.repeat(40)} again.`];
    const first = await encoder.encode(texts);
    expect(await encoder.encode(texts)).toEqual(first);
    expect(await createSemanticEncoder().encode(texts.slice().reverse())).toEqual(first.slice().reverse());
  });

  it('should encode a text the same after thousands of other words have gone through its word cache', async () => {
    const encoder = createSemanticEncoder();
    const text = 'We adopted a beagle named Biscuit last spring.';
    const [before] = await encoder.encode([text]);
    // 6,000 distinct made-up words: more than the cache keeps, so every word of `text` is evicted
    // and its row in the pooling arena given to another word, then taken again.
    const filler = Array.from({ length: 300 }, (_, i) => Array.from({ length: 20 }, (_, j) => `w${i}x${j}q`).join(' '));
    await encoder.encode(filler);
    const [after] = await encoder.encode([text]);
    expect(Array.from(after!)).toEqual(Array.from(before!));
  });

  it('should encode a text of more words than half its cache like the same words in short texts', async () => {
    const words = Array.from({ length: 2_500 }, (_, i) => ['beagle', 'garden', 'piano', 'river', 'coffee'][i % 5]!);
    const encoder = createSemanticEncoder();
    const [long] = await encoder.encode([words.join(' ')]);
    const [short] = await encoder.encode([words.slice(0, 5).join(' ')]);
    // The same mix of the same five words: equal up to the float32 pooling of the cached path.
    expect(cosineSimilarity(long!, short!)).toBeCloseTo(1, 5);
  });

  it('should guess a vector for a word outside the vocabulary from its spelling', async () => {
    expect(sif.lexicon.rank('dog')).toBeDefined();
    const known = await encodeOne('dog');
    // A made-up inflection: no row of its own, yet its n-grams lean towards its stem's meaning.
    expect(sif.lexicon.rank('doggishly')).toBeUndefined();
    expect(cosineSimilarity(await encodeOne('doggishly'), known)).toBeGreaterThan(cosineSimilarity(await encodeOne('quarterly'), known));
  });

  it('should weigh frequent words less than rare ones', () => {
    expect(sif.weightOf('the')).toBeLessThan(0.05);
    expect(sif.weightOf('beagle')).toBeGreaterThan(0.9);
    expect(sif.weightOf('the')).toBeLessThan(sif.weightOf('dog'));
  });

  it('should name its lexicon and settings in its id', () => {
    expect(sif.id).toMatch(/^sif-v1:glove-6b-100d-50000:[0-9a-f]{12}\+use-lite-100d-50000:[0-9a-f]{12}:a0\.001:u0\.470:pc1$/);
    expect(createSifEncoder({ smoothing: 0.01 }).id).not.toBe(sif.id);
    expect(createSifEncoder({ removeCommonComponent: false }).id).not.toBe(sif.id);
  });

  it('should refuse impossible settings', () => {
    for (const smoothing of [0, -1, Number.NaN, Infinity]) expect(() => createSifEncoder({ smoothing })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => createSifEncoder({ unknownWeight: Number.NaN })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('should give one token vector per word but the function words, with its span', async () => {
    const [encoding] = await sif.encodeTokens!(['My beagle, Biscuit!']);
    expect(encoding!.spans).toEqual([
      [3, 9],
      [11, 18],
    ]);
    expect(encoding!.vectors).toHaveLength(2);
  });

  it('should give a text of function words alone one token for the whole of it', async () => {
    const [encoding] = await sif.encodeTokens!(['What is it?']);
    expect(encoding!.spans).toEqual([[0, 11]]);
    expect(encoding!.vectors).toHaveLength(1);
  });
});

describe('the shipped semantic models', () => {
  // A database records its embedder's id and refuses to open with another, and the id hashes the
  // lexicon and model files: retraining to the same weights with different metrics once locked out
  // every existing database. Change these only with new weights, on purpose.
  it('should keep the id databases written with the default encoder recorded', () => {
    expect(createSemanticEncoder().id).toBe('semantic-v1:glove-6b-100d-50000:94846f02bc5a+use-lite-100d-50000:72942570297d:a0.001:u0.470:pc1:m475d83ba8400');
  });

  it('should keep the previous default, GloVe alone, with the id its databases recorded', () => {
    const previous = createPreviousSemanticEncoder();
    expect(previous.id).toBe('semantic-v1:glove-6b-100d-50000:94846f02bc5a:a0.001:u0.380:pc1:ma7674a5c5e22');
    expect(previous.dimensions).toBe(100);
  });
});

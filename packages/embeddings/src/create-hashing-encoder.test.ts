import { cosineSimilarity, dot, isNeuroMemError } from '@neuromem/core';
import { testEmbedder } from '@neuromem/core/testing';
import { createHashingEncoder } from './create-hashing-encoder';

testEmbedder({ name: 'hashing encoder', create: async () => createHashingEncoder() });

const encodeOne = async (text: string, encoder = createHashingEncoder()) => (await encoder.encode([text]))[0]!;
const similarity = async (a: string, b: string) => cosineSimilarity(await encodeOne(a), await encodeOne(b));
const expectUnitVector = (vector: Float32Array) => {
  expect(vector.every(Number.isFinite)).toBe(true);
  expect(Math.sqrt(dot(vector, vector))).toBeCloseTo(1, 4);
};

describe('createHashingEncoder', () => {
  it('should give identical vectors for the same text, across encoder instances', async () => {
    const text = 'Caroline went to the LGBTQ support group on 7 May 2023.';
    const first = await encodeOne(text);
    const second = await encodeOne(text, createHashingEncoder());
    expect(Array.from(second)).toEqual(Array.from(first));
  });

  it("should keep a text's vector independent of what was encoded before it", async () => {
    const encoder = createHashingEncoder();
    const before = await encodeOne('Melanie painted a sunrise.', encoder);
    await encoder.encode(['x'.repeat(100_000), 'word '.repeat(5_000)]);
    const after = await encodeOne('Melanie painted a sunrise.', encoder);
    expect(Array.from(after)).toEqual(Array.from(before));
  });

  it('should describe its defaults in its id and change the id whenever an option changes', () => {
    const base = createHashingEncoder().id;
    expect(base).toBe('hashing-v2:d384:c3-5x2:u1:b0.5:s0.25:st1');
    const variants = [{ dimensions: 256 }, { charNgramMin: 2 }, { charNgramMax: 6 }, { charNgramWeight: 0.5 }, { unigramWeight: 2 }, { bigramWeight: 0 }, { stopWordWeight: 1 }, { stem: false }];
    const ids = variants.map((options) => createHashingEncoder(options).id);
    expect(new Set([base, ...ids]).size).toBe(variants.length + 1);
  });

  it('should respect the dimensions option', async () => {
    const encoder = createHashingEncoder({ dimensions: 64 });
    expect(encoder.dimensions).toBe(64);
    const vector = await encodeOne('a short note about gardening', encoder);
    expect(vector).toHaveLength(64);
    expectUnitVector(vector);
  });

  it('should place morphological variants closer than unrelated words', async () => {
    const variant = Math.min(await similarity('paint', 'painted'), await similarity('paint', 'painting'));
    const unrelated = Math.max(await similarity('paint', 'lake'), await similarity('paint', 'quarterly'));
    expect(variant).toBeGreaterThan(0.3);
    expect(variant).toBeGreaterThan(unrelated + 0.2);
  });

  it('should weigh content words above stop words', async () => {
    const sharedContent = await similarity('the dog barked', 'a dog barked');
    const sharedStopWords = await similarity('the dog barked', 'the cat meowed');
    expect(sharedContent).toBeGreaterThan(sharedStopWords);
  });

  it('should treat case, full-width letters and composed accents as the same text', async () => {
    expect(await similarity('Café CLUB', 'cafe\u0301 club')).toBeCloseTo(1, 5);
    expect(await similarity('ＡＢＣ news', 'abc news')).toBeCloseTo(1, 5);
  });

  it('should encode a 100k-character text', async () => {
    const words = ['memory', 'garden', 'painting', 'river', 'concert', 'adoption', 'pottery', 'camping'];
    let text = '';
    for (let i = 0; text.length < 100_000; i++) text += `${words[i % words.length]}${i} `;
    const vector = await encodeOne(text.slice(0, 100_000));
    expect(vector).toHaveLength(384);
    expectUnitVector(vector);
  });

  it('should give a unit vector to text without any words', async () => {
    for (const text of ['!!!', '?', '— … —', '🙂', '+', 'the']) {
      expectUnitVector(await encodeOne(text, createHashingEncoder({ stopWordWeight: 0 })));
    }
    expect(await similarity('!!!', '???')).toBeLessThan(0.5);
  });

  it('should bring Japanese and Cyrillic paraphrases closer than unrelated text', async () => {
    expect(await similarity('東京で寿司を食べた', '東京で寿司を食べました')).toBeGreaterThan(await similarity('東京で寿司を食べた', '昨日は雨でした'));
    expect(await similarity('Привет, как дела?', 'привет как твои дела')).toBeGreaterThan(await similarity('Привет, как дела?', 'Налоговая декларация'));
  });

  it('should reject a batch holding a lone surrogate as invalid input', async () => {
    const encoder = createHashingEncoder();
    for (const bad of ['broken \uD800 text', 'tail \uDC00', 'end \uD83D']) {
      await expect(encoder.encode(['fine', bad])).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { field: 'texts[1]' } });
    }
  });

  it('should reject non-string texts and non-array batches as invalid input', async () => {
    const encoder = createHashingEncoder();
    await expect(encoder.encode(['ok', 42 as unknown as string])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(encoder.encode('ok' as unknown as string[])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('should reject invalid options as invalid input', () => {
    const bad: unknown[] = [
      { dimensions: 7 },
      { dimensions: 65537 },
      { dimensions: 100.5 },
      { dimensions: '384' },
      { charNgramMin: 0 },
      { charNgramMax: 11 },
      { charNgramMin: 5, charNgramMax: 3 },
      { stopWordWeight: 1.5 },
      { bigramWeight: -1 },
      { unigramWeight: Number.NaN },
      { unigramWeight: 0, bigramWeight: 0, charNgramWeight: 0 },
      { dimension: 256 },
      'fast',
    ];
    for (const options of bad) {
      let caught: unknown;
      try {
        createHashingEncoder(options as never);
      } catch (error) {
        caught = error;
      }
      expect(isNeuroMemError(caught, 'INVALID_INPUT')).toBe(true);
    }
  });
});

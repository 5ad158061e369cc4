import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cosineSimilarity, type TextEncoder, type TokenEncoding } from '@neuromem/core';
import { testEmbedder } from '@neuromem/core/testing';
import { createTransformersEncoder } from './create-transformers-encoder';

// A random 32-dimension BERT-shaped model written by tools/tiny-bert/make-tiny-bert.py.
const MODEL = join(__dirname, '..', 'test-models', 'tiny-bert');
type Matrix = number[][];
const weights = JSON.parse(readFileSync(join(MODEL, 'weights.json'), 'utf8')) as Record<'word_embeddings' | 'position_embeddings' | 'token_type_embeddings' | 'mix_self' | 'mix_prev', Matrix> &
  Record<'ln_gamma' | 'ln_beta' | 'mix_bias', number[]>;
const vocab = (JSON.parse(readFileSync(join(MODEL, 'tokenizer.json'), 'utf8')) as { model: { vocab: Record<string, number> } }).model.vocab;
const [CLS, SEP] = [vocab['[CLS]']!, vocab['[SEP]']!];

/** Ids of a text made only of whole vocabulary words and punctuation, without [CLS]/[SEP]. */
function ids(text: string): number[] {
  return text
    .toLowerCase()
    .match(/\w+|[^\w\s]/g)!
    .map((word) => {
      const id = vocab[word];
      if (id === undefined) throw new Error(`"${word}" is not a whole word of the tiny vocabulary`);
      return id;
    });
}

/** The tiny model's forward pass in plain TypeScript (see make-tiny-bert.py): one row per token. */
function forward(tokens: number[]): number[][] {
  const h = tokens.map((id, p) => layerNorm(weights.word_embeddings[id]!.map((w, i) => w + weights.position_embeddings[p]![i]! + weights.token_type_embeddings[0]![i]!)));
  return h.map((row, p) =>
    row.map((x, j) => {
      let z = weights.mix_bias[j]!;
      for (let i = 0; i < row.length; i++) z += row[i]! * weights.mix_self[i]![j]! + (p > 0 ? h[p - 1]![i]! * weights.mix_prev[i]![j]! : 0);
      return x + Math.tanh(z);
    }),
  );
}

function layerNorm(x: number[]): number[] {
  const mean = x.reduce((a, b) => a + b, 0) / x.length;
  const variance = x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length;
  return x.map((v, i) => ((v - mean) / Math.sqrt(variance + 1e-12)) * weights.ln_gamma[i]! + weights.ln_beta[i]!);
}

const unit = (v: number[]) => v.map((x) => x / Math.hypot(...v));
const meanOf = (rows: number[][]) => rows[0]!.map((_, i) => rows.reduce((sum, row) => sum + row[i]!, 0) / rows.length);
const expectClose = (actual: Float32Array, expected: number[]) => {
  expect(actual.length).toBe(expected.length);
  actual.forEach((x, i) => expect(Math.abs(x - expected[i]!)).toBeLessThan(1e-4));
};

// The default pair shares most words and the unrelated text almost none; with an untrained model,
// shared tokens are all that brings mean-pooled vectors together, so the defaults hold here too.
testEmbedder({ name: 'createTransformersEncoder (tiny-bert)', create: () => createTransformersEncoder({ model: MODEL }) });

describe('createTransformersEncoder', () => {
  let encoder: TextEncoder;
  beforeAll(async () => {
    encoder = await createTransformersEncoder({ model: MODEL, batchSize: 2 });
  });

  it('should name the model, pooling and dtype in its id and report the hidden size', () => {
    expect(encoder.id).toBe('transformers:tiny-bert:mean:fp32');
    expect(encoder.dimensions).toBe(32);
    expect(encoder.deterministic).toBe(true);
  });

  it('should mean-pool the last hidden state exactly as the model computes it', async () => {
    const text = 'The doctor moved the meeting to April.';
    const [vector] = await encoder.encode([text]);
    expectClose(vector!, unit(meanOf(forward([CLS, ...ids(text), SEP]))));
  });

  it('should use the first token state with cls pooling', async () => {
    const cls = await createTransformersEncoder({ model: MODEL, pooling: 'cls' });
    const [vector] = await cls.encode(['my dog and the lake']);
    expect(cls.id).toBe('transformers:tiny-bert:cls:fp32');
    expectClose(vector!, unit(forward([CLS, ...ids('my dog and the lake'), SEP])[0]!));
  });

  it('should give the same vectors across batches of different sizes and lengths', async () => {
    const texts = ['a', 'the old man and the sea', 'rain', 'we ate fish at the river last week', 'music'];
    const batched = await encoder.encode(texts);
    for (const [i, text] of texts.entries()) expectClose(batched[i]!, Array.from((await encoder.encode([text]))[0]!));
  });

  it('should split a text longer than the model positions into windows instead of truncating it', async () => {
    const long = Array.from({ length: 40 }, (_, i) => (i % 2 ? 'the farm animal' : 'a red bird')).join(' ');
    const tokens = ids(long);
    expect(tokens.length).toBeGreaterThan(64);
    const windows = [tokens.slice(0, 62), tokens.slice(62, 124)].map((w) => forward([CLS, ...w, SEP]));
    const [vector] = await encoder.encode([long]);
    expectClose(vector!, unit(meanOf(windows.flat())));

    const [withFact, withOther] = await encoder.encode([`${long} the doctor moved the meeting to april.`, `${long} my dog likes fish.`]);
    expect(cosineSimilarity(withFact!, withOther!)).toBeLessThan(0.999);
    const { vectors, spans } = (await encoder.encodeTokens!([`${long} april`]))[0]!;
    expect(vectors).toHaveLength(tokens.length + 1);
    expect(spans.at(-1)).toEqual([long.length + 1, long.length + 6]);
  });

  it('should return one unit vector per token, without [CLS] and [SEP], in token order', async () => {
    const text = 'Water, fire and earth';
    const [encoding] = await encoder.encodeTokens!([text]);
    const rows = forward([CLS, ...ids(text), SEP]).slice(1, -1);
    expect(encoding!.vectors).toHaveLength(rows.length);
    encoding!.vectors.forEach((vector, i) => expectClose(vector, unit(rows[i]!)));
  });

  it('should point each token span at its characters in the original text', async () => {
    const text = '  Hello, Café\tworld!! 東京で寿司 🍣 Привет 42x ';
    const [encoding] = await encoder.encodeTokens!([text]);
    const pieces = encoding!.spans.map(([start, end]) => text.slice(start, end));
    expect(pieces).toEqual(['He', 'l', 'l', 'o', ',', 'C', 'a', 'f', 'é', 'world', '!', '!', '東', '京', 'で', '寿', '司', '🍣', 'Привет', '4', '2', 'x']);
  });

  it('should keep windows of a custom maxInputTokens and concatenate their tokens', async () => {
    const small = await createTransformersEncoder({ model: MODEL, maxInputTokens: 4 });
    const text = 'one two three four five';
    const [{ vectors, spans }] = (await small.encodeTokens!([text])) as [TokenEncoding];
    expect(spans.map(([s, e]) => text.slice(s, e))).toEqual(['one', 'two', 'three', 'four', 'five']);
    const rows = [
      [0, 2],
      [2, 4],
      [4, 5],
    ].flatMap(([a, b]) => forward([CLS, ...ids(text).slice(a, b), SEP]).slice(1, -1));
    vectors.forEach((vector, i) => expectClose(vector, unit(rows[i]!)));
    await expect(createTransformersEncoder({ model: MODEL, maxInputTokens: 65 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('should reject an empty text in encodeTokens before any work', async () => {
    await expect(encoder.encodeTokens!(['fine', ' '])).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { field: 'texts[1]' } });
  });

  describe('locating the model', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'tiny-bert-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('should name the files a model directory is missing', async () => {
      const broken = join(dir, 'broken');
      cpSync(MODEL, broken, { recursive: true });
      rmSync(join(broken, 'tokenizer.json'));
      const error = createTransformersEncoder({ model: broken });
      await expect(error).rejects.toMatchObject({ code: 'NOT_FOUND', module: 'embeddings', details: { missing: ['tokenizer.json'] } });
      await expect(error).rejects.toThrow(/missing tokenizer\.json; a model directory must hold config\.json/);
    });

    it('should ask for the quantized file when dtype is q8', async () => {
      await expect(createTransformersEncoder({ model: MODEL, dtype: 'q8' })).rejects.toMatchObject({ code: 'NOT_FOUND', details: { missing: ['onnx/model_quantized.onnx'] } });
    });

    it('should say how to get a hub model when remote models are disabled', async () => {
      const error = createTransformersEncoder({ model: 'Xenova/all-MiniLM-L6-v2', cacheDir: dir });
      await expect(error).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(error).rejects.toThrow(/allowRemoteModels: true/);
    });

    it('should load a hub id from cacheDir without the network', async () => {
      cpSync(MODEL, join(dir, 'cache', 'acme', 'tiny-bert'), { recursive: true });
      const cached = await createTransformersEncoder({ model: 'acme/tiny-bert', cacheDir: join(dir, 'cache') });
      expect(cached.id).toBe('transformers:acme/tiny-bert:mean:fp32');
      expect(Array.from((await cached.encode(['the lake']))[0]!)).toEqual(Array.from((await encoder.encode(['the lake']))[0]!));
    });

    it('should find a hub id under localModelPath', async () => {
      cpSync(MODEL, join(dir, 'local', 'acme', 'tiny'), { recursive: true });
      const local = await createTransformersEncoder({ model: 'acme/tiny', localModelPath: join(dir, 'local'), dtype: 'fp32' });
      expect(local.id).toBe('transformers:tiny:mean:fp32');
    });
  });
});

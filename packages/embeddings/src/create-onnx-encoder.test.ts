import { join } from 'node:path';
import { cosineSimilarity, type TextEncoder } from '@neuromem/core';
import { testEmbedder } from '@neuromem/core/testing';
import { createHashingEncoder } from './create-hashing-encoder';
import { createOnnxEncoder } from './create-onnx-encoder';

const TURN_HEAD = join(__dirname, '..', 'test-models', 'hashing-384', 'turn.onnx');
const TEST_MODEL = join(__dirname, '..', 'test-models', 'linear-4x3');

testEmbedder({ name: 'createOnnxEncoder (hashing + trained turn head)', create: () => createOnnxEncoder({ base: createHashingEncoder(), modelPath: TURN_HEAD }) });

/** A 4-dimensional base encoder with fixed vectors, to check the model's arithmetic exactly. */
const fourDimensional: TextEncoder = {
  specVersion: 'neuromem.text-encoder/v1',
  id: 'fixed-4',
  dimensions: 4,
  deterministic: true,
  async encode(texts) {
    return texts.map((text) => Float32Array.from([text.length, 1, -1, 0.5]));
  },
};

describe('createOnnxEncoder', () => {
  it('should take its size from the model and its id from the model file and the base', async () => {
    const encoder = await createOnnxEncoder({ base: createHashingEncoder(), modelPath: TURN_HEAD });
    expect(encoder.dimensions).toBe(512);
    expect(encoder.id).toMatch(/^onnx:[0-9a-f]{12}:hashing-/);
    expect((await createOnnxEncoder({ base: createHashingEncoder(), modelPath: TURN_HEAD, id: 'mine' })).id).toBe('mine');
  });

  it('should run the model on the base vectors and normalize', async () => {
    const encoder = await createOnnxEncoder({ base: fourDimensional, modelPath: join(TEST_MODEL, 'turn.onnx') });
    const [vector] = await encoder.encode(['ab']);
    // turn.onnx of linear-4x3: W[i][j] = (1 + 3i + j) mod 5 - 2.
    const x = [2, 1, -1, 0.5];
    const y = [0, 1, 2].map((i) => x.reduce((sum, v, j) => sum + (((1 + 3 * i + j) % 5) - 2) * v, 0));
    const norm = Math.hypot(...y);
    y.forEach((value, d) => expect(vector![d]).toBeCloseTo(value / norm, 6));
  });

  it("should keep a trained head close to the base encoder's notion of similarity", async () => {
    const base = createHashingEncoder();
    const encoder = await createOnnxEncoder({ base, modelPath: TURN_HEAD });
    const texts = ['I adopted a puppy last month.', 'Last month I adopted a little puppy.'];
    const [a, b] = await encoder.encode(texts);
    const [ba, bb] = await base.encode(texts);
    expect(Math.abs(cosineSimilarity(a!, b!) - cosineSimilarity(ba!, bb!))).toBeLessThan(0.25);
  });

  it('should fail with NOT_FOUND for a missing model and DIMENSION_MISMATCH for one made for another encoder', async () => {
    await expect(createOnnxEncoder({ base: createHashingEncoder(), modelPath: join(TEST_MODEL, 'nope.onnx') })).rejects.toMatchObject({ code: 'NOT_FOUND', details: { file: 'nope.onnx' } });
    await expect(createOnnxEncoder({ base: createHashingEncoder(), modelPath: join(TEST_MODEL, 'turn.onnx') })).rejects.toMatchObject({ code: 'DIMENSION_MISMATCH', details: { expected: 384 } });
  });
});

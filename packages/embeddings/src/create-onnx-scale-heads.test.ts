import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cosineSimilarity, dot } from '@neuromem/core';
import { createTempDir } from '@neuromem/core/testing';
import { createHashingEncoder } from './create-hashing-encoder';
import { createOnnxScaleHeads } from './create-onnx-scale-heads';
import { KNOWN_WEIGHTS_MODEL, itProjectsKnownWeights } from './known-weights-model';

const TEST_MODEL = KNOWN_WEIGHTS_MODEL;
/** The shipped default heads, exported as ONNX (`train.sh` writes them with `--onnx-out`). */
const TRAINED = join(__dirname, '..', 'test-models', 'hashing-384');
const FILES = ['heads.json', 'token.onnx', 'turn.onnx', 'session.onnx', 'salience.onnx'];

describe('createOnnxScaleHeads', () => {
  itProjectsKnownWeights(() => createOnnxScaleHeads({ directory: TEST_MODEL }));

  it('should name the heads by a hash of the four model files', async () => {
    const heads = await createOnnxScaleHeads({ directory: TEST_MODEL });
    expect(heads.id).toMatch(/^onnx:[0-9a-f]{12}$/);
    expect((await createOnnxScaleHeads({ directory: TEST_MODEL })).id).toBe(heads.id);
  });

  it('should load the ONNX export of the heads trained for the default hashing encoder', async () => {
    const heads = await createOnnxScaleHeads({ directory: TRAINED });
    const encoder = createHashingEncoder();
    expect(heads.encoderId).toBe(encoder.id);
    expect(heads.inputDimensions).toBe(384);
    expect(heads.dims).toEqual({ token: 256, turn: 512, session: 1024 });
    const texts = ['Melanie painted a sunrise over the lake last week.', 'Last week Melanie painted the lake at sunrise.', 'The quarterly tax filing deadline moved to April.'];
    const vectors = await encoder.encode(texts);
    for (const scale of ['token', 'turn', 'session'] as const) {
      const [a, b, far] = await heads.project(scale, vectors);
      expect(a!.length).toBe(heads.dims[scale]);
      expect(Math.sqrt(dot(a!, a!))).toBeCloseTo(1, 5);
      expect(cosineSimilarity(a!, b!)).toBeGreaterThan(cosineSimilarity(a!, far!));
    }
    const logits = await heads.salience(vectors);
    expect(logits.every(Number.isFinite)).toBe(true);
  });

  it('should fail with NOT_FOUND naming a missing file and the command that makes it', async () => {
    const dir = createTempDir();
    try {
      for (const file of FILES) copyFileSync(join(TEST_MODEL, file), join(dir.path, file));
      rmSync(join(dir.path, 'session.onnx'));
      const error = await createOnnxScaleHeads({ directory: dir.path }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'NOT_FOUND', details: { file: 'session.onnx' } });
      expect((error as Error).message).toContain('tools/train/scale-heads/train.sh');
      await expect(createOnnxScaleHeads({ directory: join(dir.path, 'nowhere') })).rejects.toMatchObject({ code: 'NOT_FOUND', details: { file: 'heads.json' } });
    } finally {
      dir.remove();
    }
  });

  it('should reject heads.json that disagrees with the models', async () => {
    const dir = createTempDir();
    try {
      for (const file of FILES) copyFileSync(join(TEST_MODEL, file), join(dir.path, file));
      const manifest = JSON.parse(readFileSync(join(TEST_MODEL, 'heads.json'), 'utf8'));
      writeFileSync(join(dir.path, 'heads.json'), JSON.stringify({ ...manifest, inputDimensions: 5 }));
      await expect(createOnnxScaleHeads({ directory: dir.path })).rejects.toMatchObject({ code: 'DIMENSION_MISMATCH' });
      writeFileSync(join(dir.path, 'heads.json'), JSON.stringify({ ...manifest, dims: { token: 3, turn: 8, session: 3 } }));
      await expect(createOnnxScaleHeads({ directory: dir.path })).rejects.toMatchObject({ code: 'DIMENSION_MISMATCH', details: { expected: 8, actual: 3 } });
      writeFileSync(join(dir.path, 'heads.json'), JSON.stringify({ inputDimensions: 4 }));
      await expect(createOnnxScaleHeads({ directory: dir.path })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    } finally {
      dir.remove();
    }
  });
});

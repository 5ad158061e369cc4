import { createHash } from 'node:crypto';
import { copyFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cosineSimilarity, dot } from '@neuromem/core';
import { createTempDir } from '@neuromem/core/testing';
import { createHashingEncoder } from './create-hashing-encoder';
import { createLinearScaleHeads } from './create-linear-scale-heads';
import { DEFAULT_HEADS_DIRECTORY } from './default-heads';
import { KNOWN_WEIGHTS_MODEL, itProjectsKnownWeights } from './known-weights-model';

const TEST_MODEL = KNOWN_WEIGHTS_MODEL;
const SCALES = ['token', 'turn', 'session'] as const;

/** A copy of linear-4x3 to damage; `manifest` is its parsed heads.json. */
function copyOfTestModel() {
  const dir = createTempDir();
  for (const file of readdirSync(TEST_MODEL)) copyFileSync(join(TEST_MODEL, file), join(dir.path, file));
  const manifest = JSON.parse(readFileSync(join(dir.path, 'heads.json'), 'utf8'));
  const writeManifest = (value: unknown) => writeFileSync(join(dir.path, 'heads.json'), JSON.stringify(value));
  /** Rewrites a weight file and records its new sha256, as a retraining run would. */
  const rewrite = (head: string, bytes: Buffer) => {
    writeFileSync(join(dir.path, `${head}.f32`), bytes);
    writeManifest({ ...manifest, weights: { ...manifest.weights, [head]: { ...manifest.weights[head], sha256: createHash('sha256').update(bytes).digest('hex') } } });
  };
  return { dir, manifest, writeManifest, rewrite };
}

async function failure(directory: string): Promise<Error & { code?: string; details?: Record<string, unknown> }> {
  return createLinearScaleHeads({ directory }).then(
    () => {
      throw new Error('expected createLinearScaleHeads to fail');
    },
    (error: Error) => error,
  );
}

describe('createLinearScaleHeads', () => {
  itProjectsKnownWeights(() => createLinearScaleHeads({ directory: TEST_MODEL }));

  it('should name the heads by a hash of the weight files', async () => {
    const heads = await createLinearScaleHeads({ directory: TEST_MODEL });
    expect(heads.id).toMatch(/^linear:[0-9a-f]{12}$/);
    expect((await createLinearScaleHeads({ directory: TEST_MODEL })).id).toBe(heads.id);
    expect((await createLinearScaleHeads({ directory: DEFAULT_HEADS_DIRECTORY })).id).not.toBe(heads.id);
  });

  it('should load the shipped heads trained for the default hashing encoder', async () => {
    const heads = await createLinearScaleHeads({ directory: DEFAULT_HEADS_DIRECTORY });
    const encoder = createHashingEncoder();
    expect(heads.encoderId).toBe(encoder.id);
    expect(heads.inputDimensions).toBe(384);
    expect(heads.dims).toEqual({ token: 256, turn: 512, session: 1024 });
    const texts = ['Melanie painted a sunrise over the lake last week.', 'Last week Melanie painted the lake at sunrise.', 'The quarterly tax filing deadline moved to April.'];
    const vectors = await encoder.encode(texts);
    for (const scale of SCALES) {
      const [a, b, far] = await heads.project(scale, vectors);
      expect(a!.length).toBe(heads.dims[scale]);
      expect(Math.sqrt(dot(a!, a!))).toBeCloseTo(1, 5);
      expect(cosineSimilarity(a!, b!)).toBeGreaterThan(cosineSimilarity(a!, far!));
    }
    expect((await heads.salience(vectors)).every(Number.isFinite)).toBe(true);
  });

  it('should fail with NOT_FOUND naming a missing file and the command that makes it', async () => {
    const { dir } = copyOfTestModel();
    try {
      rmSync(join(dir.path, 'session.f32'));
      const error = await failure(dir.path);
      expect(error).toMatchObject({ code: 'NOT_FOUND', details: { file: 'session.f32' } });
      expect(error.message).toContain('tools/train/scale-heads/train.sh');
      await expect(createLinearScaleHeads({ directory: join(dir.path, 'nowhere') })).rejects.toMatchObject({ code: 'NOT_FOUND', details: { file: 'heads.json' } });
      await expect(createLinearScaleHeads({ directory: '' })).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { field: 'directory' } });
    } finally {
      dir.remove();
    }
  });

  it('should reject a truncated or altered weight file with INVALID_INPUT naming the command', async () => {
    const { dir, rewrite } = copyOfTestModel();
    try {
      const turn = readFileSync(join(dir.path, 'turn.f32'));
      writeFileSync(join(dir.path, 'turn.f32'), turn.subarray(0, turn.length - 4));
      const truncated = await failure(dir.path);
      expect(truncated).toMatchObject({ code: 'INVALID_INPUT', details: { path: join(dir.path, 'turn.f32') } });
      expect(truncated.message).toMatch(/44 bytes .* needs 48.*tools\/train\/scale-heads\/train\.sh/);

      const flipped = Buffer.from(turn);
      flipped[5] = flipped[5]! ^ 0x10;
      writeFileSync(join(dir.path, 'turn.f32'), flipped);
      expect((await failure(dir.path)).message).toMatch(/sha256.*tools\/train\/scale-heads\/train\.sh/);

      const nan = Buffer.from(turn);
      nan.writeFloatLE(Number.NaN, 8);
      rewrite('turn', nan);
      const error = await failure(dir.path);
      expect(error).toMatchObject({ code: 'INVALID_INPUT' });
      expect(error.message).toMatch(/NaN at value 2.*tools\/train\/scale-heads\/train\.sh/);
    } finally {
      dir.remove();
    }
  });

  it('should reject shapes that disagree with heads.json as a dimension mismatch', async () => {
    const { dir, manifest, writeManifest } = copyOfTestModel();
    try {
      writeManifest({ ...manifest, weights: { ...manifest.weights, session: { ...manifest.weights.session, shape: [4, 2] } } });
      await expect(createLinearScaleHeads({ directory: dir.path })).rejects.toMatchObject({ code: 'DIMENSION_MISMATCH', details: { head: 'session', expected: [4, 3], actual: [4, 2] } });
      writeManifest({ ...manifest, inputDimensions: 5 });
      await expect(createLinearScaleHeads({ directory: dir.path })).rejects.toMatchObject({ code: 'DIMENSION_MISMATCH', details: { head: 'token' } });
    } finally {
      dir.remove();
    }
  });

  it('should reject a heads.json without plain weights, pointing at the ONNX conversion', async () => {
    const { dir, manifest, writeManifest } = copyOfTestModel();
    try {
      writeManifest({ ...manifest, weights: undefined });
      const error = await failure(dir.path);
      expect(error).toMatchObject({ code: 'INVALID_INPUT' });
      expect(error.message).toContain('train_scale_heads.py --from-onnx');
      writeManifest({ ...manifest, weights: { ...manifest.weights, token: { ...manifest.weights.token, file: '../token.f32' } } });
      await expect(createLinearScaleHeads({ directory: dir.path })).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { head: 'token' } });
      writeManifest({ inputDimensions: 4 });
      await expect(createLinearScaleHeads({ directory: dir.path })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      writeFileSync(join(dir.path, 'heads.json'), '{ "encoderId": ');
      await expect(createLinearScaleHeads({ directory: dir.path })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    } finally {
      dir.remove();
    }
  });
});

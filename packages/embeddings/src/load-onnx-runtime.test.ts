import { join } from 'node:path';
import { createHashingEncoder } from './create-hashing-encoder';

const TEST_MODEL = join(__dirname, '..', 'test-models', 'linear-4x3');

/** What Node throws when a package is not installed. */
const notInstalled = () => Object.assign(new Error("Cannot find module 'onnxruntime-node'"), { code: 'MODULE_NOT_FOUND' });

describe('the ONNX factories without onnxruntime-node', () => {
  afterEach(() => {
    jest.dontMock('onnxruntime-node');
    jest.resetModules();
  });

  it('should say which package to install when onnxruntime-node is missing', async () => {
    jest.doMock('onnxruntime-node', () => {
      throw notInstalled();
    });
    const { createOnnxScaleHeads } = await import('./create-onnx-scale-heads');
    const { createOnnxEncoder } = await import('./create-onnx-encoder');
    // Checked before any file is read: the runtime is the first thing to fix.
    const error = await createOnnxScaleHeads({ directory: join(TEST_MODEL, 'nowhere') }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error).toMatchObject({ name: 'NeuroMemError', code: 'NOT_FOUND', details: { package: 'onnxruntime-node' } });
    expect(error?.message).toContain('createOnnxScaleHeads needs onnxruntime-node');
    expect(error?.message).toContain('`npm install onnxruntime-node`');
    await expect(createOnnxEncoder({ base: createHashingEncoder(), modelPath: join(TEST_MODEL, 'turn.onnx') })).rejects.toThrow(
      /createOnnxEncoder needs onnxruntime-node.*npm install onnxruntime-node/,
    );
  });

  it('should tell an installed but broken onnxruntime-node apart from a missing one', async () => {
    jest.doMock('onnxruntime-node', () => {
      throw new Error('libonnxruntime.so.1: cannot open shared object file');
    });
    const { createOnnxScaleHeads } = await import('./create-onnx-scale-heads');
    await expect(createOnnxScaleHeads({ directory: TEST_MODEL })).rejects.toMatchObject({ code: 'UNSUPPORTED', message: expect.stringContaining('libonnxruntime.so.1') });
  });

  it('should load the plain-weight heads with onnxruntime-node missing', async () => {
    jest.doMock('onnxruntime-node', () => {
      throw notInstalled();
    });
    const { createLinearScaleHeads } = await import('./create-linear-scale-heads');
    const heads = await createLinearScaleHeads({ directory: TEST_MODEL });
    expect(await heads.salience([Float32Array.from([1, 0, 0, 0])])).toEqual([0.625]);
  });
});

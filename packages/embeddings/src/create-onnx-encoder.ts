import { createHash } from 'node:crypto';
import { dirname, basename } from 'node:path';
import { NeuroMemError, normalizeInPlace, type TextEncoder } from '@neuromem/core';
import { readOrNotFound } from './heads-manifest';
import { loadOnnxRuntime } from './load-onnx-runtime';
import { openOnnxLinearModel } from './open-onnx-linear-model';

export interface OnnxEncoderOptions {
  /** The encoder whose vectors the model takes (e.g. `createHashingEncoder()` for models trained by `tools/train/scale-heads`). */
  base: TextEncoder;
  /**
   * An ONNX model this project trained: input 'input' float32 [N, base.dimensions], output
   * 'output' [N, d] — e.g. the `turn.onnx` that `tools/train/scale-heads` writes with `--onnx-out`.
   */
  modelPath: string;
  /** Identity of the encoder. @default `onnx:<first 12 hex of the model's sha256>:<base.id>` */
  id?: string;
}

/**
 * "ONNX direct": a `TextEncoder` that runs `base`, then a project-trained ONNX model on its vectors
 * (with onnxruntime-node, an optional peer dependency imported on first use), and L2-normalizes the
 * result. Its dimensions are the model's output size, found by running the model once on load
 * (which also checks that it takes the base encoder's vectors).
 */
export async function createOnnxEncoder(options: OnnxEncoderOptions): Promise<TextEncoder> {
  const { base, modelPath } = options ?? ({} as OnnxEncoderOptions);
  if (typeof base?.encode !== 'function') throw invalid('base must be a TextEncoder, e.g. createHashingEncoder().', 'base');
  if (typeof modelPath !== 'string' || modelPath === '') throw invalid('modelPath must be the path of an .onnx file.', 'modelPath');
  const ort = await loadOnnxRuntime('createOnnxEncoder');
  const command = `the command in ${dirname(modelPath)}/heads.json, or bash tools/train/scale-heads/train.sh --data path/to/locomo10.json`;
  const bytes = await readOrNotFound(dirname(modelPath), basename(modelPath), command);
  const model = await openOnnxLinearModel(ort, bytes, modelPath);
  const inputDimensions = base.dimensions;
  let dimensions: number;
  try {
    dimensions = (await model.run([new Float32Array(inputDimensions)], inputDimensions)).width;
  } catch (error) {
    throw new NeuroMemError(
      'DIMENSION_MISMATCH',
      `${modelPath} does not take the ${inputDimensions}-dimensional vectors of ${base.id} (${(error as Error).message}); use a model trained for this encoder.`,
      {
        module: 'embeddings',
        cause: error,
        details: { path: modelPath, expected: inputDimensions },
      },
    );
  }
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 12);

  const through = async (vectors: Float32Array[]): Promise<Float32Array[]> => {
    if (vectors.length === 0) return [];
    const { data } = await model.run(vectors, inputDimensions);
    return vectors.map((_, i) => normalizeInPlace(data.slice(i * dimensions, (i + 1) * dimensions)));
  };
  const encodeQuery = base.encodeQuery;

  return {
    specVersion: 'neuromem.text-encoder/v1',
    id: options.id ?? `onnx:${hash}:${base.id}`,
    dimensions,
    deterministic: base.deterministic,
    ...(base.maxInputChars === undefined ? {} : { maxInputChars: base.maxInputChars }),
    async encode(texts) {
      return through(await base.encode(texts));
    },
    ...(encodeQuery === undefined ? {} : { encodeQuery: async (texts: readonly string[]) => through(await encodeQuery.call(base, texts)) }),
  };
}

function invalid(message: string, field: string): NeuroMemError {
  return new NeuroMemError('INVALID_INPUT', message, { module: 'embeddings', details: { field } });
}

import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { createErrorFactory, normalizeInPlace } from '@neuromem/core';
import { validateHeadInput } from './create-random-projection-heads';
import { HEAD_SCALES, readHeadsManifest, readOrNotFound } from './heads-manifest';
import { loadOnnxRuntime } from './load-onnx-runtime';
import { openOnnxLinearModel, type OnnxLinearModel } from './open-onnx-linear-model';
import type { HeadScale, ScaleHeads } from './scale-heads';

const fail = createErrorFactory('embeddings');

export interface OnnxScaleHeadsOptions {
  /**
   * Directory with `heads.json` and `token.onnx`, `turn.onnx`, `session.onnx`, `salience.onnx`, as
   * written by `tools/train/scale-heads` with `--onnx-out`.
   */
  directory: string;
}

export interface OnnxScaleHeads extends ScaleHeads {
  /** The encoder the heads were trained on (from heads.json); use them only with that encoder. */
  readonly encoderId: string;
}

const FILES = ['token.onnx', 'turn.onnx', 'session.onnx', 'salience.onnx'] as const;

/**
 * Loads trained scale heads from ONNX files and runs them with onnxruntime-node (an optional peer
 * dependency, imported here on first use): each file is a linear map 'input' [N, inputDimensions]
 * -> 'output' [N, d]; a batch of vectors is one inference call, and projections are L2-normalized
 * here (not in the graph). Every model is checked against heads.json on load, so a mismatched or
 * corrupt file fails now rather than at the first search. `createLinearScaleHeads` runs the same
 * heads from plain weight files without onnxruntime.
 */
export async function createOnnxScaleHeads(options: OnnxScaleHeadsOptions): Promise<OnnxScaleHeads> {
  const directory = options?.directory;
  if (typeof directory !== 'string' || directory === '')
    throw fail('INVALID_INPUT', 'directory must be the path of a scale-heads directory (heads.json + four .onnx files).', { details: { field: 'directory' } });
  // First, so a missing runtime is the one thing to fix, not hidden behind a file error.
  const ort = await loadOnnxRuntime('createOnnxScaleHeads');
  const manifest = await readHeadsManifest(directory);
  const bytes = await Promise.all(FILES.map((file) => readOrNotFound(directory, file)));
  const hash = createHash('sha256');
  for (const file of bytes) hash.update(file);
  const [token, turn, session, salience] = await Promise.all(bytes.map((file, i) => openOnnxLinearModel(ort, file, join(directory, FILES[i]!))));
  const models: Record<HeadScale, OnnxLinearModel> = { token: token!, turn: turn!, session: session! };
  const { inputDimensions, dims } = manifest;
  const shape = { inputDimensions, dims };
  await Promise.all([
    ...HEAD_SCALES.map((scale) => probe(models[scale], inputDimensions, dims[scale], join(directory, `${scale}.onnx`))),
    probe(salience!, inputDimensions, 1, join(directory, 'salience.onnx')),
  ]);

  return {
    id: `onnx:${hash.digest('hex').slice(0, 12)}`,
    encoderId: manifest.encoderId,
    ...shape,
    async project(scale, vectors) {
      validateHeadInput(shape, vectors, scale);
      const output = await run(models[scale], vectors, inputDimensions);
      const d = dims[scale];
      return vectors.map((_, i) => normalizeInPlace(output.slice(i * d, (i + 1) * d)));
    },
    async salience(vectors) {
      validateHeadInput(shape, vectors);
      return Array.from(await run(salience!, vectors, inputDimensions));
    },
  };
}

async function run(model: OnnxLinearModel, vectors: readonly Float32Array[], inputDimensions: number): Promise<Float32Array> {
  return vectors.length === 0 ? new Float32Array(0) : (await model.run(vectors, inputDimensions)).data;
}

/** Runs one zero row to check the model takes `inputDimensions` and gives `outputDimensions`. */
async function probe(model: OnnxLinearModel, inputDimensions: number, outputDimensions: number, path: string): Promise<void> {
  let width: number;
  try {
    width = (await model.run([new Float32Array(inputDimensions)], inputDimensions)).width;
  } catch (error) {
    throw fail('DIMENSION_MISMATCH', `${path} does not take ${inputDimensions}-dimensional input as heads.json says (${(error as Error).message}).`, {
      details: { path, expected: inputDimensions },
      cause: error,
    });
  }
  if (width !== outputDimensions) {
    throw fail('DIMENSION_MISMATCH', `${path} gives ${width}-dimensional output but heads.json says ${outputDimensions}.`, { details: { path, expected: outputDimensions, actual: width } });
  }
}

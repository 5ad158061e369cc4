import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NeuroMemError, normalizeInPlace } from '@neuromem/core';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { validateHeadInput } from './create-random-projection-heads';
import type { HeadScale, ScaleHeads } from './scale-heads';

export interface OnnxScaleHeadsOptions {
  /**
   * Directory with `heads.json` and `token.onnx`, `turn.onnx`, `session.onnx`, `salience.onnx`, as
   * written by `tools/train/scale-heads` (the package ships `heads/hashing-384` for the default
   * hashing encoder).
   */
  directory: string;
}

export interface OnnxScaleHeads extends ScaleHeads {
  /** The encoder the heads were trained on (from heads.json); use them only with that encoder. */
  readonly encoderId: string;
}

/** How to rebuild the files, named in every "missing file" error. */
export const SCALE_HEADS_COMMAND = 'bash tools/train/scale-heads/train.sh --data path/to/locomo10.json';
const SCALES: readonly HeadScale[] = ['token', 'turn', 'session'];
const FILES = ['token.onnx', 'turn.onnx', 'session.onnx', 'salience.onnx'] as const;

/**
 * Loads trained scale heads: each file is a linear map 'input' [N, inputDimensions] -> 'output'
 * [N, d] run with onnxruntime-node; a batch of vectors is one inference call, and projections are
 * L2-normalized here (not in the graph). Every model is checked against heads.json on load, so a
 * mismatched or corrupt file fails now rather than at the first search.
 */
export async function createOnnxScaleHeads(options: OnnxScaleHeadsOptions): Promise<OnnxScaleHeads> {
  const directory = options?.directory;
  if (typeof directory !== 'string' || directory === '') throw fail('INVALID_INPUT', 'directory must be the path of a scale-heads directory (heads.json + four .onnx files).', { field: 'directory' });
  const manifest = parseManifest(await readOrNotFound(directory, 'heads.json'), directory);
  const bytes = await Promise.all(FILES.map((file) => readOrNotFound(directory, file)));
  const hash = createHash('sha256');
  for (const file of bytes) hash.update(file);
  const [token, turn, session, salience] = await Promise.all(bytes.map((file, i) => openModel(file, join(directory, FILES[i]!))));
  const models: Record<HeadScale, InferenceSession> = { token: token!, turn: turn!, session: session! };
  const { inputDimensions, dims } = manifest;
  const shape = { inputDimensions, dims };
  await Promise.all([...SCALES.map((scale) => probe(models[scale], inputDimensions, dims[scale], join(directory, `${scale}.onnx`))), probe(salience!, inputDimensions, 1, join(directory, 'salience.onnx'))]);

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

/** Runs a linear model on a batch: one [N, inputDimensions] tensor in, the flat 'output' data back. */
export async function runLinearModel(model: InferenceSession, vectors: readonly Float32Array[], inputDimensions: number): Promise<{ data: Float32Array; width: number }> {
  const input = new Float32Array(vectors.length * inputDimensions);
  vectors.forEach((vector, i) => input.set(vector, i * inputDimensions));
  const result = await model.run({ input: new Tensor('float32', input, [vectors.length, inputDimensions]) });
  const output = result.output!;
  return { data: output.data as Float32Array, width: Number(output.dims[1]) };
}

async function run(model: InferenceSession, vectors: readonly Float32Array[], inputDimensions: number): Promise<Float32Array> {
  return vectors.length === 0 ? new Float32Array(0) : (await runLinearModel(model, vectors, inputDimensions)).data;
}

/** Opens an ONNX file's bytes; the graph must have one float input 'input' and one output 'output'. */
export async function openModel(bytes: Uint8Array, path: string): Promise<InferenceSession> {
  let model: InferenceSession;
  try {
    // The heads are small linear layers: one thread does them in microseconds, while a thread pool
    // spins idle workers that steal a core from the caller (and jitter every search on 2 cores).
    model = await InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential' });
  } catch (error) {
    throw fail('INVALID_INPUT', `${path} is not a valid ONNX model (${(error as Error).message}); regenerate it with \`${SCALE_HEADS_COMMAND}\`.`, { path }, error);
  }
  if (!model.inputNames.includes('input') || !model.outputNames.includes('output')) {
    throw fail('INVALID_INPUT', `${path} must have an input named 'input' and an output named 'output', has ${model.inputNames.join(', ')} -> ${model.outputNames.join(', ')}.`, { path });
  }
  return model;
}

/** Runs one zero row to check the model takes `inputDimensions` and gives `outputDimensions`. */
async function probe(model: InferenceSession, inputDimensions: number, outputDimensions: number, path: string): Promise<void> {
  let width: number;
  try {
    width = (await runLinearModel(model, [new Float32Array(inputDimensions)], inputDimensions)).width;
  } catch (error) {
    throw fail('DIMENSION_MISMATCH', `${path} does not take ${inputDimensions}-dimensional input as heads.json says (${(error as Error).message}).`, { path, expected: inputDimensions }, error);
  }
  if (width !== outputDimensions) {
    throw fail('DIMENSION_MISMATCH', `${path} gives ${width}-dimensional output but heads.json says ${outputDimensions}.`, { path, expected: outputDimensions, actual: width });
  }
}

interface HeadsManifest {
  encoderId: string;
  inputDimensions: number;
  dims: Record<HeadScale, number>;
}

function parseManifest(bytes: Uint8Array, directory: string): HeadsManifest {
  const path = join(directory, 'heads.json');
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw fail('INVALID_INPUT', `${path} is not valid JSON (${(error as Error).message}).`, { path }, error);
  }
  const m = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const dims = (typeof m.dims === 'object' && m.dims !== null ? m.dims : {}) as Record<string, unknown>;
  const size = (value: unknown) => typeof value === 'number' && Number.isInteger(value) && value > 0;
  if (typeof m.encoderId !== 'string' || !size(m.inputDimensions) || !SCALES.every((scale) => size(dims[scale]))) {
    throw fail('INVALID_INPUT', `${path} must give encoderId, inputDimensions and dims { token, turn, session } as positive integers; regenerate it with \`${SCALE_HEADS_COMMAND}\`.`, { path });
  }
  return { encoderId: m.encoderId, inputDimensions: m.inputDimensions as number, dims: { token: dims.token as number, turn: dims.turn as number, session: dims.session as number } };
}

/** Reads a file; a missing one is NOT_FOUND naming it and how to regenerate it. */
export async function readOrNotFound(directory: string, file: string, command = SCALE_HEADS_COMMAND): Promise<Uint8Array> {
  const path = join(directory, file);
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw fail('NOT_FOUND', `${file} is missing from ${directory}; regenerate the trained files with \`${command}\` (see tools/train/scale-heads/README.md).`, { path, file }, error);
    throw fail('STORAGE', `cannot read ${path}: ${code ?? (error as Error).message}.`, { path }, error);
  }
}

function fail(code: 'INVALID_INPUT' | 'NOT_FOUND' | 'DIMENSION_MISMATCH' | 'STORAGE', message: string, details: Record<string, unknown>, cause?: unknown): NeuroMemError {
  return new NeuroMemError(code, message, { module: 'embeddings', details, ...(cause === undefined ? {} : { cause }) });
}

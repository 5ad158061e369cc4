import { createErrorFactory } from '@neuromem/core';
import { validateHeadInput } from './create-random-projection-heads';
import { createLinearKernel } from './linear-kernel';
import { readHeadsManifest } from './heads-manifest';
import { readLinearWeights } from './read-linear-weights';
import type { HeadScale, ScaleHeads } from './scale-heads';

const fail = createErrorFactory('embeddings');

export interface LinearScaleHeadsOptions {
  /**
   * Directory with `heads.json` and the plain float32 weight files it lists (`token.f32`,
   * `turn.f32`, `session.f32`, `salience.f32`), as written by `tools/train/scale-heads` — e.g.
   * `DEFAULT_HEADS_DIRECTORY`, the heads shipped for the default hashing encoder.
   */
  directory: string;
}

export interface LinearScaleHeads extends ScaleHeads {
  /** The encoder the heads were trained on (from heads.json); use them only with that encoder. */
  readonly encoderId: string;
}

/**
 * Loads trained scale heads from plain weight files and runs them in TypeScript: the same linear
 * maps as `createOnnxScaleHeads` (L2-normalized projections, salience logit `w·x + b`) without
 * onnxruntime. Every file is checked against heads.json on load (shape, length, sha256, finite
 * values), so a corrupt or mismatched file fails here rather than at the first search.
 */
export async function createLinearScaleHeads(options: LinearScaleHeadsOptions): Promise<LinearScaleHeads> {
  const directory = options?.directory;
  if (typeof directory !== 'string' || directory === '') {
    throw fail('INVALID_INPUT', 'directory must be the path of a scale-heads directory (heads.json + the weight files it lists), e.g. DEFAULT_HEADS_DIRECTORY.', { details: { field: 'directory' } });
  }
  const manifest = await readHeadsManifest(directory);
  const { id, heads } = await readLinearWeights(directory, manifest);
  const { inputDimensions, dims } = manifest;
  const shape = { inputDimensions, dims };
  // The products run in WebAssembly SIMD, bit-identical to applyLinear; each call runs to completion
  // before another starts, so its result view is read before the next overwrites it.
  const kernel = createLinearKernel([heads.token, heads.turn, heads.session, heads.salience]);

  return {
    id: `linear:${id}`,
    encoderId: manifest.encoderId,
    ...shape,
    async project(scale: HeadScale, vectors) {
      validateHeadInput(shape, vectors, scale);
      return vectors.map((vector) => normalized(kernel.apply(heads[scale], vector)));
    },
    async salience(vectors) {
      validateHeadInput(shape, vectors);
      return vectors.map((vector) => kernel.apply(heads.salience, vector)[0]!);
    },
  };
}

/** The sums scaled to unit length, as float32 (a zero vector stays zero). */
function normalized(sums: Float32Array): Float32Array {
  let squares = 0;
  for (let k = 0; k < sums.length; k++) squares += sums[k]! * sums[k]!;
  const scale = squares > 0 ? 1 / Math.sqrt(squares) : 0;
  const out = new Float32Array(sums.length);
  for (let k = 0; k < sums.length; k++) out[k] = sums[k]! * scale;
  return out;
}

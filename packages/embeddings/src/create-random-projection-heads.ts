import { NeuroMemError, normalizeInPlace } from '@neuromem/core';
import type { HeadScale, ScaleHeads } from './scale-heads';

export interface RandomProjectionHeadsOptions {
  /** Dimensions of the encoder vectors the heads take (the encoder's `dimensions`). */
  inputDimensions: number;
  /** Output dimensions per scale. */
  dims: Readonly<Record<HeadScale, number>>;
  /** Seed of the Gaussian matrices the projections are made from. @default 1 */
  seed?: number;
}

const SCALES: readonly HeadScale[] = ['token', 'turn', 'session'];

/** Built matrices by shape and seed: every memory with default heads shares them (~2.5 MB). */
const BUILT = new Map<string, Float32Array>();

/**
 * The heads used when no trained ones are given: per scale a seeded random orthonormal projection
 * and uniform salience (every logit 0, so a session vector is the plain mean of its turns).
 * Projecting up (more outputs than inputs) uses orthonormal columns, an isometry, so cosines are
 * exactly the encoder's; projecting down uses orthonormal rows, which keep cosines approximately
 * (Johnson-Lindenstrauss). The matrices are built on first use of each scale.
 */
export function createRandomProjectionHeads(options: RandomProjectionHeadsOptions): ScaleHeads {
  const { inputDimensions, seed = 1 } = options;
  positiveInteger(inputDimensions, 'inputDimensions');
  if (!Number.isInteger(seed)) throw invalid(`seed must be an integer, got ${String(seed)}.`, 'seed');
  if (typeof options.dims !== 'object' || options.dims === null) throw invalid('dims must be an object like { token: 256, turn: 512, session: 1024 }.', 'dims');
  const dims = Object.fromEntries(SCALES.map((scale) => [scale, positiveInteger(options.dims[scale], `dims.${scale}`)])) as Record<HeadScale, number>;
  const matrices = new Map<HeadScale, Float32Array>();
  const matrixOf = (scale: HeadScale): Float32Array => {
    let matrix = matrices.get(scale);
    if (matrix === undefined) {
      // Each scale gets its own stream, so using one scale never changes another's matrix.
      const streamSeed = seed * 3 + SCALES.indexOf(scale);
      const key = `${dims[scale]}x${inputDimensions}:${streamSeed}`;
      matrix = BUILT.get(key) ?? orthonormalProjection(dims[scale], inputDimensions, streamSeed);
      BUILT.set(key, matrix);
      matrices.set(scale, matrix);
    }
    return matrix;
  };

  const shape = { inputDimensions, dims };
  return {
    id: `random-orthonormal:seed${seed}`,
    ...shape,
    async project(scale, vectors) {
      validateHeadInput(shape, vectors, scale);
      const matrix = matrixOf(scale);
      return vectors.map((vector) => normalizeInPlace(multiply(matrix, dims[scale], inputDimensions, vector)));
    },
    async salience(vectors) {
      validateHeadInput(shape, vectors);
      return vectors.map(() => 0);
    },
  };
}

/**
 * Fails fast with INVALID_INPUT for an unknown scale and DIMENSION_MISMATCH for a vector whose
 * length is not the heads' `inputDimensions`. Shared with the ONNX heads.
 */
export function validateHeadInput(heads: Pick<ScaleHeads, 'inputDimensions' | 'dims'>, vectors: readonly Float32Array[], scale?: HeadScale): void {
  if (scale !== undefined && !SCALES.includes(scale)) throw invalid(`scale must be one of ${SCALES.join(', ')}, got ${JSON.stringify(scale)}.`, 'scale');
  if (!Array.isArray(vectors)) throw invalid('vectors must be an array of Float32Array.', 'vectors');
  vectors.forEach((vector, i) => {
    if (!(vector instanceof Float32Array)) throw invalid(`vectors[${i}] must be a Float32Array.`, `vectors[${i}]`);
    if (vector.length !== heads.inputDimensions) {
      throw new NeuroMemError('DIMENSION_MISMATCH', `vectors[${i}] has ${vector.length} dimensions but the heads take ${heads.inputDimensions}; use heads made for this encoder.`, {
        module: 'embeddings',
        details: { field: `vectors[${i}]`, expected: heads.inputDimensions, actual: vector.length },
      });
    }
  });
}

/** Row-major [rows x columns]: orthonormal columns when rows >= columns, else orthonormal rows. */
function orthonormalProjection(rows: number, columns: number, seed: number): Float32Array {
  const [count, length] = rows >= columns ? [columns, rows] : [rows, columns];
  const basis = gramSchmidt(count, length, gaussian(seed));
  const matrix = new Float32Array(rows * columns);
  basis.forEach((vector, k) => {
    for (let i = 0; i < length; i++) {
      // Columns when projecting up (basis vector k is column k), rows when projecting down.
      matrix[rows >= columns ? i * columns + k : k * columns + i] = vector[i] as number;
    }
  });
  return matrix;
}

/** `count` orthonormal vectors of `length` (modified Gram-Schmidt; Gaussian draws are well conditioned). */
function gramSchmidt(count: number, length: number, next: () => number): Float64Array[] {
  const basis: Float64Array[] = [];
  while (basis.length < count) {
    const v = Float64Array.from({ length }, next);
    for (const b of basis) {
      let d = 0;
      for (let i = 0; i < length; i++) d += (v[i] as number) * (b[i] as number);
      for (let i = 0; i < length; i++) v[i] = (v[i] as number) - d * (b[i] as number);
    }
    const norm = Math.hypot(...v);
    // A draw inside the span of the others (probability ~0) is skipped, not divided by ~0.
    if (norm < 1e-6) continue;
    basis.push(v.map((x) => x / norm));
  }
  return basis;
}

function multiply(matrix: Float32Array, rows: number, columns: number, vector: Float32Array): Float32Array {
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    const offset = r * columns;
    for (let c = 0; c < columns; c++) sum += (matrix[offset + c] as number) * (vector[c] as number);
    out[r] = sum;
  }
  return out;
}

/** Standard normal draws (Box-Muller) from a mulberry32 stream. */
function gaussian(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform() || 1e-12)) * Math.cos(2 * Math.PI * uniform());
}

function positiveInteger(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65536) throw invalid(`${field} must be an integer between 1 and 65536, got ${String(value)}.`, field);
  return value;
}

function invalid(message: string, field: string): NeuroMemError {
  return new NeuroMemError('INVALID_INPUT', message, { module: 'embeddings', details: { field } });
}

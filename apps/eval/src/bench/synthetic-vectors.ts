import { createErrorFactory } from '@neuromem/core';
import { createRandom } from '@neuromem/core/testing';

const fail = createErrorFactory('eval');

export interface SyntheticVectorOptions {
  /** Length of every vector. Required. */
  dimensions: number;
  /** Seed for the cluster centres and for every stream of points. Default 1. */
  seed?: number;
  /** Number of topic clusters. Default 256. */
  clusters?: number;
  /** Cluster popularity is Zipf-like: the cluster of rank r gets weight 1/(r+1)^zipfExponent. Default 1. */
  zipfExponent?: number;
  /** Variance of coordinate j is proportional to (j+1)^-spectrumDecay. Default 0.7. */
  spectrumDecay?: number;
}

export interface VectorSpace {
  readonly dimensions: number;
  /**
   * Yields `count` unit vectors in arrays of at most `batchSize` (default 1000). Each batch shares one
   * buffer, so peak memory is one batch, not `count`. A stream number names an independent sequence
   * over the same clusters: the same (seed, stream) always yields the same vectors.
   */
  batches(count: number, options?: { batchSize?: number; stream?: number }): Generator<Float32Array[]>;
  /** All `count` vectors of a stream at once; for small counts such as query sets. */
  sample(count: number, stream?: number): Float32Array[];
}

/**
 * Embedding-like synthetic vectors: uniform Gaussian vectors are a poor stand-in for an ANN benchmark
 * because every pair is nearly orthogonal and no point has a meaningfully near neighbour. Real text
 * embeddings are clustered by topic, topics are unevenly popular, and their variance is concentrated
 * in a few directions (a decaying spectrum). So: Zipf-weighted cluster centres, each point = centre +
 * anisotropic noise of a per-cluster spread, normalized to unit length.
 */
export function createVectorSpace(options: SyntheticVectorOptions): VectorSpace {
  const { dimensions, seed = 1, clusters = 256, zipfExponent = 1, spectrumDecay = 0.7 } = options;
  if (!Number.isInteger(dimensions) || dimensions < 1) throw fail('INVALID_INPUT', `dimensions must be a positive integer, got ${String(dimensions)}.`);
  if (!Number.isInteger(clusters) || clusters < 1) throw fail('INVALID_INPUT', `clusters must be a positive integer, got ${String(clusters)}.`);

  // Per-coordinate standard deviations scaled so a noise draw has expected squared norm 1.
  const spectrum = Float64Array.from({ length: dimensions }, (_, j) => (j + 1) ** (-spectrumDecay / 2));
  const total = Math.sqrt(spectrum.reduce((sum, s) => sum + s * s, 0));
  for (let j = 0; j < dimensions; j++) spectrum[j] = spectrum[j]! / total;

  const random = createRandom(seed);
  const gaussian = createGaussian(random);
  // Centres follow the same spectrum, so topics spread mostly along the dominant directions too.
  const centres = Array.from({ length: clusters }, () => {
    const centre = new Float64Array(dimensions);
    for (let j = 0; j < dimensions; j++) centre[j] = gaussian() * spectrum[j]!;
    return normalize(centre);
  });
  // Noise norm 0.6..1.1: point-to-centre cosine about 0.67..0.86, so some topics are tight, some broad.
  const spreads = Float64Array.from({ length: clusters }, () => 0.6 + 0.5 * random());
  const cumulative = new Float64Array(clusters);
  let sum = 0;
  for (let r = 0; r < clusters; r++) {
    sum += 1 / (r + 1) ** zipfExponent;
    cumulative[r] = sum;
  }

  const pickCluster = (u: number): number => {
    const target = u * sum;
    let lo = 0;
    let hi = clusters - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };

  function* batches(count: number, { batchSize = 1000, stream = 0 }: { batchSize?: number; stream?: number } = {}): Generator<Float32Array[]> {
    const pointRandom = createRandom(streamSeed(seed, stream));
    const pointGaussian = createGaussian(pointRandom);
    for (let start = 0; start < count; start += batchSize) {
      const size = Math.min(batchSize, count - start);
      const flat = new Float32Array(size * dimensions);
      const batch: Float32Array[] = [];
      for (let row = 0; row < size; row++) {
        const cluster = pickCluster(pointRandom());
        const centre = centres[cluster]!;
        const spread = spreads[cluster]!;
        const vector = flat.subarray(row * dimensions, (row + 1) * dimensions);
        let norm = 0;
        for (let j = 0; j < dimensions; j++) {
          const x = centre[j]! + spread * spectrum[j]! * pointGaussian();
          vector[j] = x;
          norm += x * x;
        }
        norm = Math.sqrt(norm);
        for (let j = 0; j < dimensions; j++) vector[j] = vector[j]! / norm;
        batch.push(vector);
      }
      yield batch;
    }
  }

  return {
    dimensions,
    batches,
    sample: (count, stream = 0) => [...batches(count, { batchSize: Math.max(1, count), stream })].flat(),
  };
}

/** Mixes seed and stream so streams do not overlap as shifted copies of one mulberry32 sequence. */
function streamSeed(seed: number, stream: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(stream + 1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  return (h ^ (h >>> 15)) >>> 0;
}

/** Box-Muller using both outputs of each pair: the generator dominates setup time at 100k x 384. */
function createGaussian(random: () => number): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(random() || 1e-12));
    const angle = 2 * Math.PI * random();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}

function normalize(vector: Float64Array): Float64Array {
  const norm = Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0));
  return vector.map((x) => x / norm);
}

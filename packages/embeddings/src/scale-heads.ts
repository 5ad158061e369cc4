import type { Scale } from '@neuromem/core';

/** The scales a multi-scale embedder projects into. */
export type HeadScale = Extract<Scale, 'token' | 'turn' | 'session'>;

/**
 * Projections from an encoder's space to each scale's space, plus the salience scorer that weighs a
 * session's turns when they are aggregated into the session vector. Trained heads come from the
 * weight files `tools/train/scale-heads` writes (`createLinearScaleHeads`, or `createOnnxScaleHeads`
 * for its ONNX export); without them a seeded random orthonormal projection keeps cosine geometry
 * and uniform salience is used.
 */
export interface ScaleHeads {
  /** Identity of the weights (file hash or seed); part of the embedder id and cache keys. */
  readonly id: string;
  /** Dimensions of the encoder vectors the heads take. */
  readonly inputDimensions: number;
  /** Output dimensions per scale. */
  readonly dims: Readonly<Record<HeadScale, number>>;
  /** Projects encoder-space vectors to `scale`; outputs are L2-normalized. */
  project(scale: HeadScale, vectors: readonly Float32Array[]): Promise<Float32Array[]>;
  /** One unnormalized salience logit per encoder-space turn vector (higher = matters more to its session). */
  salience(vectors: readonly Float32Array[]): Promise<number[]>;
}

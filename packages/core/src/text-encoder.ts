import type { Scale } from './memory';

/** Turns texts into fixed-size vectors. Hashing, transformers.js, ONNX and HTTP encoders implement it. */
export interface TextEncoder {
  readonly specVersion: 'neuromem.text-encoder/v1';
  /** Stable identity of the model and its settings; cache keys and index files are tied to it. */
  readonly id: string;
  readonly dimensions: number;
  /** True when the same text always gives the same vector (lets callers cache). */
  readonly deterministic: boolean;
  /**
   * One unit-length vector per text, in order. Rejects empty or whitespace-only text with
   * `INVALID_INPUT`; never returns NaN.
   */
  encode(texts: readonly string[]): Promise<Float32Array[]>;
}

/** A text to embed, with the context that multi-scale embedders use. */
export interface EmbedItem {
  text: string;
  /** Items sharing a session key belong to one document (a conversation session). */
  sessionKey?: string;
}

export type ScaleVectors = Partial<Record<Scale, Float32Array>>;

/** Produces vectors at one or more scales for each item; the store keeps one index per scale. */
export interface Embedder {
  readonly specVersion: 'neuromem.embedder/v1';
  readonly id: string;
  /** Dimensions per produced scale. */
  readonly scales: Readonly<Partial<Record<Scale, number>>>;
  embed(items: readonly EmbedItem[]): Promise<ScaleVectors[]>;
  /** Vectors for a search query, at the same scales. */
  embedQuery(query: string): Promise<ScaleVectors>;
}

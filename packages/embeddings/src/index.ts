export { createHashingEncoder } from './create-hashing-encoder';
export type { HashingEncoderOptions } from './hashing-encoder-options';
export { createSingleScaleEmbedder, type SingleScaleEmbedderOptions } from './create-single-scale-embedder';

export { createHashingEncoder, type HashingEncoder } from './create-hashing-encoder';
export type { HashingEncoderOptions } from './hashing-encoder-options';
export { createCorpusStats, type CorpusStats } from './corpus-stats';
export { createSingleScaleEmbedder, type SingleScaleEmbedderOptions } from './create-single-scale-embedder';
export { createHttpEncoder, type HttpEncoderOptions } from './create-http-encoder';
export { withEmbeddingCache, type CachedEncoder, type EmbeddingCacheOptions } from './with-embedding-cache';
export type { ScaleHeads, HeadScale } from './scale-heads';

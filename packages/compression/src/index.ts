export { createCompressor, type CompressorOptions } from './create-compressor';
export { createTiktokenCounter, type TokenCounter } from './token-counter';
export { KEEP_FEATURES, keepFeatures, type KeepFeature, type WordContext } from './keep-features';
export { keepProbability, parseKeepModel, type KeepModel } from './keep-model';
export { fitKeepModel, type KeepExample } from './fit-keep-model';
export { DEFAULT_KEEP_MODEL } from './default-keep-model';
export { deduplicate } from './deduplicate';
export { splitWords, keyOf, type Word } from './words';
export type { CompressItem, CompressedContext, Compressor, SpanPointer } from '@neuromem/core';

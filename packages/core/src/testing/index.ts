export { testVectorIndex, type VectorIndexSuiteOptions } from './test-vector-index';
export { testMemoryStore, type MemoryStoreSuiteOptions } from './test-memory-store';
export { testEmbedder, type EmbedderSuiteOptions } from './test-embedder';
export { createRandom, randomUnitVectors, perturb } from './random';
export { createTempDir } from './temp-dir';
export { outcomeOf } from './outcome-of';
export { onLines } from './on-lines';

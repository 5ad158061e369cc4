import { createHashingEncoder } from '@neuromem/embeddings';
import { encoderSystem } from './encoder-system';
import type { SystemFactory } from './retrieval-system';

/**
 * Naive RAG: NeuroMem's default encoder, one vector per turn ("Speaker: text"), exact cosine top-k —
 * what a plain vector database returns, with nothing about time, graph or scale.
 */
export const createVectorSystem: SystemFactory = () => encoderSystem(createHashingEncoder());

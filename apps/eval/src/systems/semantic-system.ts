import { createSemanticEncoder } from '@neuromem/embeddings';
import { encoderSystem } from './encoder-system';
import type { SystemFactory } from './retrieval-system';

/**
 * The semantic part of NeuroMem's default embedder alone (the trained encoder over the word-vector
 * lexicon; the fold's model under `--semantic-cv`): one vector per turn ("Speaker: text"), exact
 * cosine top-k. What meaning alone finds, beside what the whole ranking does with it.
 */
export const createSemanticSystem: SystemFactory = async ({ conversation, semanticFor }) =>
  encoderSystem(createSemanticEncoder(semanticFor ? { model: await semanticFor(conversation.sampleId) } : {}));

import { createErrorFactory, type Embedder } from '@neuromem/core';
import { createHybridEmbedder, createMultiScaleEmbedder, createRandomProjectionHeads, createSemanticEncoder } from '@neuromem/embeddings';
import type { SemanticOptions } from './types';

const fail = createErrorFactory('neuromem');

/** Share of meaning in the default embedder's similarities (tuned on LoCoMo dev, cross-validated). */
export const DEFAULT_SEMANTIC_WEIGHT = 0.3;

/**
 * The lexical embedder joined with a semantic one of the same shape: the semantic encoder's vectors
 * at every scale (turn context and session aggregation as for the lexical part; a square random
 * rotation keeps their cosines), weighted `weight`. `false` keeps the lexical embedder alone.
 */
export function withSemanticPart(lexical: Embedder, options: SemanticOptions | false | undefined): Embedder {
  if (options === false) return lexical;
  if (options !== undefined && (typeof options !== 'object' || options === null)) throw fail('INVALID_INPUT', `semantic must be false or an object such as { weight: 0.3 }, got ${String(options)}.`, { details: { field: 'semantic' } });
  const weight = options?.weight ?? DEFAULT_SEMANTIC_WEIGHT;
  if (typeof weight !== 'number' || !(weight > 0 && weight < 1)) throw fail('INVALID_INPUT', `semantic.weight must be a number strictly between 0 and 1, got ${String(weight)}.`, { details: { field: 'semantic.weight' } });
  const encoder = options?.encoder ?? createSemanticEncoder();
  if (typeof encoder?.encode !== 'function' || !Number.isInteger(encoder.dimensions)) throw fail('INVALID_INPUT', 'semantic.encoder must be a TextEncoder.', { details: { field: 'semantic.encoder' } });
  const size = encoder.dimensions;
  const semantic = createMultiScaleEmbedder({ encoder, heads: createRandomProjectionHeads({ inputDimensions: size, dims: { token: size, turn: size, session: size } }) });
  return createHybridEmbedder({ parts: [{ embedder: lexical, weight: 1 - weight }, { embedder: semantic, weight }] });
}

import { supports, type Embedder, type MemoryStore } from '@neuromem/core';

/**
 * The token vectors a write should store: none when the embedder can compute them again from the
 * text alone (`embedTokens`: retrieval then computes the few it re-ranks with, and each memory is
 * about 9 KB smaller) or when the store keeps none, else the turn's own.
 */
export function storedTokens(embedder: Embedder, store: MemoryStore, tokens: Float32Array[] | undefined): { tokens?: Float32Array[] } {
  return tokens && keepsTokens(embedder, store) ? { tokens } : {};
}

/** Whether writes keep token vectors (so ask the embedder for them): only when it cannot compute them again and the store keeps them. */
export const keepsTokens = (embedder: Embedder, store: MemoryStore): boolean =>
  !embedder.embedTokens && embedder.scales.token !== undefined && store.vectorScales.token !== undefined && supports(store, 'tokenVectors');

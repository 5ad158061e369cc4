import type { Embedder } from '@neuromem/core';

/**
 * The token vectors a write should store: none when the embedder can compute them again from the
 * text alone (`embedTokens`: retrieval then computes the few it re-ranks with, and each memory is
 * about 9 KB smaller), else the turn's own.
 */
export function storedTokens(embedder: Embedder, tokens: Float32Array[] | undefined): { tokens?: Float32Array[] } {
  return tokens && embedder.scales.token && keepsTokens(embedder) ? { tokens } : {};
}

/** Whether writes keep token vectors (so ask the embedder for them): only when it cannot compute them again. */
export const keepsTokens = (embedder: Embedder): boolean => !embedder.embedTokens;

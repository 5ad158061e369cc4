import { createErrorFactory, type Embedder, type MemoryStore } from '@neuromem/core';

const fail = createErrorFactory('neuromem');

/**
 * A brought store must keep vectors of the embedder's sizes at the scales memories are searched and
 * sessions found at; a mismatch would only surface as nonsense similarities.
 */
export function checkStoreFitsEmbedder(store: MemoryStore, embedder: Embedder): void {
  for (const [scale, dimensions] of Object.entries(embedder.scales)) {
    const stored = store.vectorScales[scale as keyof typeof store.vectorScales];
    const optional = scale === 'token' || scale === 'session';
    if (stored === undefined && optional) continue;
    if (stored !== dimensions) {
      throw fail(
        'DIMENSION_MISMATCH',
        `the store keeps ${scale} vectors of ${stored ?? 'no'} dimensions but the embedder makes ${dimensions}; open the store with vectorScales: ${JSON.stringify(embedder.scales)}.`,
        {
          details: { scale, store: stored ?? null, embedder: dimensions },
        },
      );
    }
  }
}

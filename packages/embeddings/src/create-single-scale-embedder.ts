import { NeuroMemError, validateScale, validateText, type Embedder, type Scale, type TextEncoder } from '@neuromem/core';
import { validateTurns } from './validate-turns';

export interface SingleScaleEmbedderOptions {
  /** The one scale the encoder's vectors are stored under. @default 'turn' */
  scale?: Scale;
}

/**
 * Presents one `TextEncoder` as an `Embedder` with a single scale: every turn and query gets one
 * vector at `scale`, independent of its session. The simplest embedder, and the baseline the
 * multi-scale one is measured against.
 */
export function createSingleScaleEmbedder(encoder: TextEncoder, options: SingleScaleEmbedderOptions = {}): Embedder {
  const scale = validateScale(options.scale ?? 'turn', 'embeddings');
  // The scale is part of the id: the same encoder stored under another scale is another index.
  const id = `single-scale:${scale}:${encoder.id}`;
  return {
    specVersion: 'neuromem.embedder/v1',
    id,
    scales: { [scale]: encoder.dimensions },

    async embedSession(turns, options = {}) {
      const from = validateTurns(turns, options.from);
      const vectors = await encoder.encode(turns.slice(from));
      return { turns: vectors.map((vector) => ({ vectors: { [scale]: vector } })) };
    },

    // Turns are embedded on their own, so a session's state is only its length.
    async continueSession(turns, state) {
      validateTurns(turns, 0);
      if (state !== undefined && (typeof state !== 'object' || state === null || state.embedderId !== id || !Number.isInteger(state.turns))) {
        throw new NeuroMemError('INVALID_INPUT', `state is not a session state of embedder ${id}; pass the state its last continueSession returned, or none for a new session.`, {
          module: 'embeddings',
          details: { field: 'state' },
        });
      }
      const vectors = await encoder.encode(turns);
      return { turns: vectors.map((vector) => ({ vectors: { [scale]: vector } })), state: { embedderId: id, turns: (state?.turns ?? 0) + turns.length } };
    },

    async embedQuery(query) {
      const text = validateText(query, { module: 'embeddings', field: 'query' });
      const [vector] = await (encoder.encodeQuery ?? encoder.encode).call(encoder, [text]);
      return { vectors: { [scale]: vector! } };
    },
  };
}

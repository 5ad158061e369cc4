import { NeuroMemError, validateScale, validateText, type Embedder, type Scale, type TextEncoder } from '@neuromem/core';

export interface SingleScaleEmbedderOptions {
  /** The one scale the encoder's vectors are stored under. @default 'turn' */
  scale?: Scale;
}

/**
 * Presents one `TextEncoder` as an `Embedder` with a single scale: every item and query gets one
 * vector at `scale`. The default embedder until multi-scale embedders exist.
 */
export function createSingleScaleEmbedder(encoder: TextEncoder, options: SingleScaleEmbedderOptions = {}): Embedder {
  const scale = validateScale(options.scale ?? 'turn', 'embeddings');

  return {
    specVersion: 'neuromem.embedder/v1',
    // The scale is part of the id: the same encoder stored under another scale is another index.
    id: `single-scale:${scale}:${encoder.id}`,
    scales: { [scale]: encoder.dimensions },

    async embed(items) {
      if (!Array.isArray(items)) {
        throw new NeuroMemError('INVALID_INPUT', 'items must be an array of { text } objects.', { module: 'embeddings', details: { field: 'items' } });
      }
      // Validated here, not only in the encoder, so errors name the caller's field.
      const texts = items.map((item: unknown, i) =>
        validateText((item as { text?: unknown } | null)?.text, { module: 'embeddings', field: `items[${i}].text` }),
      );
      const vectors = await encoder.encode(texts);
      return vectors.map((vector) => ({ [scale]: vector }));
    },

    async embedQuery(query) {
      const [vector] = await encoder.encode([validateText(query, { module: 'embeddings', field: 'query' })]);
      return { [scale]: vector };
    },
  };
}

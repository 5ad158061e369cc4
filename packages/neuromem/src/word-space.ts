import { createLruCache, type TextEncoder } from '@neuromem/core';
import type { SemanticEncoder } from '@neuromem/embeddings';
import type { WordSpace } from '@neuromem/retrieval';

/** Words whose unit vectors a memory keeps at hand: about 6.5 MB of 200-d vectors. */
const CACHED_WORDS = 8192;

/**
 * The word space of a semantic encoder built on a lexicon (the default one): each word's lexicon
 * row (a guess from its spelling for unknown words), scaled to length 1, and its SIF weight. Other
 * encoders (a transformer) have no context-free words: undefined, and `wordMatch` counts the same words only.
 */
export function wordSpaceOf(encoder: TextEncoder | undefined): WordSpace | undefined {
  const semantic = encoder as Partial<SemanticEncoder> | undefined;
  const lexicon = semantic?.lexicon;
  if (!lexicon || typeof lexicon.addWord !== 'function' || typeof semantic.weightOf !== 'function') return undefined;
  const weightOf = semantic.weightOf.bind(semantic);
  const vectors = createLruCache<string, Float32Array>({ maxCost: CACHED_WORDS, costOf: () => 1 });
  const row = new Float64Array(lexicon.dimensions);
  return {
    vectorOf(word) {
      let vector = vectors.get(word);
      if (vector === undefined) {
        row.fill(0);
        lexicon.addWord(word, 1, row);
        let norm = 0;
        for (let d = 0; d < row.length; d++) norm += row[d]! * row[d]!;
        norm = Math.sqrt(norm);
        vector = Float32Array.from(row, (x) => (norm > 0 ? x / norm : 0));
        vectors.set(word, vector);
      }
      return vector;
    },
    weightOf,
  };
}

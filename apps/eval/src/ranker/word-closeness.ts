import { cosineSimilarity } from '@neuromem/core';
import { loadSemanticLexicon } from '@neuromem/embeddings';

/**
 * Cosine of two words' (or phrases', summed) vectors in the default semantic lexicon: how close
 * WordNet's alternatives for a word are to it in the sense it is usually used.
 */
export function wordCloseness(lexiconPath?: string): (a: string, b: string) => number {
  const lexicon = loadSemanticLexicon(lexiconPath);
  const vectorOf = (text: string) => {
    const vector = new Float64Array(lexicon.dimensions);
    for (const word of text.split(/[ -]+/)) if (word !== '') lexicon.addWord(word, 1, vector);
    return Float32Array.from(vector);
  };
  return (a, b) => cosineSimilarity(vectorOf(a), vectorOf(b));
}

import { cosineSimilarity } from '@neuromem/core';
import { loadSemanticLexicon } from '@neuromem/embeddings';

/**
 * Cosine of two words' (or phrases', summed) vectors in the default semantic lexicon: how close
 * WordNet's alternatives for a word are to it in the sense it is usually used.
 */
export function wordCloseness(lexiconPath?: string): (a: string, b: string) => number {
  const lexicon = loadSemanticLexicon(lexiconPath);
  // A word is compared with each of its alternatives: its vector is made once.
  const vectors = new Map<string, Float32Array>();
  const vectorOf = (text: string) => {
    let found = vectors.get(text);
    if (found === undefined) {
      const sum = new Float64Array(lexicon.dimensions);
      for (const word of text.split(/[ -]+/)) if (word !== '') lexicon.addWord(word, 1, sum);
      vectors.set(text, (found = Float32Array.from(sum)));
    }
    return found;
  };
  return (a, b) => cosineSimilarity(vectorOf(a), vectorOf(b));
}

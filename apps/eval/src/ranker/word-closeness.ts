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
    return vector;
  };
  return (a, b) => {
    const [x, y] = [vectorOf(a), vectorOf(b)];
    let dot = 0;
    let xx = 0;
    let yy = 0;
    for (let i = 0; i < x.length; i++) {
      dot += x[i]! * y[i]!;
      xx += x[i]! ** 2;
      yy += y[i]! ** 2;
    }
    return xx > 0 && yy > 0 ? dot / Math.sqrt(xx * yy) : 0;
  };
}

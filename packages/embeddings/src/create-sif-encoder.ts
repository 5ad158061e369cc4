import { NeuroMemError, type TextEncoder, type TokenEncoding } from '@neuromem/core';
import { WORD } from './extract-features';
import { fmix32, hashSeed, hashString } from './hash';
import { validateTexts } from './validate-texts';
import { loadSemanticLexicon, type SemanticLexicon } from './semantic-lexicon';

export interface SifEncoderOptions {
  /** Word vectors; default the shipped GloVe lexicon (`loadSemanticLexicon()`). */
  lexicon?: SemanticLexicon;
  /** SIF smoothing `a` in a / (a + p(word)): smaller favours rare words more. Default 1e-3. */
  smoothing?: number;
  /**
   * Factor for words outside the vocabulary (their vector is a subword guess). Default: the
   * subword table's measured mean cosine to true vectors of unseen words, recorded in the lexicon.
   */
  unknownWeight?: number;
  /** Remove the lexicon's common component(s) (Arora et al. 2017). Default true. */
  removeCommonComponent?: boolean;
}

const FALLBACK = hashSeed(12);

/**
 * Smooth inverse frequency sentence vectors (Arora, Liang & Ma, 2017): a weighted mean of word
 * vectors, each weighted a / (a + p(w)) so that "the" counts for little and "beagle" for much,
 * minus the common component every sentence shares. Unsupervised: the baseline the trained
 * encoder is measured against. p(w) follows Zipf's law over the source's frequency ranks.
 */
export function createSifEncoder(options: SifEncoderOptions = {}): TextEncoder & { readonly lexicon: SemanticLexicon; weightOf(word: string): number } {
  const lexicon = options.lexicon ?? loadSemanticLexicon();
  const smoothing = positive(options.smoothing ?? 1e-3, 'smoothing');
  const unknownWeight = positive(options.unknownWeight ?? lexicon.header.subwordFit?.meanCosine ?? 0.5, 'unknownWeight');
  const removeComponent = options.removeCommonComponent ?? true;
  const components = removeComponent ? lexicon.header.commonComponents.map((c) => Float64Array.from(c)) : [];
  const { dimensions } = lexicon;
  // Zipf: p(rank) = 1 / (rank · H), H the harmonic number of the source vocabulary.
  const harmonic = Math.log(lexicon.header.source.vocabulary) + 0.5772;
  const weightOf = (word: string) => {
    const rank = lexicon.rank(word);
    const p = 1 / ((rank ?? lexicon.header.source.vocabulary) * harmonic);
    return (smoothing / (smoothing + p)) * (rank === undefined ? unknownWeight : 1);
  };
  const id = `sif-v1:${lexicon.id}:a${smoothing}:u${unknownWeight.toFixed(3)}:pc${components.length}`;
  const sum = new Float64Array(dimensions);

  const encodeOne = (text: string): Float32Array => {
    sum.fill(0);
    for (const [word] of text.normalize('NFKC').toLowerCase().matchAll(WORD)) lexicon.addWord(word, weightOf(word), sum);
    for (const component of components) {
      let dot = 0;
      for (let d = 0; d < dimensions; d++) dot += sum[d]! * component[d]!;
      for (let d = 0; d < dimensions; d++) sum[d]! -= dot * component[d]!;
    }
    return unitOrFallback(sum, text);
  };

  /** No words, or words that cancel out: a fixed pseudo-random direction per text, never NaN. */
  const unitOrFallback = (vector: Float64Array, text: string): Float32Array => {
    let norm = 0;
    for (let d = 0; d < dimensions; d++) norm += vector[d]! ** 2;
    const out = new Float32Array(dimensions);
    if (norm > 1e-12) {
      const scale = 1 / Math.sqrt(norm);
      for (let d = 0; d < dimensions; d++) out[d] = vector[d]! * scale;
      return out;
    }
    let h = hashString(FALLBACK, text);
    for (let d = 0; d < dimensions; d++) out[d] = ((h = fmix32(h + d)) / 0xffffffff) * 2 - 1;
    let n = 0;
    for (let d = 0; d < dimensions; d++) n += out[d]! ** 2;
    return out.map((x) => x / Math.sqrt(n));
  };

  return {
    specVersion: 'neuromem.text-encoder/v1',
    id,
    dimensions,
    deterministic: true,
    lexicon,
    weightOf,
    async encode(texts) {
      return validateTexts(texts).map(encodeOne);
    },
    async encodeTokens(texts) {
      return validateTexts(texts).map((text): TokenEncoding => {
        const encoding: TokenEncoding = { vectors: [], spans: [] };
        for (const match of text.matchAll(WORD)) {
          sum.fill(0);
          const word = match[0].normalize('NFKC').toLowerCase();
          lexicon.addWord(word, 1, sum);
          encoding.vectors.push(unitOrFallback(sum, word));
          encoding.spans.push([match.index!, match.index! + match[0].length]);
        }
        if (encoding.vectors.length === 0) {
          encoding.vectors.push(encodeOne(text));
          encoding.spans.push([0, text.length]);
        }
        return encoding;
      });
    },
  };
}

function positive(value: number, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new NeuroMemError('INVALID_INPUT', `${field} must be a positive finite number, got ${String(value)}.`, { module: 'embeddings', details: { field } });
  }
  return value;
}

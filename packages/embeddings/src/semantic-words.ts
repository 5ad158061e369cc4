import { NeuroMemError } from '@neuromem/core';
import { WORD } from './extract-features';
import type { SemanticLexicon } from './semantic-lexicon';

/** The words a semantic encoder reads: NFKC, lower-cased, split as the lexical encoder splits them. */
export function semanticWords(text: string): string[] {
  // NFKC leaves ASCII as it is: most texts skip the normalization pass.
  const normalized = ASCII.test(text) ? text : text.normalize('NFKC');
  return Array.from(normalized.toLowerCase().matchAll(WORD), (match) => match[0]);
}

const ASCII = /^[\x00-\x7f]*$/;

export interface SifWeightingOptions {
  /** SIF smoothing `a` in a / (a + p(word)): smaller favours rare words more. Default 1e-3. */
  smoothing?: number;
  /**
   * Factor for words outside the vocabulary (their vector is a subword guess). Default: the
   * subword table's measured mean cosine to true vectors of unseen words, recorded in the lexicon.
   */
  unknownWeight?: number;
}

/** A word's prior weight in a sentence vector, and the settings that fix it (for ids). */
export interface SifWeighting {
  readonly id: string;
  weightOf(word: string): number;
}

/**
 * Smooth inverse frequency weights (Arora, Liang & Ma, 2017): a / (a + p(w)), so "the" counts for
 * little and "beagle" for much. p(w) follows Zipf's law over the source's frequency ranks:
 * p(rank) = 1 / (rank · H), H the harmonic number of the source vocabulary.
 */
export function createSifWeighting(lexicon: SemanticLexicon, options: SifWeightingOptions = {}): SifWeighting {
  for (const field of ['smoothing', 'unknownWeight'] as const) {
    const value = options[field];
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)) {
      throw new NeuroMemError('INVALID_INPUT', `${field} must be a positive finite number, got ${String(value)}.`, { module: 'embeddings', details: { field } });
    }
  }
  const smoothing = options.smoothing ?? 1e-3;
  const unknownWeight = options.unknownWeight ?? lexicon.header.subwordFit?.meanCosine ?? 0.5;
  const vocabulary = lexicon.header.source.vocabulary;
  const harmonic = Math.log(vocabulary) + 0.5772;
  return {
    id: `a${smoothing}:u${unknownWeight.toFixed(3)}`,
    weightOf(word) {
      const rank = lexicon.rank(word);
      const p = 1 / ((rank ?? vocabulary) * harmonic);
      return (smoothing / (smoothing + p)) * (rank === undefined ? unknownWeight : 1);
    },
  };
}

import type { FeatureBag } from './feature-bag';
import { fmix32, hashSeed, hashStep, hashString } from './hash';
import type { ResolvedHashingOptions } from './hashing-encoder-options';
import { createLruCache, ENGLISH_STOP_WORDS, stemWord } from '@neuromem/core';

// One seed per feature family, so the word "the" and the n-gram "the" land in unrelated buckets.
const UNIGRAM = hashSeed(1);
const BIGRAM = hashSeed(2);
const WORD_NGRAM = hashSeed(3);
const TEXT_NGRAM = hashSeed(4);
const WHOLE_TEXT = hashSeed(5);

const START = 0x3c; // '<'
const END = 0x3e; // '>'

/** Words whose features an extractor keeps (see `WordFeatures`): about 150 bytes each. */
const WORD_CACHE_SIZE = 8192;
/**
 * The longest word the encoders' word caches keep. Longer ones rarely come again, and kept they
 * would let a cache's bytes grow with what it reads: as keys, and here as features (a
 * 10,000-character token has 30,000 n-grams). A cache must stay a few MB whatever text comes.
 */
export const MAX_CACHED_WORD = 32;

/**
 * What a word contributes, whatever text it is in: its term, the hash of its term, and the hashes
 * of its character n-grams in the order `ngramsOf` makes them. Stemming, hashing and the n-grams
 * were most of a text's features; a chat says the same words again and again. Replayed, they add
 * exactly what computing them afresh adds, in the same order, so the vectors are bit-identical.
 */
interface WordFeatures extends Ngrams {
  readonly term: string;
  /** The term's hash (bigrams chain it), and its feature as the bag takes it. */
  readonly termHash: number;
  readonly termFeature: number;
  readonly stopWord: boolean;
}

/** Hashed character n-grams, in the order they are made. */
interface Ngrams {
  readonly ngrams: Uint32Array;
  /** How many n-grams share one weight (1 for a word too short for any: it is its own n-gram). */
  readonly share: number;
}

/**
 * Letters or digits, with combining marks kept inside the word (Devanagari, Thai and decomposed
 * accents would otherwise split mid-word), and each emoji as a word of its own since it often
 * carries the meaning ("🍣").
 */
export const WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*|\p{Extended_Pictographic}/gu;

/** Turns a normalized (NFKC, lower-cased) text into weighted features in a bag. */
export interface FeatureExtractor {
  /**
   * Words, word pairs and each word's character n-grams. Adds nothing for text without words.
   * `termWeight` scales each word by its (stemmed) term, e.g. an IDF for queries.
   */
  addWordFeatures(text: string, bag: FeatureBag, termWeight?: (term: string) => number): void;
  /** One word's own features (its term and character n-grams, no pairs): a token vector. */
  addWord(word: string, bag: FeatureBag): void;
  /** The terms a text's words count as (stemmed when stemming is on), stop words excluded. */
  terms(text: string): string[];
  /** Character n-grams of the text as a whole: the fallback for text of symbols or punctuation. */
  addTextNgrams(text: string, bag: FeatureBag): void;
  /** One feature for the exact text: the last resort when every other feature cancelled out. */
  addWholeText(text: string, bag: FeatureBag): void;
}

export function createFeatureExtractor(options: ResolvedHashingOptions): FeatureExtractor {
  const { charNgramMin: minN, charNgramMax: maxN, unigramWeight, bigramWeight, charNgramWeight, stopWordWeight, stem } = options;
  const termOf = (word: string) => (stem ? stemWord(word) : word);
  // Code points of the current word with its markers, reused so n-grams need no substrings.
  let points = new Int32Array(64);

  /** Fills `points` with `<` + code points of text[from..to) + `>` and returns how many there are. */
  const loadPoints = (text: string, from: number, to: number): number => {
    if (points.length < to - from + 2) points = new Int32Array(2 * (to - from + 2));
    let length = 0;
    points[length++] = START;
    for (let i = from; i < to; ) {
      const point = text.codePointAt(i) as number;
      points[length++] = point;
      i += point > 0xffff ? 2 : 1;
    }
    points[length++] = END;
    return length;
  };

  /**
   * Every n-gram of points[0..length) with minN <= n <= maxN, hashed incrementally from each start,
   * and how many they are (they share a weight by 1/√count, so the group's L2 norm is about its
   * total weight whatever the word's length). Too short for minN: the whole marked word is the one n-gram.
   */
  const ngramsOf = (seed: number, length: number): Ngrams => {
    if (length < minN) {
      let h = seed;
      for (let i = 0; i < length; i++) h = hashStep(h, points[i] as number);
      return { ngrams: Uint32Array.of(fmix32(h)), share: 1 };
    }
    let count = 0;
    for (let n = minN; n <= maxN && n <= length; n++) count += length - n + 1;
    const ngrams = new Uint32Array(count);
    let k = 0;
    for (let start = 0; start + minN <= length; start++) {
      const last = Math.min(start + maxN, length);
      let h = seed;
      for (let end = start; end < last; end++) {
        h = hashStep(h, points[end] as number);
        if (end - start + 1 >= minN) ngrams[k++] = fmix32(h);
      }
    }
    return { ngrams, share: count };
  };

  const cache = createLruCache<string, WordFeatures>({ maxCost: WORD_CACHE_SIZE });
  const featuresOf = (word: string): WordFeatures => {
    let features = cache.get(word);
    if (features === undefined) {
      const term = termOf(word);
      const termHash = hashString(UNIGRAM, term);
      features = { term, termHash, termFeature: fmix32(termHash), stopWord: ENGLISH_STOP_WORDS.has(word), ...ngramsOf(WORD_NGRAM, loadPoints(word, 0, word.length)) };
      if (word.length <= MAX_CACHED_WORD) cache.set(word, features);
    }
    return features;
  };

  /** N-grams (see `ngramsOf`) into the bag, `totalWeight` shared by 1/√count. */
  const addNgrams = ({ ngrams, share }: Ngrams, totalWeight: number, bag: FeatureBag) => {
    if (totalWeight === 0) return;
    const weight = totalWeight / Math.sqrt(share);
    for (const hash of ngrams) bag.add(hash, weight);
  };

  return {
    addWordFeatures(text, bag, termWeight) {
      let previousHash = 0;
      let previousFactor = 0;
      let hasPrevious = false;
      for (const match of text.matchAll(WORD)) {
        const features = featuresOf(match[0]);
        const factor = (features.stopWord ? stopWordWeight : 1) * (termWeight ? termWeight(features.term) : 1);
        bag.add(features.termFeature, unigramWeight * factor);
        if (hasPrevious) {
          // Geometric mean: "of the" stays faint, "the lake" half-weight, "lake sunrise" full.
          bag.add(fmix32(hashStep(hashStep(BIGRAM, previousHash), features.termHash)), bigramWeight * Math.sqrt(previousFactor * factor));
        }
        addNgrams(features, charNgramWeight * factor, bag);
        previousHash = features.termHash;
        previousFactor = factor;
        hasPrevious = true;
      }
    },

    addWord(word, bag) {
      const features = featuresOf(word);
      const factor = features.stopWord ? stopWordWeight : 1;
      bag.add(features.termFeature, unigramWeight * factor);
      addNgrams(features, charNgramWeight * factor, bag);
    },

    terms(text) {
      const found: string[] = [];
      for (const match of text.matchAll(WORD)) if (!ENGLISH_STOP_WORDS.has(match[0])) found.push(termOf(match[0]));
      return found;
    },

    addTextNgrams(text, bag) {
      const trimmed = text.trim();
      addNgrams(ngramsOf(TEXT_NGRAM, loadPoints(trimmed, 0, trimmed.length)), 1, bag);
    },

    addWholeText(text, bag) {
      bag.add(fmix32(hashString(WHOLE_TEXT, text)), 1);
    },
  };
}

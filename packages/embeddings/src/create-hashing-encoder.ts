import { createLruCache, type LruCache, type TextEncoder, type TokenEncoding } from '@neuromem/core';
import type { CorpusStats } from './corpus-stats';
import { createFeatureExtractor, MAX_CACHED_WORD, WORD, type FeatureExtractor } from './extract-features';
import { createFeatureBag, type FeatureBag } from './feature-bag';
import { hashingEncoderId, resolveHashingOptions, type HashingEncoderOptions } from './hashing-encoder-options';
import { isTokenWord } from './token-words';
import { validateTexts } from './validate-texts';

export interface HashingEncoder extends TextEncoder {
  /** The (stemmed) terms of a text, as `CorpusStats.observe` counts them. */
  terms(text: string): string[];
}

/**
 * A deterministic, offline `TextEncoder` built on signed feature hashing: words (by stem), adjacent
 * word pairs and character n-grams of each word are hashed into a fixed-size vector, then
 * L2-normalized. No model, no download, no network; it matches shared wording and word forms
 * ("painted" ~ "painting"), not meaning ("car" is not near "automobile"). With `corpus`, queries
 * weigh each word by its inverse document frequency in what the memory has stored.
 */
export function createHashingEncoder(options: HashingEncoderOptions & { corpus?: CorpusStats } = {}): HashingEncoder {
  const { corpus, ...rest } = options ?? {};
  const resolved = resolveHashingOptions(rest);
  const { dimensions } = resolved;
  const extractor = createFeatureExtractor(resolved);
  // Scratch state shared by every call: safe because encoding one text never awaits.
  const bag = createFeatureBag();
  const accumulator = new Float64Array(dimensions);
  const encodeWith = (termWeight?: (term: string) => number) => (text: string) => encodeOne(text, extractor, bag, accumulator, termWeight);
  const asDocument = encodeWith();
  const asQuery = corpus ? encodeWith((term) => corpus.idf(term)) : asDocument;
  // A word's token vector is its own (context-free), and hashing it is most of a token's cost.
  const words = createLruCache<string, Float32Array | null>({ maxCost: WORD_CACHE_ENTRIES });

  return {
    specVersion: 'neuromem.text-encoder/v1',
    id: hashingEncoderId(resolved),
    dimensions,
    deterministic: true,
    contextFreeTokens: true,
    wordTokens: true,
    async encode(texts) {
      return validateTexts(texts).map(asDocument);
    },
    async encodeQuery(texts) {
      return validateTexts(texts).map(asQuery);
    },
    async encodeTokens(texts) {
      return validateTexts(texts).map((text) => encodeTokens(text, extractor, bag, accumulator, words));
    },
    terms: (text) => extractor.terms(text.normalize('NFKC').toLowerCase()),
  };
}

function encodeOne(text: string, extractor: FeatureExtractor, bag: FeatureBag, accumulator: Float64Array, termWeight?: (term: string) => number): Float32Array {
  // NFKC folds full-width letters, ligatures and composed/decomposed accents to one spelling.
  const normalized = text.normalize('NFKC').toLowerCase();
  // Each step runs only if everything before it gave a zero vector: no words (only symbols),
  // zero weights (only stop words with stopWordWeight 0), or signed collisions cancelling out.
  const steps = [(t: string, b: FeatureBag) => extractor.addWordFeatures(t, b, termWeight), extractor.addTextNgrams, extractor.addWholeText];
  accumulator.fill(0);
  for (const step of steps) {
    step(normalized, bag);
    bag.drainInto(accumulator);
    if (squaredNorm(accumulator) > 0) break;
  }
  return toUnit(accumulator);
}

/** Distinct words whose token vectors are remembered (about 1.6 KB each at 384 dimensions). */
const WORD_CACHE_ENTRIES = 20_000;

/**
 * One vector per word of the original text (spans index the text as given, before normalization).
 * `words` remembers each word's vector (null: a function word or one with no features, which is
 * left out); callers
 * get copies, since they own what they are given.
 */
function encodeTokens(text: string, extractor: FeatureExtractor, bag: FeatureBag, accumulator: Float64Array, words: LruCache<string, Float32Array | null>): TokenEncoding {
  const encoding: TokenEncoding = { vectors: [], spans: [] };
  for (const match of text.matchAll(WORD)) {
    // Keyed by the word as written: folding it costs more than the lookup.
    let vector = words.get(match[0]);
    if (vector === undefined) {
      const folded = match[0].normalize('NFKC').toLowerCase();
      if (isTokenWord(folded)) {
        accumulator.fill(0);
        extractor.addWord(folded, bag);
        bag.drainInto(accumulator);
        vector = squaredNorm(accumulator) === 0 ? null : toUnit(accumulator);
      } else vector = null;
      if (match[0].length <= MAX_CACHED_WORD) words.set(match[0], vector);
    }
    if (vector === null) continue;
    encoding.vectors.push(vector.slice());
    encoding.spans.push([match.index!, match.index! + match[0].length]);
  }
  if (encoding.vectors.length === 0) {
    // A text of symbols only: one token for the whole of it, like `encode` falls back to.
    encoding.vectors.push(encodeOne(text, extractor, bag, accumulator));
    encoding.spans.push([0, text.length]);
  }
  return encoding;
}

function toUnit(accumulator: Float64Array): Float32Array {
  const norm = Math.sqrt(squaredNorm(accumulator));
  const vector = new Float32Array(accumulator.length);
  for (let i = 0; i < vector.length; i++) vector[i] = (accumulator[i] as number) / norm;
  return vector;
}

function squaredNorm(vector: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += (vector[i] as number) * (vector[i] as number);
  return sum;
}

import { NeuroMemError } from '@neuromem/core';

export interface HashingEncoderOptions {
  /** Length of every vector. Integer in 8..65536. More dimensions mean fewer hash collisions. @default 384 */
  dimensions?: number;
  /** Shortest character n-gram, counting the `<` and `>` word-boundary markers. Integer in 1..10. @default 3 */
  charNgramMin?: number;
  /** Longest character n-gram. Integer in charNgramMin..10. @default 5 */
  charNgramMax?: number;
  /**
   * Weight of each word's character n-grams together (split over them by 1/√count, so a long
   * word weighs as much as a short one). 0 turns sub-word matching off. Above the unigram weight
   * on purpose: on the LoCoMo dev split, 2 finds the evidence turn in the top 10 for 49% of
   * questions against 43% with 0.35, because "paint" must match "painted". @default 2
   */
  charNgramWeight?: number;
  /** Weight of each word (unigram). @default 1 */
  unigramWeight?: number;
  /** Weight of each pair of adjacent words (bigram), which captures word order. @default 0.5 */
  bigramWeight?: number;
  /**
   * Factor in 0..1 applied to English function words ("the", "of", "was") and their n-grams, so
   * they still count but don't make every sentence look alike. @default 0.25
   */
  stopWordWeight?: number;
  /** Count words by their English Porter2 stem ("painted", "painting" -> "paint"). @default true */
  stem?: boolean;
}

export type ResolvedHashingOptions = Required<HashingEncoderOptions>;

const DEFAULTS: ResolvedHashingOptions = {
  dimensions: 384,
  charNgramMin: 3,
  charNgramMax: 5,
  charNgramWeight: 2,
  unigramWeight: 1,
  bigramWeight: 0.5,
  stopWordWeight: 0.25,
  stem: true,
};

const MAX_NGRAM = 10;
const MAX_WEIGHT = 1000;

const invalid = (message: string, field?: string) => new NeuroMemError('INVALID_INPUT', message, { module: 'embeddings', details: field === undefined ? {} : { field } });

/** Fills in defaults and rejects anything that would give meaningless or zero vectors. */
export function resolveHashingOptions(options: unknown = {}): ResolvedHashingOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalid(`options must be an object like { dimensions: 384 }, got ${options === null ? 'null' : typeof options}.`);
  }
  const given = options as Record<string, unknown>;
  // A typo such as `dimension: 256` would otherwise silently give 384-dimensional vectors.
  const unknown = Object.keys(given).filter((key) => !Object.hasOwn(DEFAULTS, key));
  if (unknown.length > 0) {
    throw invalid(`unknown option ${unknown.map((key) => JSON.stringify(key)).join(', ')}; known options are ${Object.keys(DEFAULTS).join(', ')}.`, unknown[0]);
  }
  const pick = <K extends keyof ResolvedHashingOptions>(key: K): unknown => given[key] ?? DEFAULTS[key];

  const integer = (key: keyof ResolvedHashingOptions, min: number, max: number): number => {
    const value = pick(key);
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw invalid(`${key} must be an integer between ${min} and ${max}, got ${String(value)}.`, key);
    }
    return value;
  };
  const weight = (key: keyof ResolvedHashingOptions, max: number): number => {
    const value = pick(key);
    if (typeof value !== 'number' || !(value >= 0 && value <= max)) {
      throw invalid(`${key} must be a number between 0 and ${max}, got ${String(value)}.`, key);
    }
    return value;
  };

  const flag = (key: keyof ResolvedHashingOptions): boolean => {
    const value = pick(key);
    if (typeof value !== 'boolean') throw invalid(`${key} must be true or false, got ${String(value)}.`, key);
    return value;
  };

  const dimensions = integer('dimensions', 8, 65536);
  const charNgramMin = integer('charNgramMin', 1, MAX_NGRAM);
  const charNgramMax = integer('charNgramMax', 1, MAX_NGRAM);
  if (charNgramMax < charNgramMin) {
    throw invalid(`charNgramMax (${charNgramMax}) must be at least charNgramMin (${charNgramMin}).`, 'charNgramMax');
  }
  const resolved: ResolvedHashingOptions = {
    dimensions,
    charNgramMin,
    charNgramMax,
    charNgramWeight: weight('charNgramWeight', MAX_WEIGHT),
    unigramWeight: weight('unigramWeight', MAX_WEIGHT),
    bigramWeight: weight('bigramWeight', MAX_WEIGHT),
    stopWordWeight: weight('stopWordWeight', 1),
    stem: flag('stem'),
  };
  if (resolved.unigramWeight === 0 && resolved.bigramWeight === 0 && resolved.charNgramWeight === 0) {
    throw invalid('unigramWeight, bigramWeight and charNgramWeight are all 0, so no feature would count; set at least one above 0.');
  }
  return resolved;
}

/**
 * Names the algorithm version and every option that changes vectors, so caches and index files
 * built with other settings are never mixed up. Bump `v1` whenever the vectors of existing
 * settings change (tokenizer, hash, stop-word list).
 */
export function hashingEncoderId(o: ResolvedHashingOptions): string {
  return `hashing-v2:d${o.dimensions}:c${o.charNgramMin}-${o.charNgramMax}x${o.charNgramWeight}:u${o.unigramWeight}:b${o.bigramWeight}:s${o.stopWordWeight}:st${o.stem ? 1 : 0}`;
}

import { createLruCache, NeuroMemError, type TextEncoder, type TokenEncoding } from '@neuromem/core';
import { MAX_CACHED_WORD, WORD } from './extract-features';
import { fmix32, hashSeed, hashString } from './hash';
import { GLOVE_LEXICON_PATH, loadSemanticLexicon, type SemanticLexicon } from './semantic-lexicon';
import { GLOVE_SEMANTIC_MODEL_PATH, loadSemanticModel, type SemanticModel } from './semantic-model';
import { createSemanticModelLayers } from './semantic-model-layers';
import type { LinearWeights } from './apply-linear';
import { createLinearKernel } from './linear-kernel';
import { createSifWeighting, semanticWords, type SifWeightingOptions } from './semantic-words';
import { isTokenWord } from './token-words';
import { validateTexts } from './validate-texts';

export interface SemanticEncoderOptions extends SifWeightingOptions {
  /** Word vectors; default the shipped lexicon (`loadSemanticLexicon()`: GloVe paired with the teacher's view of each word). */
  lexicon?: SemanticLexicon;
  /**
   * Learned pooling and MLP; default the model trained by `tools/train/semantic-encoder` and
   * shipped beside the lexicon. `null`: plain SIF (the unsupervised baseline).
   */
  model?: SemanticModel | null;
  /** Remove the lexicon's common component(s) (Arora et al. 2017). Default true. */
  removeCommonComponent?: boolean;
}

export type SemanticEncoder = TextEncoder & {
  readonly lexicon: SemanticLexicon;
  /** A word's prior weight (SIF). */
  weightOf(word: string): number;
};

const FALLBACK = hashSeed(12);
/** Attention scores are clipped: a word's weight never overflows whatever the model says. */
const MAX_SCORE = 30;
/** Words whose vector and score an encoder keeps at hand (see `partsOf`). */
const WORD_CACHE_SIZE = 4096;
/** A word as a text's pooling sees it: its row in the arena (or -1 and its own vector), and its score. */
interface WordParts {
  slot: number;
  score: number;
  row?: Float64Array;
}
const NO_WORD: WordParts = { slot: -1, score: 0 };

/**
 * Sentence vectors from word vectors, fully offline. For the words of a text, e_i its lexicon
 * vector (a subword guess for unknown words) and s_i its SIF prior weight:
 *   a_i = softmax_i(log s_i + u · e_i)      learned attention (u = 0 without a model: plain SIF)
 *   p   = Σ a_i e_i, minus the common component every sentence shares
 *   h   = p + W2 tanh(W1 p + b1) + b2       learned residual MLP (absent without a model)
 * and the vector is h / |h|. The model is trained contrastively by tools/train/semantic-encoder.
 */
export function createSemanticEncoder(options: SemanticEncoderOptions = {}): SemanticEncoder {
  const lexicon = options.lexicon ?? loadSemanticLexicon();
  const weighting = createSifWeighting(lexicon, options);
  const model = options.model === undefined ? loadSemanticModel() : options.model;
  const { dimensions } = lexicon;
  if (model && (model.dimensions !== dimensions || model.lexicon !== lexicon.id || model.weighting !== weighting.id)) {
    throw new NeuroMemError(
      'DIMENSION_MISMATCH',
      `semantic model ${model.id} was trained on lexicon ${model.lexicon} with weighting ${model.weighting}, not ${lexicon.id} with ${weighting.id}; retrain it for this lexicon.`,
      { module: 'embeddings', details: { field: 'model' } },
    );
  }
  const components = (options.removeCommonComponent ?? true) ? lexicon.header.commonComponents.map((c) => Float64Array.from(c)) : [];
  const id = model ? `semantic-v1:${lexicon.id}:${weighting.id}:pc${components.length}:m${model.id}` : `sif-v1:${lexicon.id}:${weighting.id}:pc${components.length}`;

  const pooled = new Float64Array(dimensions);
  const layers = model ? createSemanticModelLayers(model) : undefined;
  /** A word's vector (in f64 here, as the lexicon gives it) and its attention score, clipped. */
  const measure = (word: string): { row: Float64Array; score: number } => {
    const row = new Float64Array(dimensions);
    lexicon.addWord(word, 1, row);
    let score = Math.log(weighting.weightOf(word));
    if (model) for (let d = 0; d < dimensions; d++) score += model.attention[d]! * row[d]!;
    return { row, score: Math.min(MAX_SCORE, score) };
  };
  /**
   * Each word's vector and attention score, made once per word while it stays in use: looking a
   * word up in the lexicon, its frequency weight and its attention dot product were most of what an
   * encoding cost besides the model's layers. The vectors are rows of `arena`, in the linear
   * kernel's memory, so pooling a text is one sparse product; a word that leaves the cache gives its
   * row back. A word too long to cache keeps its vector with it (`slot` -1).
   */
  const arena: LinearWeights = { matrix: new Float32Array(WORD_CACHE_SIZE * dimensions), bias: undefined, inputs: WORD_CACHE_SIZE, outputs: dimensions };
  const pool = createLinearKernel([arena]);
  const freeRows = Array.from({ length: WORD_CACHE_SIZE }, (_, i) => WORD_CACHE_SIZE - 1 - i);
  // One row short of the arena: a new word takes a free row before it joins (and evicts another).
  const wordParts = createLruCache<string, WordParts>({ maxCost: WORD_CACHE_SIZE - 1, onEvict: (_word, parts) => freeRows.push(parts.slot) });
  const partsOf = (word: string): WordParts => {
    let parts = wordParts.get(word);
    if (parts === undefined) {
      const { row, score } = measure(word);
      if (word.length > MAX_CACHED_WORD) return { slot: -1, score, row };
      const slot = freeRows.pop()!;
      pool.rowOf(arena, slot).set(row);
      parts = { slot, score };
      wordParts.set(word, parts);
    }
    return parts;
  };

  // Per-text scratch, grown to the longest text seen: an encoding allocates only its result.
  const parts: WordParts[] = [];
  let weights = new Float64Array(64);
  let slots = new Int32Array(64);
  let shares = new Float64Array(64);
  /** pooled = Σ_i softmax_i(score) · e_i over the text's words (see the factory's comment). */
  const poolWords = (words: readonly string[]): void => {
    const n = words.length;
    if (n > weights.length) [weights, slots, shares] = [new Float64Array(n), new Int32Array(n), new Float64Array(n)];
    // A text of more words than half the cache could evict its own first words: measured afresh.
    const fresh = n > WORD_CACHE_SIZE / 2;
    parts.length = n;
    let top = -Infinity;
    for (let i = 0; i < n; i++) {
      const word = fresh ? { slot: -1, ...measure(words[i]!) } : partsOf(words[i]!);
      parts[i] = word;
      if (word.score > top) top = word.score;
    }
    let total = 0;
    for (let i = 0; i < n; i++) total += weights[i] = Math.exp(parts[i]!.score - top);
    let cached = 0;
    for (let i = 0; i < n; i++) {
      if (parts[i]!.slot < 0) continue;
      slots[cached] = parts[i]!.slot;
      shares[cached++] = weights[i]! / total;
    }
    const sums = pool.applyRows(arena, slots, shares, cached);
    for (let d = 0; d < dimensions; d++) pooled[d] = sums[d]!;
    for (let i = 0; i < n; i++) {
      const { row, slot } = parts[i]!;
      if (slot >= 0 || row === undefined) continue;
      const share = weights[i]! / total;
      for (let d = 0; d < dimensions; d++) pooled[d] = pooled[d]! + share * row[d]!;
    }
    parts.fill(NO_WORD); // the words' cache entries stay collectable once evicted
  };

  const encodeOne = (text: string): Float32Array => {
    poolWords(semanticWords(text));
    for (const component of components) {
      let dot = 0;
      for (let d = 0; d < dimensions; d++) dot += pooled[d]! * component[d]!;
      for (let d = 0; d < dimensions; d++) pooled[d] = pooled[d]! - dot * component[d]!;
    }
    return unitOrFallback(layers ? layers(pooled) : pooled, text);
  };

  /** No words, or words that cancel out: a fixed pseudo-random direction per text, never NaN. */
  const unitOrFallback = (vector: Float64Array, text: string): Float32Array => {
    let norm = 0;
    for (let d = 0; d < dimensions; d++) norm += vector[d]! ** 2;
    const out = new Float32Array(dimensions);
    if (norm > 1e-12 && Number.isFinite(norm)) {
      const scale = 1 / Math.sqrt(norm);
      for (let d = 0; d < dimensions; d++) out[d] = vector[d]! * scale;
      return out;
    }
    let h = hashString(FALLBACK, text);
    for (let d = 0; d < dimensions; d++) out[d] = ((h = fmix32(h + d)) / 0xffffffff) * 2 - 1;
    const length = Math.hypot(...out);
    return out.map((x) => x / length);
  };

  // A word's token vector is its own (context-free): looked up once per distinct word.
  // Null: a function word, which gets no token (see `isTokenWord`).
  const tokenWords = createLruCache<string, Float32Array | null>({ maxCost: 20_000 });

  return {
    specVersion: 'neuromem.text-encoder/v1',
    id,
    dimensions,
    deterministic: true,
    contextFreeTokens: true,
    wordTokens: true,
    lexicon,
    weightOf: weighting.weightOf,
    async encode(texts) {
      return validateTexts(texts).map(encodeOne);
    },
    async encodeTokens(texts) {
      return validateTexts(texts).map((text): TokenEncoding => {
        const encoding: TokenEncoding = { vectors: [], spans: [] };
        for (const match of text.matchAll(WORD)) {
          let vector = tokenWords.get(match[0]); // keyed as written: folding costs more than the lookup
          if (vector === undefined) {
            const word = match[0].normalize('NFKC').toLowerCase();
            if (isTokenWord(word)) {
              const sum = new Float64Array(dimensions);
              lexicon.addWord(word, 1, sum);
              vector = unitOrFallback(sum, word);
            } else vector = null;
            if (match[0].length <= MAX_CACHED_WORD) tokenWords.set(match[0], vector);
          }
          if (vector === null) continue;
          encoding.vectors.push(vector.slice()); // a copy: callers own the vectors they get
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

/**
 * The default encoder of earlier releases: the GloVe lexicon alone and the model trained on it. A
 * memory records its embedder's id, so one written with this encoder opens with it again.
 */
export function createPreviousSemanticEncoder(): SemanticEncoder {
  return createSemanticEncoder({ lexicon: loadSemanticLexicon(GLOVE_LEXICON_PATH), model: loadSemanticModel(GLOVE_SEMANTIC_MODEL_PATH) });
}

/** Plain SIF sentence vectors (Arora, Liang & Ma, 2017): the unsupervised baseline, no trained model. */
export function createSifEncoder(options: Omit<SemanticEncoderOptions, 'model'> = {}): SemanticEncoder {
  return createSemanticEncoder({ ...options, model: null });
}

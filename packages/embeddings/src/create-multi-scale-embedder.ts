import { createLruCache, NeuroMemError, normalizeInPlace, validateText, type Embedder, type ScaleEmbedding, type SessionState, type TextEncoder } from '@neuromem/core';
import { copyIntoOneBuffer } from './copy-into-one-buffer';
import { createRandomProjectionHeads } from './create-random-projection-heads';
import type { ScaleHeads } from './scale-heads';
import { WORD } from './extract-features';
import { validateTexts } from './validate-texts';
import { validateTurns } from './validate-turns';
import { withEmbeddingCache } from './with-embedding-cache';

export interface MultiScaleEmbedderOptions {
  /** The base encoder; its vectors are cached by text. */
  encoder: TextEncoder;
  /** Trained heads (`createLinearScaleHeads`); default: seeded random orthonormal heads of `dims`. */
  heads?: ScaleHeads;
  /** Output sizes for the default heads. @default { token: 256, turn: 512, session: 1024 } */
  dims?: { token?: number; turn?: number; session?: number };
  /** Most token vectors kept per turn (the first ones); 0 turns the token scale off. @default 64 */
  maxTokensPerTurn?: number;
  /** Encoder vectors cached by text. @default 20000 */
  cacheSize?: number;
  /**
   * How much the preceding turns add to a turn's vector (0: the turn alone). Context helps a part
   * that matches words (a reply names what the question asked about); it blurs a part that matches
   * meaning, whose turn vector should say what that turn says. @default 0.5
   */
  contextWeight?: number;
}

/** Projected token vectors kept per embedder (about 1 KB each at 256 dimensions). */
const TOKEN_CACHE_ENTRIES = 10_000;

/** How much the preceding turns add to a turn's vector by default, and how many of them (halving per step back). */
const CONTEXT_WEIGHT = 0.5;
const CONTEXT_TURNS = 3;

/**
 * A session's running state: the last turns' encoder vectors (the next turn's context) and the
 * salience-weighted sum behind the session vector, kept as Σ exp(logit − max) · vector with its
 * max so that it never overflows. Fixed size, whatever the session's length.
 */
interface MultiScaleState extends SessionState {
  readonly recent: readonly Float32Array[];
  readonly weightedSum: Float64Array;
  readonly maxLogit: number;
}

/**
 * One session in, vectors at three scales out, consistent with each other:
 * - turn: the turn's encoder vector plus a decaying mix of the up-to-3 turns before it
 *   (information flows down from the session), through the turn head;
 * - session: the turns' encoder vectors weighted by a learned salience (softmax of the heads'
 *   salience logits; information flows up), through the session head;
 * - token: each word's vector through the token head, for MaxSim re-ranking.
 *
 * Incremental: a turn's context is only what came before it, so adding a turn never changes the
 * stored vectors of earlier turns. `continueSession` keeps a fixed-size state per session (the last
 * turns' vectors and a running weighted sum), so a batch costs its own turns only; `embedSession`
 * takes every turn so far (earlier ones from the cache) and re-aggregates the session vector.
 */
export function createMultiScaleEmbedder(options: MultiScaleEmbedderOptions): Embedder {
  const encoder = withEmbeddingCache(options.encoder, { maxEntries: options.cacheSize ?? 20_000 });
  const heads =
    options.heads ??
    createRandomProjectionHeads({ inputDimensions: encoder.dimensions, dims: { token: options.dims?.token ?? 256, turn: options.dims?.turn ?? 512, session: options.dims?.session ?? 1024 } });
  if (heads.inputDimensions !== encoder.dimensions) {
    throw new NeuroMemError(
      'DIMENSION_MISMATCH',
      `the heads take ${heads.inputDimensions}-dimensional vectors but encoder ${encoder.id} makes ${encoder.dimensions}; use heads trained for this encoder.`,
      {
        module: 'embeddings',
        details: { expected: heads.inputDimensions, actual: encoder.dimensions },
      },
    );
  }
  const maxTokens = options.encoder.encodeTokens ? (options.maxTokensPerTurn ?? 64) : 0;
  const contextWeight = options.contextWeight ?? CONTEXT_WEIGHT;
  if (!(Number.isFinite(contextWeight) && contextWeight >= 0)) {
    throw new NeuroMemError('INVALID_INPUT', `contextWeight must be a finite number >= 0, got ${String(contextWeight)}.`, { module: 'embeddings', details: { field: 'contextWeight' } });
  }
  const id = `multi-scale-v1:${encoder.id}:${heads.id}:ctx${contextWeight}x${CONTEXT_TURNS}:tok${maxTokens}`;
  const context = new Float32Array(encoder.dimensions);

  // Projected token vectors by token text, for encoders whose token vectors ignore context: a word
  // seen before costs a lookup instead of a projection (the largest share of embedding a turn).
  // Null marks a word the encoder gives no token (one without features).
  const tokenCache = options.encoder.contextFreeTokens ? createLruCache<string, Float32Array | null>({ maxCost: TOKEN_CACHE_ENTRIES }) : undefined;
  // When the encoder's tokens are the text's `WORD` matches (both shipped encoders say so), a text
  // whose every word is cached is answered from the cache alone, without encoding anything. Should
  // a text show otherwise, this is turned off for good.
  let wordsAreTokens = tokenCache !== undefined && options.encoder.wordTokens === true;

  /** The cached token vectors of a text (copies), or undefined when a word is unknown or the text has none. */
  function fromCache(text: string): Float32Array[] | undefined {
    const vectors: Float32Array[] = [];
    for (const [word] of text.matchAll(WORD)) {
      if (vectors.length === maxTokens) break;
      const vector = tokenCache!.get(word);
      if (vector === undefined) return undefined;
      if (vector !== null) vectors.push(vector);
    }
    // Copies: callers own the vectors they get, and the cache keeps its own.
    return vectors.length === 0 ? undefined : copyIntoOneBuffer(vectors);
  }

  /** After encoding a text: its words the encoder made no token of are remembered as such. */
  function learnSkipped(text: string, spans: ReadonlyArray<readonly [number, number]>): void {
    const words = [...text.matchAll(WORD)];
    const wordEnd = new Map(words.map((match) => [match.index!, match.index! + match[0].length]));
    const isWord = ([start, end]: readonly [number, number]) => wordEnd.get(start) === end;
    // No token is a word: the encoder's stand-in for a text without usable words; nothing to learn.
    if (!spans.some(isWord)) return;
    if (!spans.every(isWord)) {
      wordsAreTokens = false;
      return;
    }
    const tokenStarts = new Set(spans.map(([start]) => start));
    for (const match of words) if (!tokenStarts.has(match.index!) && tokenCache!.get(match[0]) === undefined) tokenCache!.set(match[0], null);
  }

  /** Token vectors unless the caller said it will not keep them (`tokens: false`, and `embedTokens` can give them later). */
  const tokensUnless = async (wanted: boolean | undefined, texts: readonly string[]): Promise<Float32Array[][] | undefined> =>
    maxTokens === 0 || (wanted === false && tokenCache) ? undefined : tokensOf(texts);

  async function tokensOf(texts: readonly string[]): Promise<Float32Array[][]> {
    if (maxTokens === 0) return texts.map(() => []);
    const out: Float32Array[][] = new Array(texts.length);
    const slow: number[] = [];
    texts.forEach((text, t) => {
      const cached = wordsAreTokens ? fromCache(text) : undefined;
      if (cached) out[t] = cached;
      else slow.push(t);
    });
    if (slow.length === 0) return out;
    const slowTexts = slow.map((t) => texts[t]!);
    const encodings = await encoder.encodeTokens!(slowTexts);
    // Token texts are cache keys only: without a cache they are never cut out.
    const keys = tokenCache ? encodings.map((encoding, i) => encoding.spans.slice(0, maxTokens).map(([start, end]) => slowTexts[i]!.slice(start, end))) : [];
    const perText = encodings.map((encoding) => encoding.vectors.slice(0, maxTokens));
    const missing: Array<[text: number, token: number]> = [];
    const slowOut: Float32Array[][] = perText.map((vectors, i) =>
      vectors.map((_, k) => {
        const cached = tokenCache?.get(keys[i]![k]!);
        if (!cached) missing.push([i, k]);
        return cached as Float32Array;
      }),
    );
    const projected = await heads.project(
      'token',
      missing.map(([i, k]) => perText[i]![k]!),
    );
    missing.forEach(([i, k], n) => {
      slowOut[i]![k] = projected[n]!;
      // Its own copy: a projection may view a batch's buffer, which the cache would then keep alive.
      tokenCache?.set(keys[i]![k]!, projected[n]!.slice());
    });
    if (wordsAreTokens) encodings.forEach((encoding, i) => learnSkipped(slowTexts[i]!, encoding.spans));
    // Copies, a text's in one buffer: what the cache holds stays its own.
    slow.forEach((t, i) => (out[t] = copyIntoOneBuffer(slowOut[i]!)));
    return out;
  }

  return {
    specVersion: 'neuromem.embedder/v1',
    id,
    scales: { ...(maxTokens > 0 ? { token: heads.dims.token } : {}), turn: heads.dims.turn, session: heads.dims.session },

    async embedSession(turns, sessionOptions = {}) {
      const from = validateTurns(turns, sessionOptions.from);
      const own = await encoder.encode(turns);
      const contextual = own.slice(from).map((_vector, offset) => withContext(own, from + offset, context, contextWeight));
      const [turnVectors, tokenVectors, logits] = await Promise.all([heads.project('turn', contextual), tokensUnless(sessionOptions.tokens, turns.slice(from)), heads.salience(own)]);
      const [session] = await heads.project('session', [weightedMean(own, softmax(logits))]);
      return {
        turns: turnVectors.map((vector, i) => ({ vectors: { turn: vector }, ...(tokenVectors ? { tokens: tokenVectors[i]! } : {}) })),
        session: session!,
      };
    },

    async continueSession(turns, state, continueOptions = {}) {
      validateTurns(turns, 0);
      const previous = state === undefined ? undefined : checkState(state, id, encoder.dimensions);
      const recent = previous?.recent ?? [];
      const own = await encoder.encode(turns);
      // The new turns' context reaches back into the state's recent turns, as embedSession's would.
      const window = [...recent, ...own];
      const contextual = own.map((_, i) => withContext(window, recent.length + i, context, contextWeight));
      const [turnVectors, tokenVectors, logits] = await Promise.all([heads.project('turn', contextual), tokensUnless(continueOptions.tokens, turns), heads.salience(own)]);
      const maxLogit = Math.max(previous?.maxLogit ?? -Infinity, ...logits);
      const weightedSum = new Float64Array(encoder.dimensions);
      if (previous) {
        const rescale = Math.exp(previous.maxLogit - maxLogit);
        for (let j = 0; j < weightedSum.length; j++) weightedSum[j] = previous.weightedSum[j]! * rescale;
      }
      own.forEach((vector, i) => {
        const weight = Math.exp(logits[i]! - maxLogit);
        for (let j = 0; j < weightedSum.length; j++) weightedSum[j] = weightedSum[j]! + weight * vector[j]!;
      });
      // The state keeps the weighted sum either way: a later call projects it when asked.
      const [session] = continueOptions.session === false ? [] : await heads.project('session', [normalizeInPlace(Float32Array.from(weightedSum))]);
      const next: MultiScaleState = { embedderId: id, turns: (previous?.turns ?? 0) + turns.length, recent: window.slice(-CONTEXT_TURNS), weightedSum, maxLogit };
      return {
        turns: turnVectors.map((vector, i) => ({ vectors: { turn: vector }, ...(tokenVectors ? { tokens: tokenVectors[i]! } : {}) })),
        ...(session ? { session } : {}),
        state: next,
      };
    },

    ...(tokenCache ? { embedTokens: async (texts: readonly string[]) => tokensOf(validateTexts(texts)) } : {}),

    async embedQuery(query): Promise<ScaleEmbedding> {
      const text = validateText(query, { module: 'embeddings', field: 'query' });
      const [vector] = await (encoder.encodeQuery ?? encoder.encode).call(encoder, [text]);
      const [[turn], [session], [tokens]] = await Promise.all([heads.project('turn', [vector!]), heads.project('session', [vector!]), tokensOf([text])]);
      return { vectors: { turn: turn!, session: session! }, ...(maxTokens > 0 ? { tokens: tokens! } : {}) };
    },
  };
}

/**
 * normalize(own + contextWeight · normalize(Σ_d 0.5^(d-1) · previous_d)) over the up-to-3 turns before `i`.
 * `context` is scratch of the vectors' length, overwritten.
 */
function withContext(own: readonly Float32Array[], i: number, context: Float32Array, contextWeight: number): Float32Array {
  const mixed = own[i]!.slice();
  if (i === 0 || contextWeight === 0) return mixed;
  const n = mixed.length;
  context.fill(0);
  for (let d = 1; d <= CONTEXT_TURNS && i - d >= 0; d++) {
    const previous = own[i - d]!;
    const weight = 0.5 ** (d - 1);
    for (let j = 0; j < n; j++) context[j] = context[j]! + weight * previous[j]!;
  }
  normalizeInPlace(context);
  for (let j = 0; j < n; j++) mixed[j] = mixed[j]! + contextWeight * context[j]!;
  return normalizeInPlace(mixed);
}

/** The state back from the caller, checked: it must be this embedder's and whole. */
function checkState(state: SessionState, id: string, dimensions: number): MultiScaleState {
  const candidate = state as Partial<MultiScaleState>;
  const whole =
    typeof state === 'object' &&
    state !== null &&
    candidate.embedderId === id &&
    Number.isInteger(candidate.turns) &&
    candidate.turns! > 0 &&
    Array.isArray(candidate.recent) &&
    candidate.recent.every((v) => v instanceof Float32Array && v.length === dimensions) &&
    candidate.weightedSum instanceof Float64Array &&
    candidate.weightedSum.length === dimensions &&
    Number.isFinite(candidate.maxLogit);
  if (!whole) {
    throw new NeuroMemError('INVALID_INPUT', `state is not a session state of embedder ${id}; pass the state its last continueSession returned, or none for a new session.`, {
      module: 'embeddings',
      details: { field: 'state' },
    });
  }
  return candidate as MultiScaleState;
}

function softmax(logits: readonly number[]): number[] {
  const max = Math.max(...logits);
  const exps = logits.map((logit) => Math.exp(logit - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

function weightedMean(vectors: readonly Float32Array[], weights: readonly number[]): Float32Array {
  const out = new Float32Array(vectors[0]!.length);
  vectors.forEach((vector, i) => {
    for (let j = 0; j < out.length; j++) out[j] = (out[j] as number) + weights[i]! * (vector[j] as number);
  });
  return normalizeInPlace(out);
}

import type { Scale } from './memory';

/** Token-level output: one vector per token and where the token sits in the input text. */
export interface TokenEncoding {
  /** Unit vectors of the encoder's `dimensions`, one per token. */
  vectors: Float32Array[];
  /** Character range `[start, end)` of each token in the input text. */
  spans: Array<readonly [number, number]>;
}

/** Turns texts into fixed-size vectors. Hashing, transformers.js, ONNX and HTTP encoders implement it. */
export interface TextEncoder {
  readonly specVersion: 'neuromem.text-encoder/v1';
  /** Stable identity of the model and its settings; cache keys and index files are tied to it. */
  readonly id: string;
  readonly dimensions: number;
  /** True when the same text always gives the same vector (lets callers cache). */
  readonly deterministic: boolean;
  /** Longest input, in characters, encoded in one pass; callers chunk longer texts. Unlimited when absent. */
  readonly maxInputChars?: number;
  /**
   * One unit-length vector per text, in order. Rejects empty or whitespace-only text with
   * `INVALID_INPUT`; never returns NaN.
   */
  encode(texts: readonly string[]): Promise<Float32Array[]>;
  /**
   * Vectors for search queries when the encoder is asymmetric (instruction prefixes, IDF weighting
   * of query terms). Defaults to `encode` when absent.
   */
  encodeQuery?(texts: readonly string[]): Promise<Float32Array[]>;
  /** Per-token vectors with character spans (late chunking, MaxSim). Optional capability. */
  encodeTokens?(texts: readonly string[]): Promise<TokenEncoding[]>;
  /**
   * True when a token's vector depends on the token's own text only, never on its neighbours (word
   * vectors, hashed features; not a transformer's hidden states): callers may cache them by token.
   */
  readonly contextFreeTokens?: boolean;
  /**
   * With `contextFreeTokens`: true when the tokens are the text's words, as NeuroMem's embeddings
   * split them (runs of letters and digits with their marks, or one pictograph), less words the
   * encoder makes no token of. Callers may then answer a text from cached words without encoding it.
   */
  readonly wordTokens?: boolean;
}

/** Vectors of one turn (or one query) at every scale an embedder produces. */
export interface ScaleEmbedding {
  /** One vector per single-vector scale (e.g. `turn`), each of that scale's dimensions. */
  vectors: Partial<Record<Scale, Float32Array>>;
  /** Token vectors (the `token` scale) for late-interaction re-ranking; not ANN-indexed. */
  tokens?: Float32Array[];
}

export interface SessionEmbedding {
  /** Embeddings of `turns[from..]`, in order. */
  turns: ScaleEmbedding[];
  /** The whole session's vector at the `session` scale, when the embedder produces one. */
  session?: Float32Array;
}

/**
 * What an embedder remembers of a session between `continueSession` calls: enough to embed the next
 * turns without reading the earlier ones again. Opaque to callers beyond these fields; an embedder
 * rejects a state that another embedder made.
 */
export interface SessionState {
  /** The `id` of the embedder that made it. */
  readonly embedderId: string;
  /** Turns the session held when it was made. */
  readonly turns: number;
}

export interface SessionContinuation extends SessionEmbedding {
  /** The session's state after these turns: pass it to the next `continueSession` of the session. */
  state: SessionState;
}

/**
 * Produces vectors at one or more scales. A session (a document: ordered turns) is the unit, so a
 * turn's vectors can carry its session's context and the session vector can aggregate its turns.
 */
export interface Embedder {
  readonly specVersion: 'neuromem.embedder/v1';
  readonly id: string;
  /** Dimensions per produced scale; `token` is the size of each token vector. */
  readonly scales: Readonly<Partial<Record<Scale, number>>>;
  /**
   * Embeds `turns[from..]` of a session given all its turns so far (earlier turns give context and
   * are not returned), plus the session vector over all of them. `from` defaults to 0.
   */
  embedSession(turns: readonly string[], options?: EmbedSessionOptions): Promise<SessionEmbedding>;
  /**
   * `embedSession` one batch at a time: embeds `turns`, which follow the turns that left `state`
   * (none for a new session), and returns the same vectors `embedSession` would for the whole
   * session so far, in time that does not grow with the session. Optional capability: callers fall
   * back to `embedSession` with every earlier turn.
   */
  continueSession?(turns: readonly string[], state?: SessionState, options?: Pick<EmbedSessionOptions, 'tokens' | 'session'>): Promise<SessionContinuation>;
  /** Vectors for a search query, at the same scales. */
  embedQuery(query: string): Promise<ScaleEmbedding>;
  /**
   * The token vectors of each text on its own, exactly as a turn's `tokens`. Only embedders whose
   * token vectors ignore context offer it; then nothing needs to store them: retrieval computes the
   * few it re-ranks with. Optional capability.
   */
  embedTokens?(texts: readonly string[]): Promise<Float32Array[][]>;
  /**
   * For an embedder made of named parts (e.g. lexical and semantic), where each part sits in the
   * vectors: `[start, end)` per scale. Lets retrieval weigh each part's similarity on its own.
   */
  readonly parts?: readonly EmbedderPart[];
}

export interface EmbedSessionOptions {
  /** The first turn to return (earlier ones give context only). Default 0. */
  from?: number;
  /**
   * False: the caller will not keep the turns' token vectors (it can have them from `embedTokens`),
   * so the embedder may leave them out. Default true.
   */
  tokens?: boolean;
  /**
   * False: the caller will not keep the session vector (a later call of the same session gives the
   * one it keeps), so `continueSession` may leave it out — the session head is the largest product
   * of a one-turn add. Default true.
   */
  session?: boolean;
}

/** One named part of an embedder's vectors (see `Embedder.parts`). */
export interface EmbedderPart {
  readonly name: string;
  /** The part's share of the whole vector's cosine. */
  readonly weight: number;
  readonly ranges: Readonly<Partial<Record<Scale, readonly [start: number, end: number]>>>;
}

/**
 * The factors retrieval scores every candidate on. Each is a number the ranker weighs; most are in
 * 0..1. The order is the model's column order, so only append.
 */
export const FEATURES = [
  /** Cosine of the query and the memory at the turn scale. */
  'turnSimilarity',
  /** Cosine of the query and the memory's whole session (sessions first: the right conversation). */
  'sessionSimilarity',
  /** Late interaction: mean over query tokens of their best match among the memory's tokens (short list only). */
  'tokenMaxSim',
  /** BM25 of the memory's words, divided by the best BM25 of this query (0 when no word matches). */
  'lexical',
  /** 1 / (1 + rank) in the lexical list: rank fusion without the BM25 scale. */
  'lexicalRank',
  /** The best turn similarity of the turns just before and after (an answer often sits next to its question). */
  'neighborSimilarity',
  /** The best lexical score of the turns just before and after. */
  'neighborLexical',
  /** Personalized PageRank from the best first hits along entity, causal and next edges, divided by the maximum. */
  'graph',
  /** Share of the query's entities (names, dates, numbers) the memory mentions. */
  'entityOverlap',
  /** The query names the memory's speaker. */
  'speakerNamed',
  /** The query names another speaker of this memory's owner, and not this memory's. */
  'otherSpeakerNamed',
  /** How well the memory's time (or a time it mentions) falls in the windows the query names; 0 without windows. */
  'temporalFit',
  /** The query asks for a time and the memory names one ("yesterday", "in May"). */
  'timeAnswer',
  /** Position in the candidates' time span at the end the query prefers ("first time", "recently"); 0.5 without preference. */
  'timeOrder',
  /** exp(-age / half-life), with a half-life per memory kind. */
  'recency',
  /** The memory's importance (0..1). */
  'importance',
  /** log(1 + accesses), divided by the largest among the candidates. */
  'access',
  /** log(1 + words) / log(1 + 100): longer turns carry more facts. */
  'length',
  /** Cosine of the query and the memory on the embedder's semantic part alone (meaning, not words); 0 without one. */
  'semanticSimilarity',
  /**
   * The memory's `turnSimilarity` when the memory is itself a question (it ends with "?"), else 0:
   * a question a user asked before and the memory kept answers nothing, however well its words
   * match the same question asked again.
   */
  'questionEcho',
  /** 1 / (1 + rank) among the candidates by `semanticSimilarity`: the place, not the scale, of meaning (0 without a semantic part). */
  'semanticRank',
  /** 1 / (1 + rank) among the candidates by `turnSimilarity`. */
  'turnRank',
  /**
   * Cosine of the query and the memory's meaning joined with a neighbour's (the turn just before or
   * after, at half weight; the better of the two): what the turn means in its context, beside
   * `semanticSimilarity`, what it says alone. A reply's "I loved it" is about what the turn before
   * named; a fact stated amid other topics should not be blurred by them.
   */
  'semanticContext',
  /**
   * Soft coverage of the query's words by the memory's, each query word by its best match among
   * them (the same word, or a near one in the semantic part's word space), weighted by how much the
   * word says (`createWordMatcher`); the same words only, alike, without a word space.
   */
  'wordMatch',
] as const;

export type Feature = (typeof FEATURES)[number];
export type FeatureVector = Record<Feature, number>;

/** Feature groups an ablation can switch off together. */
export const FEATURE_GROUPS = {
  time: ['temporalFit', 'timeAnswer', 'timeOrder', 'recency'],
  graph: ['graph', 'neighborSimilarity', 'neighborLexical', 'semanticContext', 'entityOverlap'],
  multiScale: ['sessionSimilarity', 'tokenMaxSim'],
  lexical: ['lexical', 'lexicalRank', 'neighborLexical'],
} as const satisfies Record<string, readonly Feature[]>;

const ZERO = Object.freeze(Object.fromEntries(FEATURES.map((name) => [name, 0])) as FeatureVector);
/** A vector of zeros (a spread of one fixed-shape object: hundreds are made per search). */
export const emptyFeatures = (): FeatureVector => ({ ...ZERO });

import {
  cosineSimilarity,
  DAY_MS,
  matchesFilter,
  supports,
  type Embedder,
  type LruCache,
  type MemoryFilter,
  type MemoryKind,
  type MemoryRecord,
  type MemoryStore,
  type Scale,
  type TextHit,
} from '@neuromem/core';
import { extractEntities } from './extract-entities';
import { namedSpeakers, speakersMeant, withoutNames } from './named-speakers';
import { FEATURES, emptyFeatures, type Feature, type FeatureVector } from './features';
import { spreadActivation } from './spread-activation';
import { turnsAround, versionsOf } from './neighbor-ids';
import { maxSim } from './max-sim';
import { partCosines } from './part-cosines';
import { OPEN_FROM, OPEN_TO, parseQueryTime, type QueryTime } from './query-time';
import { mentionsTime, orderFit, temporalFit } from './temporal-fit';
import { createWordMatcher, type WordSpace } from './word-match';
import { firstCandidates, type SetAside } from './first-candidates';

/**
 * How wide each source casts its net. Every candidate costs reads (its record, vector, entities and
 * the turns around it), so the pool is as small as recall allows: with 40 vector and 40 lexical hits
 * and one session, LoCoMo dev recall@10 is 0.808 against 0.809 with 50, 50 and two, and a search
 * at 50,000 memories takes ~14 % less CPU.
 */
export const POOL = {
  vector: 40,
  lexical: 40,
  /**
   * Sessions whose turns all become candidates ("sessions first, then turns inside them"). One: two
   * and three gave the same recall@10 on LoCoMo dev (0.809, 0.784 before the semantic encoder).
   */
  sessions: 1,
  /**
   * Rows read beyond `lexical` and `window` for memories set aside (a sleep's consolidated facts),
   * so that they do not take a turn's place: a fact quotes its versions, so it matches their words,
   * and it carries the current version's time.
   */
  factRoom: 10,
  /** Memories inside the windows the query names. */
  window: 50,
  /** Best first hits that seed graph activation and bring their neighbouring turns. */
  seeds: 10,
  /** Memories reached only through the graph that join the pool. */
  activated: 20,
  /**
   * Nodes personalized PageRank may gather around the seeds: 50 and 100 give the same LoCoMo dev
   * recall@10 (0.809 / 0.808), and each node gathered is a neighbourhood read.
   */
  activationNodes: 50,
  /** Power-iteration rounds: with restart 0.5 the walk has settled to 0.1% by then. */
  activationRounds: 10,
  /** Candidates re-ranked with token MaxSim: 6 or 10 give the same LoCoMo dev recall@10 (0.784); token vectors are the costly part. */
  shortList: 6,
} as const;

/** Word hits read for the event of "before/after <event>"; the earliest with at least half the best score is the event. */
const ANCHOR_HITS = 5;

export interface Candidate {
  record: MemoryRecord;
  features: FeatureVector;
  /** The memory's vector at the search scale, when it has one (to spot restatements). */
  vector?: Float32Array;
}

export interface CollectOptions {
  store: MemoryStore;
  embedder: Embedder;
  /** The ANN-indexed scale memories are searched at (usually `turn`). */
  scale: Scale;
  filter: MemoryFilter;
  referenceTime: number;
  halfLifeDays: Readonly<Record<MemoryKind, number>>;
  /** Features not computed (and left 0), with the candidate sources that feed only them. */
  skip?: ReadonlySet<Feature>;
  /**
   * Token vectors computed for earlier short lists, by text hash (for an embedder with
   * `embedTokens`, whose token vectors are not stored): a memory short-listed again costs a lookup.
   */
  tokenCache?: LruCache<string, Float32Array[]>;
  /** Memory ids that join the pool whatever the sources find (when the filter admits them). */
  include?: readonly string[];
  /**
   * Vectors of cold memories (kept without vectors: storage tiers) computed from their text for this
   * search, by text hash: a cold memory found by its words, session, time or links is then measured
   * like any other instead of scoring a similarity of 0.
   */
  coldCache?: LruCache<string, Float32Array>;
  /**
   * Measure every candidate's `wordMatch`, in this word space (the semantic part's lexicon), or with
   * `null` by the same words only. Absent: left 0 (a ranker that does not weigh it).
   */
  matchWords?: WordSpace | null;
  /** Memories that are never candidates, whatever finds them (see `RetrieverOptions.setAside`). */
  setAside?: SetAside;
}

/**
 * Gathers candidates from every source (turn vectors, BM25, the best sessions' turns, the named
 * time windows, graph activation and neighbouring turns) and measures every feature on each.
 * Ranking them is the ranker's job; this function only finds and describes.
 */
export async function collectCandidates(query: string, options: CollectOptions): Promise<{ candidates: Candidate[]; time: QueryTime; matched: string }> {
  const { store, embedder, scale, filter, referenceTime, setAside } = options;
  const skip = options.skip ?? new Set<Feature>();
  const uses = (feature: Feature) => !skip.has(feature);
  const time = parseQueryTime(query, referenceTime);
  // Time words ("last week") say when, not what: they are matched against time, not text.
  const searchText = time.text.trim().length > 0 ? time.text : query;

  let embedded = await embedder.embedQuery(searchText);
  let queryVector = embedded.vectors[scale]!;
  // A store without text or session search gives those features nothing; the other sources still run.
  const searchWords = async (text: string, k: number): Promise<TextHit[]> =>
    supports(store, 'textSearch') ? firstCandidates(await store.searchText({ text, k: k + (setAside ? POOL.factRoom : 0), filter }), k, (hit) => hit.record, setAside) : [];
  let [vectorHits, textHits, sessionHits] = await Promise.all([
    store.searchVectors({ scale, vector: queryVector, k: POOL.vector, filter }),
    uses('lexical') ? searchWords(searchText, POOL.lexical) : Promise.resolve([]),
    uses('sessionSimilarity') && embedded.vectors.session && store.vectorScales.session && supports(store, 'sessionSearch')
      ? store.searchSessions({ vector: embedded.vectors.session, k: 50, scope: filter.scope ?? {} })
      : Promise.resolve([]),
  ]);
  // A speaker the query names ("which shift is Carmen on?") is matched by the speaker features. Left
  // in the searched text, the name favours the few turns that say it (others talking about Carmen)
  // over Carmen's own, which never do: the words and vectors are searched again without it.
  const stripped = withoutNames(
    searchText,
    namedSpeakers(
      searchText,
      [...vectorHits, ...textHits].map((hit) => hit.record),
    ),
  );
  if (stripped !== searchText) {
    embedded = await embedder.embedQuery(stripped);
    queryVector = embedded.vectors[scale]!;
    [vectorHits, textHits] = await Promise.all([
      store.searchVectors({ scale, vector: queryVector, k: POOL.vector, filter }),
      uses('lexical') ? searchWords(stripped, POOL.lexical) : Promise.resolve([]),
    ]);
  }

  const pool = new Map<string, MemoryRecord>();
  const add = (record: MemoryRecord) => (pool.has(record.id) || setAside?.(record) ? undefined : pool.set(record.id, record));
  vectorHits.forEach((hit) => add(hit.record));
  textHits.forEach((hit) => add(hit.record));
  const included = (options.include ?? []).filter((id) => !pool.has(id));
  if (included.length > 0) (await store.getMany(included, filter.scope ? { scope: filter.scope } : undefined)).filter((record) => matchesFilter(record, filter)).forEach(add);

  const sessionSimilarity = new Map(sessionHits.map((hit) => [sessionKey(hit.scope), hit.similarity]));
  for (const session of sessionHits.slice(0, POOL.sessions)) {
    (await store.list({ ...filter, scope: session.scope })).forEach(add);
  }

  const windows = [...time.windows];
  if (time.relation && uses('temporalFit')) {
    // "after the trip to Paris": the anchor is an event, found by its words; its time bounds the window.
    // The event is when it was first told: "before the Honda" bounds the time before the Honda was
    // bought, not before its latest mention (a restatement scores as well as the news did).
    const hits = await searchWords(time.relation.anchor, ANCHOR_HITS);
    const anchor = hits.filter((hit) => hit.score >= (hits[0]?.score ?? 0) / 2).sort((a, b) => a.record.eventTime - b.record.eventTime)[0];
    if (anchor) {
      const at = anchor.record.eventTime;
      windows.push(time.relation.type === 'before' ? { from: OPEN_FROM, to: at, text: time.relation.anchor } : { from: at + 1, to: OPEN_TO, text: time.relation.anchor });
    }
  }
  const queryTime: QueryTime = { ...time, windows };
  if (uses('temporalFit')) {
    for (const window of windows) {
      const from = Math.max(window.from, filter.eventTime?.from ?? -Infinity);
      const to = Math.min(window.to, filter.eventTime?.to ?? Infinity);
      if (from < to)
        firstCandidates(
          await store.list({ ...filter, eventTime: { from, to }, order: 'eventTime-desc', limit: POOL.window + (setAside ? POOL.factRoom : 0) }),
          POOL.window,
          (record) => record,
          setAside,
        ).forEach(add);
    }
  }
  // Every later source starts from these hits: none means a scope with nothing to find (a new user).
  // Answered here, before the query's entities are read (a process's first read loads the tagger, ~0.3 s).
  if (pool.size === 0) return { candidates: [], time: queryTime, matched: stripped };

  // Seeds: reciprocal-rank fusion of the vector and lexical lists, independent of any fitted weight.
  const lexicalRank = new Map(textHits.map((hit, i) => [hit.record.id, i]));
  const vectorRank = new Map(vectorHits.map((hit, i) => [hit.record.id, i]));
  const fused = (id: string) => 1 / (10 + (vectorRank.get(id) ?? 1e3)) + 1 / (10 + (lexicalRank.get(id) ?? 1e3));
  const seeds = [...pool.keys()].sort((a, b) => fused(b) - fused(a)).slice(0, POOL.seeds);

  let activation = new Map<string, number>();
  if (uses('graph')) {
    activation = await spreadActivation(store, new Map(seeds.map((id) => [id, fused(id)])), { maxNodes: POOL.activationNodes, iterations: POOL.activationRounds });
    const reached = [...activation.entries()]
      .filter(([id]) => !pool.has(id))
      .sort((a, b) => b[1] - a[1])
      .slice(0, POOL.activated)
      .map(([id]) => id);
    (await store.getMany(reached)).filter((record) => matchesFilter(record, filter)).forEach(add);
  }

  // Turns just before and after: their content describes this one (a question and its answer).
  const adjacent = new Map<string, string[]>();
  const readAround = async (ids: string[]) => {
    for (const [id, around] of await turnsAround(store, ids)) adjacent.set(id, around);
  };
  await readAround(seeds);
  // Other versions of the facts the best hits state (a sleep linked them): "where does she live"
  // finds the old address by its words and the new one through the link.
  const versions = uses('timeOrder') ? await versionsOf(store, seeds) : [];
  const outside = [...new Set([...seeds.flatMap((seed) => adjacent.get(seed)!), ...versions])].filter((id) => !pool.has(id));
  (await store.getMany(outside)).filter((record) => matchesFilter(record, filter)).forEach(add);
  await readAround([...pool.keys()].filter((id) => !adjacent.has(id)));

  const ids = [...pool.keys()];
  const neighborIds = [...new Set([...adjacent.values()].flat())];
  const vectors = await store.vectors([...new Set([...ids, ...neighborIds])], scale);
  await embedCold(
    [...pool.values()].filter((record) => !vectors.has(record.id)),
    vectors,
    embedder,
    scale,
    options.coldCache,
  );
  const similarities = new Map<string, number>();
  const cosineWithQuery = cosineTo(queryVector);
  const similarity = (id: string) => {
    let value = similarities.get(id);
    if (value === undefined) {
      const vector = vectors.get(id);
      similarities.set(id, (value = vector ? Math.max(0, cosineWithQuery(vector)) : 0));
    }
    return value;
  };
  const semanticPart = uses('semanticSimilarity') || uses('semanticContext') ? partCosines(embedder, 'semantic', scale, queryVector) : undefined;
  const bestLexical = textHits[0]?.score ?? 0;
  const lexicalScore = new Map(textHits.map((hit) => [hit.record.id, bestLexical > 0 ? hit.score / bestLexical : 0]));
  const queryEntities = uses('entityOverlap') ? extractEntities(query, { eventTime: referenceTime }) : [];
  // Stored entities feed entity overlap, when-answers and mentioned dates; most queries need none of them.
  const needsEntities = queryEntities.length > 0 || (uses('timeAnswer') && time.asksWhen) || (uses('temporalFit') && windows.length > 0);
  const entities = needsEntities ? await store.entities(ids) : new Map<string, string[]>();
  const maxActivation = Math.max(0, ...activation.values());
  const records = [...pool.values()];
  const span = { min: Math.min(...records.map((r) => r.eventTime)), max: Math.max(...records.map((r) => r.eventTime)) };
  const maxAccess = Math.max(0, ...records.map((r) => Math.log1p(r.accessCount)));
  const named = speakersMeant(query, records);
  // Matched without the speakers it names: the speaker features weigh those.
  const wordMatch = options.matchWords !== undefined && uses('wordMatch') ? createWordMatcher(options.matchWords ?? undefined, stripped) : undefined;

  const candidates = records.map((record): Candidate => {
    const f = emptyFeatures();
    const mentioned = entities.get(record.id) ?? [];
    f.turnSimilarity = similarity(record.id);
    if (uses('questionEcho') && QUESTION_END.test(record.text)) f.questionEcho = f.turnSimilarity;
    if (uses('sessionSimilarity')) f.sessionSimilarity = Math.max(0, sessionSimilarity.get(sessionKey(record.scope)) ?? 0);
    if (uses('lexical')) f.lexical = lexicalScore.get(record.id) ?? 0;
    if (uses('lexicalRank')) f.lexicalRank = lexicalRank.has(record.id) ? 1 / (1 + lexicalRank.get(record.id)!) : 0;
    const around = adjacent.get(record.id) ?? [];
    if (uses('neighborSimilarity')) f.neighborSimilarity = Math.max(0, ...around.map(similarity));
    if (uses('neighborLexical')) f.neighborLexical = Math.max(0, ...around.map((id) => lexicalScore.get(id) ?? 0));
    if (uses('graph')) f.graph = maxActivation > 0 ? (activation.get(record.id) ?? 0) / maxActivation : 0;
    if (uses('entityOverlap') && queryEntities.length > 0) f.entityOverlap = queryEntities.filter((e) => mentioned.includes(e)).length / queryEntities.length;
    if (uses('speakerNamed') && record.role) {
      const role = record.role.toLowerCase();
      f.speakerNamed = named.has(role) ? 1 : 0;
      if (uses('otherSpeakerNamed')) f.otherSpeakerNamed = named.size > 0 && !named.has(role) ? 1 : 0;
    }
    if (uses('temporalFit') && windows.length > 0) f.temporalFit = temporalFit({ eventTime: record.eventTime, mentioned }, queryTime);
    if (uses('timeAnswer')) f.timeAnswer = time.asksWhen && mentionsTime(mentioned) ? 1 : 0;
    if (uses('timeOrder')) f.timeOrder = orderFit(record.eventTime, span, time.order);
    if (uses('recency')) f.recency = Math.exp((-Math.LN2 * Math.max(0, referenceTime - record.eventTime)) / (options.halfLifeDays[record.kind] * DAY_MS));
    if (uses('importance')) f.importance = record.importance;
    if (uses('access')) f.access = maxAccess > 0 ? Math.log1p(record.accessCount) / maxAccess : 0;
    if (uses('length')) f.length = Math.min(1, Math.log1p(wordCount(record.text)) / Math.log1p(100));
    if (wordMatch) f.wordMatch = wordMatch(record.text);
    const vector = vectors.get(record.id);
    if (semanticPart && vector && uses('semanticSimilarity')) f.semanticSimilarity = Math.max(0, semanticPart.of(vector));
    if (semanticPart && vector && uses('semanticContext')) {
      const context = around.map((id) => vectors.get(id)).filter((neighbor) => neighbor !== undefined);
      f.semanticContext = Math.max(0, semanticPart.inContext(vector, context));
    }
    return { record, features: f, ...(vector ? { vector } : {}) };
  });

  const tokenStore = supports(store, 'tokenVectors') ? store : undefined;
  if (uses('tokenMaxSim') && embedded.tokens && embedded.tokens.length > 0 && (embedder.embedTokens || tokenStore)) {
    // Token vectors are the expensive part, so only a short list gets them (chosen without fitted weights).
    const shortList = [...candidates].sort((a, b) => b.features.turnSimilarity + b.features.lexical - (a.features.turnSimilarity + a.features.lexical)).slice(0, POOL.shortList);
    // Computed again from the text when the embedder can (they are then not stored), else read.
    const tokens = embedder.embedTokens
      ? await tokensOfTexts(
          embedder.embedTokens.bind(embedder),
          shortList.map((c) => c.record),
          options.tokenCache,
        )
      : await tokenStore!.tokenVectors(shortList.map((c) => c.record.id));
    for (const candidate of shortList) candidate.features.tokenMaxSim = maxSim(embedded.tokens, tokens.get(candidate.record.id) ?? []);
  }
  for (const candidate of candidates) for (const name of FEATURES) if (!Number.isFinite(candidate.features[name])) candidate.features[name] = 0;
  if (uses('semanticRank') && uses('semanticSimilarity') && semanticPart) rankBy(candidates, 'semanticSimilarity', 'semanticRank');
  if (uses('turnRank')) rankBy(candidates, 'turnSimilarity', 'turnRank');
  // `matched`: the text the candidates' words were matched with (no time words, no named speakers).
  return { candidates, time: queryTime, matched: stripped };
}

/** Writes 1 / (1 + place) by `source` (ties share the better place; 0 scores no place). */
function rankBy(candidates: readonly Candidate[], source: Feature, target: Feature): void {
  const place = new Map<number, number>();
  candidates
    .map((candidate) => candidate.features[source])
    .sort((a, b) => b - a)
    .forEach((value, i) => place.has(value) || place.set(value, i));
  for (const candidate of candidates) {
    const value = candidate.features[source];
    candidate.features[target] = value > 0 ? 1 / (1 + place.get(value)!) : 0;
  }
}

/** Cold memories' vectors embedded (each on its own, as an edited memory is) at most this many per search: the rest score 0. */
const MAX_COLD_EMBEDDED = 64;

/** Puts the vectors of cold records (none stored) into `vectors`, from the cache or embedded from their text. */
async function embedCold(cold: readonly MemoryRecord[], vectors: Map<string, Float32Array>, embedder: Embedder, scale: Scale, cache: LruCache<string, Float32Array> | undefined): Promise<void> {
  for (const record of cold.slice(0, MAX_COLD_EMBEDDED)) {
    let vector = cache?.get(record.hash);
    if (vector === undefined) {
      vector = (await embedder.embedSession([record.text], { tokens: false })).turns[0]?.vectors[scale];
      if (vector === undefined) continue;
      cache?.set(record.hash, vector);
    }
    vectors.set(record.id, vector);
  }
}

/** Each record's token vectors by id, from the cache (by text hash) or computed for the rest in one call. */
async function tokensOfTexts(
  embedTokens: (texts: readonly string[]) => Promise<Float32Array[][]>,
  records: readonly MemoryRecord[],
  cache: LruCache<string, Float32Array[]> | undefined,
): Promise<Map<string, Float32Array[]>> {
  const found = new Map<string, Float32Array[]>();
  const missing = records.filter((record) => {
    const cached = cache?.get(record.hash);
    if (cached) found.set(record.id, cached);
    return cached === undefined;
  });
  const computed = missing.length === 0 ? [] : await embedTokens(missing.map((record) => record.text));
  missing.forEach((record, i) => {
    found.set(record.id, computed[i]!);
    cache?.set(record.hash, computed[i]!);
  });
  return found;
}

/** Cosine with a fixed query, whose length is measured once (hundreds of vectors are compared per search). */
function cosineTo(query: Float32Array): (vector: Float32Array) => number {
  const queryNorm = Math.sqrt(query.reduce((sum, x) => sum + x * x, 0));
  return (vector) => {
    if (vector.length !== query.length || queryNorm === 0) return vector.length === query.length ? 0 : cosineSimilarity(query, vector);
    let dot = 0;
    let norm = 0;
    for (let i = 0; i < vector.length; i++) {
      const x = vector[i]!;
      dot += query[i]! * x;
      norm += x * x;
    }
    return norm > 0 ? dot / (queryNorm * Math.sqrt(norm)) : 0;
  };
}

/** A text that ends with a question mark (closing quotes and brackets aside). */
const QUESTION_END = /\?[\s"'”’)\]]*$/;

const sessionKey = (scope: { userId?: string; agentId?: string; sessionId?: string }) => `${scope.userId ?? ''}\u0000${scope.agentId ?? ''}\u0000${scope.sessionId ?? ''}`;

/** Words, counted without allocating (this runs for every candidate). */
function wordCount(text: string): number {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const space = text.charCodeAt(i) <= 32;
    if (!space && !inWord) words++;
    inWord = !space;
  }
  return words;
}

import { arrayArgument, createErrorFactory, createLruCache, MEMORY_KINDS, validateId, type Embedder, type MemoryFilter, type MemoryKind, type MemoryStore, type Scale } from '@neuromem/core';
import { collectCandidates, type Candidate } from './collect-candidates';
import type { SetAside } from './first-candidates';
import { neighborIds } from './neighbor-ids';
import { restatementJudge, type FactUpdateOptions, type SameFactJudge } from './order-fact-updates';
import type { QueryTime } from './query-time';
import { DEFAULT_RANKER } from './default-ranker';
import { FEATURES, type Feature, type FeatureVector } from './features';
import { FACT_WINDOW, rankCandidates, type RankedMemory } from './rank-candidates';
import { logitOf, parseRankerModel, type RankerModel } from './ranker-model';
import { createWordMatcher, type WordSpace } from './word-match';

const fail = createErrorFactory('retrieval');

const DEFAULT_HALF_LIFE_DAYS: Readonly<Record<MemoryKind, number>> = { episodic: 30, summary: 90, semantic: 365 };

export interface RetrieverOptions {
  store: MemoryStore;
  /** The embedder that wrote the store's vectors; queries are embedded with it. */
  embedder: Embedder;
  /** A fitted ranker (`fitRanker`, `neuromem-eval fit-ranker`); default: the one fitted on LoCoMo dev. */
  ranker?: RankerModel | unknown;
  /** Recency half-life in days, one for every kind or per kind (default episodic 30, summary 90, semantic 365). */
  recencyHalfLifeDays?: number | Partial<Record<MemoryKind, number>>;
  /** Factors left out (scored 0, and the candidate sources that feed only them not read). */
  excludeFactors?: readonly Feature[];
  /**
   * Which statements in the head of a ranking are about the same fact (`orderFactUpdates`), so the
   * version the query asks for comes first; default: only near-identical restatements.
   */
  sameFact?: SameFactJudge;
  /**
   * Whether the newer of two same-fact statements gives a new value (`FactUpdateOptions.changed`):
   * a present-tense question ("where does she live?") then brings a changed value up from further
   * below the best. Default: none (statements trade places only within `VERSION_WINDOW`).
   */
  changedValue?: SameFactJudge;
  /** Word vectors for matching the query's words with a memory's one by one (`wordMatch`); default none (only the same words match). */
  words?: WordSpace;
  /**
   * Memories that are never candidates, whatever finds them (their words, time, session or links),
   * such as a sleep's consolidated facts, which `context()` reaches through their versions. Set
   * aside, they take no candidate's place and move no other candidate's rank. Default: none.
   */
  setAside?: SetAside;
}

export interface RetrieveOptions {
  /** Which memories may be found; set a scope so one owner never sees another's memories. */
  filter: MemoryFilter;
  /** How many results (default 10). */
  topK?: number;
  /** "Now" for relative dates in the query and for recency (epoch ms; default the current time). */
  referenceTime?: number;
  /** Memories that join the candidates whatever the sources find (if the filter admits them): feedback needs the factors of the memory judged. */
  include?: readonly string[];
  /** The asking user's adaptation of the global ranking. */
  personalization?: Personalization;
}

/**
 * How one user's feedback changes retrieval (Module 3's online adaptation plugs in here; retrieval
 * does not know how it learns).
 */
export interface Personalization {
  /** The query in the words the user's memories use; candidates are gathered and measured with it. */
  expandQuery?(query: string): string;
  /** What to add to each candidate's logit, in order (`query` is the query as asked). */
  adjust(query: string, candidates: ReadonlyArray<{ id: string; text: string; eventTime: number; factors: FeatureVector; vector?: Float32Array | undefined }>): number[];
}

export interface Retriever {
  /** The ANN-indexed scale memories are searched at: `turn` when the embedder has it. */
  readonly scale: Scale;
  /** The best memories for the query, best first, each with its factors and their contributions. */
  retrieve(query: string, options: RetrieveOptions): Promise<RankedMemory[]>;
  /**
   * `retrieve`, and how many candidates the ranker chose among: every memory of a small memory, a few
   * hundred of a large one. A ranking of 12 memories and one of 300 mean different things to a
   * caller asking whether any of them answers.
   */
  retrieveCounted(query: string, options: RetrieveOptions): Promise<{ ranked: RankedMemory[]; candidates: number }>;
}

/**
 * Temporal-causal retrieval over any conforming store: the query's time words become windows, every
 * source (vectors, words, sessions, time windows, graph activation, neighbouring turns) brings
 * candidates, and a fitted ranker orders them. Sources the store lacks a capability for stay empty.
 */
export function createRetriever(options: RetrieverOptions): Retriever {
  const { store, embedder } = options;
  const ranker = options.ranker === undefined ? DEFAULT_RANKER : parseRankerModel(options.ranker, 'options.ranker');
  const halfLifeDays = validateHalfLives(options.recencyHalfLifeDays);
  const sameFact = options.sameFact ?? restatementJudge;
  if (typeof sameFact !== 'function') throw fail('INVALID_INPUT', 'sameFact must be a function (older, newer) => probability.', { details: { field: 'sameFact' } });
  const { changedValue } = options;
  if (changedValue !== undefined && typeof changedValue !== 'function') {
    throw fail('INVALID_INPUT', 'changedValue must be a function (older, newer) => probability.', { details: { field: 'changedValue' } });
  }
  const skip = validateExcluded(options.excludeFactors);
  const rankerReadsWords = ranker.features.includes('wordMatch');
  const scale = (embedder.scales.turn !== undefined ? 'turn' : Object.keys(embedder.scales).find((s) => s !== 'token' && s !== 'session')) as Scale | undefined;
  if (scale === undefined || store.vectorScales[scale] === undefined) {
    throw fail('INVALID_INPUT', `the embedder and the store share no searchable scale (embedder: ${Object.keys(embedder.scales).join(', ')}; store: ${Object.keys(store.vectorScales).join(', ')}).`);
  }
  // Short-listed memories' token vectors, when the embedder computes them instead of the store
  // keeping them: about 4M floats (16 MB), some 600 memories of 20 words.
  const tokenCache = createLruCache<string, Float32Array[]>({ maxCost: 4_000_000, costOf: (tokens) => tokens.reduce((sum, vector) => sum + vector.length, 1) });
  // Cold memories' vectors computed for earlier searches: about 2M floats (8 MB), some 3,000 memories.
  const coldCache = createLruCache<string, Float32Array>({ maxCost: 2_000_000, costOf: (vector) => vector.length });

  const retriever: Retriever = {
    scale,
    async retrieve(query, retrieveOptions) {
      return (await retriever.retrieveCounted(query, retrieveOptions)).ranked;
    },
    async retrieveCounted(query, { filter, topK = 10, referenceTime = Date.now(), include, personalization }) {
      const searched = personalization?.expandQuery ? personalization.expandQuery(query) : query;
      const { candidates, time, matched } = await collectCandidates(searched, {
        store,
        embedder,
        scale,
        filter,
        referenceTime,
        halfLifeDays,
        skip,
        tokenCache,
        coldCache,
        ...(options.setAside ? { setAside: options.setAside } : {}),
        // Every candidate's word match only when the ranker weighs it; else the results' alone, below
        // (the relevance gate reads it, and ten texts cost far less than every candidate).
        ...(rankerReadsWords ? { matchWords: options.words ?? null } : {}),
        ...(include ? { include: validateIds(include) } : {}),
      });
      const personal = personalization?.adjust(
        query,
        candidates.map((c) => ({ id: c.record.id, text: c.record.text, eventTime: c.record.eventTime, factors: c.features, vector: c.vector })),
      );
      if (personal && (personal.length !== candidates.length || !personal.every(Number.isFinite))) {
        throw fail('INVALID_INPUT', `personalization.adjust must return one finite number per candidate (${candidates.length}).`);
      }
      const updates = updatesFor(time, sameFact, changedValue);
      // A sleep's links are read only for questions whose ordering uses them.
      if (updates && asksAboutChange(time)) updates.linked = await supersedesAmong(store, headIds(candidates, ranker, personal));
      const ranked = rankCandidates(candidates, ranker, topK, personal, updates);
      if (!rankerReadsWords && !skip.has('wordMatch')) {
        const match = createWordMatcher(options.words, matched);
        for (const result of ranked) result.factors.wordMatch = match(result.record.text);
      }
      return { ranked, candidates: candidates.length };
    },
  };
  return retriever;
}

/**
 * How far below the best answer (in ranker logit) a statement may score and still be taken for a
 * version of the asked fact: for a present-tense question without a word of change, and for "used
 * to" / "before X". Chosen on the development halves only (update set 01-05 and LoCoMo dev): the
 * widest window that keeps LoCoMo recall@1 within 0.005 (apps/eval/RESULTS.md, issue 17, session 23).
 */
export const VERSION_WINDOW = 1;

/**
 * How the versions of a fact are ordered for this query; the question's words and tense decide.
 * - "When did it change" keeps the ranker's order (re-ordering lost 0.16 hit@1 there), also with
 *   "old" or "before" in it ("when did he drop his old podcast").
 * - "Used to", "before the move": the older version first, among statements that answer nearly as
 *   well as the best (`VERSION_WINDOW`).
 * - "Now", "currently", "still" in a question not in the past tense: the newest, over the whole head.
 *   In the past tense ("what did she attend recently") the word picks a recent event, which the
 *   ranker's time order already weighs; grouping events as versions of one fact cost LoCoMo recall@1.
 * - A present-tense question without such words ("where does she live") asks for a state that may
 *   have changed: the newest, among statements within `VERSION_WINDOW` of the best. Over the whole
 *   head this moved LoCoMo recall@1 from 0.461 to 0.276 (held out): the judge alone joins statements
 *   that only share a topic. With `changedValue`, a newer statement judged a changed value comes up
 *   from further below (`FactUpdateOptions.changed`); widened for every same-fact pair instead, the
 *   update set's held-out current value went 0.613 -> 0.710 but LoCoMo recall@1 0.448 -> 0.416, as
 *   LoCoMo cites the first telling of a fact and its later restatements took its place.
 * - Anything else keeps the ranker's order except for near-identical restatements (newest first).
 */
function updatesFor(time: QueryTime, sameFact: SameFactJudge, changedValue: SameFactJudge | undefined): FactUpdateOptions | undefined {
  if (time.asksWhen) return undefined;
  if (asksForPrevious(time)) return { stance: 'previous', judge: sameFact, within: VERSION_WINDOW };
  if (asksForLatest(time)) return { stance: 'latest', judge: sameFact };
  // Without such words, a sleep's links are left out too: they cost LoCoMo 0.04-0.07 of recall@1.
  if (time.tense === 'present') return { stance: 'latest', judge: sameFact, within: VERSION_WINDOW, ...(changedValue ? { changed: changedValue } : {}) };
  return { stance: 'latest', judge: restatementJudge };
}

/** "Used to", "before X": the question wants a value that has since changed. */
const asksForPrevious = (time: QueryTime) => time.previous || time.relation?.type === 'before';
/** "Now", "still", "currently" in a question not in the past tense (there the word picks a recent event). */
const asksForLatest = (time: QueryTime) => time.order === 'latest' && time.tense !== 'past';

/** The question names a side of a change (and does not ask when it changed). */
function asksAboutChange(time: QueryTime): boolean {
  return !time.asksWhen && (asksForPrevious(time) || asksForLatest(time));
}

/** The ids `rankCandidates` will put in its head (the first `FACT_WINDOW` by logit). */
function headIds(candidates: readonly Candidate[], ranker: RankerModel, personal: readonly number[] | undefined): string[] {
  return candidates
    .map((candidate, i) => ({ id: candidate.record.id, eventTime: candidate.record.eventTime, logit: logitOf(ranker, candidate.features) + (personal?.[i] ?? 0) }))
    .sort((a, b) => b.logit - a.logit || b.eventTime - a.eventTime)
    .slice(0, FACT_WINDOW)
    .map((entry) => entry.id);
}

/** `supersedes` links among the ids (a sleep's consolidation made them), as `newer>older`. */
async function supersedesAmong(store: MemoryStore, ids: readonly string[]): Promise<Set<string>> {
  const linked = new Set<string>();
  if (ids.length < 2) return linked;
  const inHead = new Set(ids);
  const found = await neighborIds(store, ids, { types: ['supersedes'], depth: 1, direction: 'out', limit: 20 });
  for (const [id, neighbors] of found) for (const neighbor of neighbors) if (inHead.has(neighbor)) linked.add(`${id}>${neighbor}`);
  return linked;
}

function validateHalfLives(value: RetrieverOptions['recencyHalfLifeDays']): Record<MemoryKind, number> {
  const given = typeof value === 'number' ? { episodic: value, summary: value, semantic: value } : { ...value };
  const halfLives = { ...DEFAULT_HALF_LIFE_DAYS, ...given };
  for (const [kind, days] of Object.entries(halfLives)) {
    if (!MEMORY_KINDS.includes(kind as MemoryKind)) throw fail('INVALID_INPUT', `recencyHalfLifeDays has unknown kind "${kind}"; kinds are ${MEMORY_KINDS.join(', ')}.`);
    if (typeof days !== 'number' || !(days > 0) || !Number.isFinite(days)) throw fail('INVALID_INPUT', `recencyHalfLifeDays.${kind} must be a positive number of days.`);
  }
  return halfLives;
}

function validateIds(ids: readonly string[]): string[] {
  return arrayArgument(ids, 'include').map((id, i) => validateId(id, 'retrieval', `include[${i}]`));
}

function validateExcluded(names: readonly Feature[] | undefined): Set<Feature> {
  if (names === undefined) return new Set();
  if (!Array.isArray(names)) throw fail('INVALID_INPUT', 'excludeFactors must be an array of factor names.');
  const unknown = names.filter((name) => !(FEATURES as readonly string[]).includes(name));
  if (unknown.length > 0) throw fail('INVALID_INPUT', `excludeFactors has unknown factor(s) ${unknown.join(', ')}; factors are ${FEATURES.join(', ')}.`);
  return new Set(names);
}

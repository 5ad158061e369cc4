import { parseTime, validatePositiveInt, validateText, validateUnitInterval } from '@neuromem/core';
import type { RankedMemory } from '@neuromem/retrieval';
import { CALIBRATED_LIST } from '@neuromem/controller';
import { isExpired } from '@neuromem/agents';
import { withFacts } from './with-facts';
import type { Memory } from './memory';
import type { MemoryParts } from './open-memory-parts';
import type { ScopeChecks } from './scope-checks';
import { contextLabel, toContext } from './to-context';
import { resultCount, searchFilter, validateBoolean } from './validate-options';
import { round, toSearchItem } from './to-search-item';
import type { SearchOptions } from './types';

/** What the search path of a memory reads and updates. */
export type MemorySearchContext = Pick<
  MemoryParts,
  'clock' | 'maxTextChars' | 'store' | 'retriever' | 'relevance' | 'adaptations' | 'trackAccess' | 'pendingAccesses' | 'compressor' | 'activity' | 'sleeper'
> &
  Pick<ScopeChecks, 'scopeOf'>;

/** `search()` and `context()`: retrieval judged by the relevance model, and access counting. */
export function createMemorySearch({
  clock,
  maxTextChars,
  store,
  retriever,
  relevance,
  adaptations,
  trackAccess,
  pendingAccesses,
  compressor,
  activity,
  sleeper,
  scopeOf,
}: MemorySearchContext): Pick<Memory, 'search' | 'context' | 'prefetch'> {
  /**
   * Retrieves, then lets the relevance model score the results: each gets P(useful) as its `score`
   * (the ranker's own probability when `relevance: false`), and the query P(answerable). The model
   * reads the first `CALIBRATED_LIST` results whatever `topK` is, so a memory's score does not
   * depend on how many results were asked for. The ranker's order is kept.
   */
  async function judgedSearch(query: string, searchOptions: SearchOptions) {
    const text = validateText(query, { field: 'query', maxChars: maxTextChars, module: 'neuromem' });
    const scope = scopeOf(searchOptions, true, 'search()');
    const topK = resultCount(searchOptions);
    const threshold = searchOptions.threshold === undefined ? 0 : validateUnitInterval(searchOptions.threshold, 'threshold', 'neuromem');
    const referenceTime = searchOptions.referenceDate === undefined ? clock.now() : parseTime(searchOptions.referenceDate, { field: 'referenceDate', module: 'neuromem' });
    const filter = searchFilter(scope, searchOptions);
    // What the gate reads (WordNet's nouns) loads while the candidates are gathered.
    const gateReady = relevance?.ready();
    const personalization = await adaptations?.personalizationOf(scope.userId);
    const now = clock.now();
    // Expired memories are gone for reads the moment they expire; a sleep tombstones them later.
    // (Consolidated facts are never retrieved: the retriever sets them aside, see open-memory-parts.ts.)
    const wanted = relevance ? Math.max(topK, CALIBRATED_LIST) : topK;
    const retrieved = await retriever.retrieveCounted(text, { filter, topK: wanted, referenceTime, ...(personalization ? { personalization } : {}) });
    const ranked = retrieved.ranked.filter((r) => !isExpired(r.record.metadata, now));
    // Nothing found: nothing to judge (and nothing a gate could keep out).
    if (relevance && ranked.length > 0) await gateReady;
    const judgement =
      ranked.length === 0
        ? undefined
        : relevance?.judge(
            text,
            ranked.map((r) => ({ text: r.record.text, logit: r.logit, factors: r.factors })),
            { candidates: retrieved.candidates },
          );
    const entries = ranked
      .slice(0, topK)
      .map((r, i) => ({ ranked: r, score: judgement ? judgement.scores[i]! : r.score }))
      // Compared as shown (rounded), so a threshold copied from a result keeps that result.
      .filter((entry) => round(entry.score) >= threshold);
    if (scope.userId !== undefined) activity.record({ userId: scope.userId, at: now, query: text, resultIds: entries.map((entry) => entry.ranked.record.id) });
    sleeper.active();
    return { entries, judgement, candidates: retrieved.candidates };
  }

  /** Counts the results as accessed: written after the searches (`pendingAccesses`), or at once when there is none. */
  async function countAccess(entries: ReadonlyArray<{ ranked: RankedMemory }>): Promise<void> {
    if (!trackAccess || entries.length === 0) return;
    const ids = entries.map((entry) => entry.ranked.record.id);
    if (pendingAccesses) pendingAccesses.record(ids);
    else await store.recordAccess(ids);
  }

  /** What the owner's next search most likely resembles: their latest search in this process, else their newest memory. */
  async function likelyQuery(userId: string | undefined, filter: ReturnType<typeof searchFilter>): Promise<string | undefined> {
    const latest = userId === undefined ? undefined : activity.latestOf(userId)?.query;
    if (latest !== undefined) return latest;
    return (await store.list({ ...filter, order: 'eventTime-desc', limit: 1 }))[0]?.text;
  }

  /** The answerability a context needs: the call's `gate`, else the model's; undefined = always inject. */
  const contextGate = (gate: number | false | undefined): number | undefined => {
    if (gate === false) return undefined;
    if (gate === undefined) return relevance?.model.gate;
    return validateUnitInterval(gate, 'gate', 'neuromem');
  };

  return {
    async search(query, searchOptions) {
      if (searchOptions?.trackAccess !== undefined) validateBoolean(searchOptions.trackAccess, 'trackAccess');
      const { entries, judgement, candidates } = await judgedSearch(query, searchOptions);
      if (searchOptions.trackAccess !== false) await countAccess(entries);
      return { results: entries.map(toSearchItem), ...(judgement ? { answerable: round(judgement.answerable) } : {}), candidates };
    },

    async prefetch(ids) {
      const scope = scopeOf(ids, true, 'prefetch()');
      const filter = searchFilter(scope, {});
      const query = await likelyQuery(scope.userId, filter);
      if (query === undefined) return { prefetched: 0 };
      // A search as the owner's would run (their adaptation too), whose results nobody sees: no
      // access is counted and nothing is recorded as a search, so nothing a user sees changes.
      const personalization = await adaptations?.personalizationOf(scope.userId);
      const ranked = await retriever.retrieve(query, { filter, topK: CALIBRATED_LIST, referenceTime: clock.now(), ...(personalization ? { personalization } : {}) });
      return { prefetched: ranked.length };
    },

    async context(query, contextOptions) {
      // Checked before searching: a rejected call must not count as an access.
      const scope = scopeOf(contextOptions, true, 'context()');
      const tokenBudget = contextOptions.tokenBudget === undefined ? 1000 : validatePositiveInt(contextOptions.tokenBudget, 'tokenBudget', 10_000_000, 'neuromem');
      const gate = contextGate(contextOptions.gate);
      const { entries, judgement } = await judgedSearch(query, contextOptions);
      if (judgement && gate !== undefined && judgement.answerable < gate) {
        // Nothing injected is better than the least bad memories: the model says none answers this.
        return {
          text: '',
          tokens: 0,
          sources: [],
          dropped: [],
          fullTokens: 0,
          answerable: round(judgement.answerable),
          notice: `no stored memory looks relevant to this query (probability it can be answered ${judgement.answerable.toFixed(2)} < gate ${gate}); nothing was injected`,
        };
      }
      await countAccess(entries);
      const kept = await withFacts(store, entries, scope, clock.now());
      const results = kept.map(toSearchItem);
      // The compressor gets the ranker's probability: its keep model was fitted on that scale.
      const items = kept.map(({ ranked }, i) => ({ memoryId: ranked.record.id, text: ranked.record.text, score: ranked.score, label: contextLabel(results[i]!) }));
      const compressed = await compressor.compress(items, { query, tokenBudget });
      return { ...toContext(compressed, results, compressor), ...(judgement ? { answerable: round(judgement.answerable) } : {}) };
    },
  };
}

import { mkdirSync } from 'node:fs';
import {
  createErrorFactory,
  createSerialQueue,
  supports,
  parseTime,
  systemClock,
  validateId,
  validateKind,
  validateMetadata,
  validatePositiveInt,
  validateScope,
  validateText,
  validateUnitInterval,
  type Embedder,
  type MemoryKind,
  type MemoryStore,
  type Scale,
  type Scope,
} from '@neuromem/core';
import { exportMemories, importMemories, parsePortableLines } from './portable-memories';
import { annotateMemory, createRetriever, extractEntities, type RankedMemory, type Retriever } from '@neuromem/retrieval';
import { CALIBRATED_LIST, createRelevanceGate, defaultImportance, defaultRelevance, importanceOf, parseImportanceModel, parseRelevanceModel, type RelevanceGate } from '@neuromem/controller';
import { createDefaultEmbedder, openTransformerModel } from './default-embedder';
import type { HashingEncoder } from '@neuromem/embeddings';
import { createCorpusTracker, type CorpusTracker } from './corpus-tracker';
import { createSqliteStore, type SqliteMemoryStore } from '@neuromem/store';
import { checkEmbedderManifest, readStoredManifest, storedEmbedderId } from './embedder-manifest';
import { createSessionStates } from './session-states';
import { createUserAdaptations, feedbackEvent } from './user-adaptations';
import { createStorageTiers } from './storage-tiers';
import { createSearchActivity } from './search-activity';
import { createMemorySleep } from './memory-sleep';
import { EXPIRES_AT, isExpired, parseExpiry } from '@neuromem/agents';
import { factJudges } from './fact-judges';
import type { Memory } from './memory';

export type { Memory } from './memory';

import { createCompressor } from '@neuromem/compression';
import { normalizeMessages } from './normalize-messages';
import { contextLabel, toContext } from './to-context';
import { toHistoryItem, toMemoryItem } from './to-memory-item';
import { keepsTokens, storedTokens } from './stored-tokens';
import { listLimit, optionsObject, resultCount, searchFilter, validateBoolean, validateMemoryOptions, validateUpdate } from './validate-options';
import { checkStoreFitsEmbedder } from './check-store-fits-embedder';
import { round, toSearchItem } from './to-search-item';
import type { EntityIds, MemoryOptions, SearchOptions } from './types';

const fail = createErrorFactory('neuromem');

const BY_ID_SCOPE_KEYS: readonly string[] = ['userId', 'agentId', 'runId'];

/**
 * Long-term memory with Mem0's method names: switch by changing the import. Runs offline with no
 * model download and no LLM call on `add`; `path` makes it durable. `store` swaps the embedded
 * SQLite store for any conforming `MemoryStore` (e.g. `@neuromem/store-postgres`).
 */
export async function createMemory<S extends MemoryStore>(
  options: Omit<MemoryOptions, 'store'> & { store: (options: { vectorScales: Readonly<Partial<Record<Scale, number>>> }) => Promise<S> },
): Promise<Memory<S>>;
export async function createMemory<S extends MemoryStore>(options: Omit<MemoryOptions, 'store'> & { store: S }): Promise<Memory<S>>;
export async function createMemory(options?: Omit<MemoryOptions, 'store'> & { store?: undefined }): Promise<Memory<SqliteMemoryStore>>;
export async function createMemory(options?: MemoryOptions): Promise<Memory>;
export async function createMemory(options: MemoryOptions = {}): Promise<Memory> {
  validateMemoryOptions(options);
  if (options.store !== undefined && options.durability !== undefined) {
    throw fail('INVALID_INPUT', 'durability is for the embedded SQLite store; a store you bring keeps its own (e.g. createSqliteStore({ durability })).', { details: { field: 'durability' } });
  }
  if (options.store !== undefined && options.path !== undefined) {
    throw fail('INVALID_INPUT', 'pass either path (the embedded SQLite store) or store, not both: a store you bring keeps its data where you opened it.', { details: { field: 'path' } });
  }
  const clock = options.clock ?? systemClock;
  // The default encoder weighs query words by how rare they are in this memory (IDF); a custom
  // embedder brings its own notion of that.
  const custom = typeof options.embedder === 'object' ? options.embedder : undefined;
  const manifest = options.path === undefined ? undefined : readStoredManifest(options.path);
  const tracker: CorpusTracker | undefined = custom ? undefined : createCorpusTracker(options.path, (text: string): string[] => defaultEncoder!.terms(text));
  let defaultEncoder: HashingEncoder | undefined;
  let embedder: Embedder;
  if (custom) embedder = custom;
  else {
    const storedId = storedEmbedderId(manifest);
    // A model name: that transformer is the semantic part, beside the same lexical part.
    const semantic = typeof options.embedder === 'string' ? { ...(options.semantic || {}), encoder: await openTransformerModel(options.embedder) } : options.semantic;
    ({ embedder, encoder: defaultEncoder } = await createDefaultEmbedder({
      corpus: tracker!.corpus,
      ...(options.heads ? { heads: options.heads } : {}),
      ...(semantic !== undefined ? { semantic } : {}),
      ...(storedId ? { storedId } : {}),
    }));
  }
  const maxTextChars = options.maxTextChars ?? 100_000;
  const requireScope = options.requireScope ?? false;
  if (typeof requireScope !== 'boolean') throw fail('INVALID_INPUT', `requireScope must be true or false, got ${JSON.stringify(requireScope)}.`, { details: { field: 'requireScope' } });
  // Read-only: another process may hold the memory, and nothing here writes (not even access counts).
  const readOnly = options.readOnly === true;
  const trackAccess = (options.trackAccess ?? true) && !readOnly;
  // Adds run one at a time so each sees the turns of its session that came before it.
  const addQueue = createSerialQueue();

  if (options.path !== undefined) {
    if (!readOnly) mkdirSync(options.path, { recursive: true });
    // Checked all the same; only a memory without a manifest yet gets one written.
    if (!readOnly || manifest !== undefined) checkEmbedderManifest(options.path, embedder, manifest);
  }
  const brought = typeof options.store === 'object' ? options.store : undefined;
  const store: MemoryStore =
    brought ??
    (typeof options.store === 'function' ? await options.store({ vectorScales: embedder.scales }) : undefined) ??
    (await createSqliteStore({
      ...(options.path !== undefined ? { path: options.path } : {}),
      vectorScales: embedder.scales,
      clock,
      maxTextChars,
      extractEntities,
      ...(options.durability !== undefined ? { durability: options.durability } : {}),
      ...(readOnly ? { readOnly } : {}),
    }));
  // Module 3's "same fact" decision: retrieval orders a fact's versions with it, a sleep links them.
  const sameFact = factJudges(options.factPairs, embedder);
  let retriever: Retriever;
  try {
    checkStoreFitsEmbedder(store, embedder);
    retriever = createRetriever({
      store,
      embedder,
      ...(options.ranker !== undefined ? { ranker: options.ranker } : {}),
      ...(options.recencyHalfLifeDays !== undefined ? { recencyHalfLifeDays: options.recencyHalfLifeDays } : {}),
      ...(options.excludeFactors !== undefined ? { excludeFactors: options.excludeFactors } : {}),
      sameFact: sameFact.order,
    });
  } catch (error) {
    // A store this call opened is closed again (releasing its lock); a brought one is the caller's.
    if (brought === undefined) await store.close();
    throw error;
  }

  await tracker?.sync(store);
  const relevance = relevanceGateOf(options.relevance);
  const importanceModel = options.importance === false ? undefined : options.importance === undefined ? defaultImportance() : parseImportanceModel(options.importance, 'options.importance');
  const sessions = createSessionStates({ embedder, store });
  const adaptations = options.adaptation === false ? undefined : createUserAdaptations(store, options.adaptation);
  const tiers = createStorageTiers(store, embedder, retriever.scale);
  const coldBelow = options.tiers?.coldBelow;
  if (coldBelow !== undefined && !supports(store, 'vectorTiers')) {
    if (brought === undefined) await store.close();
    throw fail('UNSUPPORTED', 'tiers needs a store that can keep memories without vectors (capability vectorTiers); use the default SQLite store or @neuromem/store-postgres.');
  }

  const scopeOf = (ids: EntityIds, required = true, call = 'this call'): Scope => {
    optionsObject(ids, call);
    // Checked here to say it in this API's words (core's check names the store's sessionId).
    if (required && !requireScope && ids?.userId === undefined && ids?.agentId === undefined && ids?.runId === undefined) {
      throw fail('INVALID_INPUT', `${call} needs an owner: pass at least one of userId, agentId or runId, e.g. { userId: "alice" }.`, { details: { field: 'scope' } });
    }
    const scope = validateScope({ userId: ids?.userId, agentId: ids?.agentId, sessionId: ids?.runId }, { required: required && !requireScope, module: 'neuromem' });
    // An agent or run id alone spans every user that shares it, so a required scope names the user.
    if (requireScope && scope.userId === undefined) {
      throw fail(
        'INVALID_INPUT',
        `${call} needs a userId: this memory was created with requireScope, so pass { userId } (agentId and runId may narrow it further; alone they reach every user that shares them).`,
        { details: { field: 'userId' } },
      );
    }
    return scope;
  };
  /** The owner a by-id call checks; nothing (the id alone decides) when none is given and none is required. */
  const ownerCheck = (ids: EntityIds | undefined, call: string): { scope?: Scope } => {
    if (ids !== undefined && (typeof ids !== 'object' || ids === null || Array.isArray(ids))) {
      throw fail('INVALID_INPUT', `the scope of ${call} must be an object like { userId: "alice" }, got ${ids === null ? 'null' : Array.isArray(ids) ? 'an array' : typeof ids}.`, {
        details: { field: 'scope' },
      });
    }
    // A misspelt key (user_id, sessionId) would otherwise leave the call unchecked.
    const unknown = Object.keys(ids ?? {}).find((key) => !BY_ID_SCOPE_KEYS.includes(key));
    if (unknown !== undefined) throw fail('INVALID_INPUT', `the scope of ${call} takes userId, agentId and runId, not ${JSON.stringify(unknown)}.`, { details: { field: unknown } });
    return { scope: scopeOf(ids ?? {}, false, call) };
  };

  const compressor = options.compressor ?? createCompressor();
  const activity = createSearchActivity();
  const sleeper = createMemorySleep(
    {
      store,
      embedder,
      scale: retriever.scale,
      clock,
      sameFact: sameFact.link,
      exclusive: (write) => addQueue.run(write),
      // The embedded store holds a process lock: a sleep marked running is one a crash cut short.
      soleWriter: options.store === undefined,
      preloading: options.preloading,
      foreground: {
        searchesSince: (since) => activity.since(since),
        rehearse: async (userId, query) => (await retriever.retrieve(query, { filter: { scope: { userId } }, topK: CALIBRATED_LIST, referenceTime: clock.now() })).map((r) => r.record.id),
      },
    },
    options.background === true ? {} : options.background || undefined,
  );
  // Read-only: a crashed sleep is rolled back by the next process that opens the memory for writing.
  await (readOnly ? Promise.resolve([]) : sleeper.recover()).catch((error: { code?: string; details?: { journal?: string } }) => {
    // Another process is sleeping on a shared store: its run is its own to finish.
    if (error.code === 'LOCKED') return;
    // A damaged journal must not lock a user out of their memories: sleep() names it and the fix.
    if (error.details?.journal === 'damaged') return;
    throw error;
  });

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
    const personalization = await adaptations?.personalizationOf(scope.userId);
    const now = clock.now();
    // Expired memories are gone for reads the moment they expire; a sleep tombstones them later.
    const ranked = (await retriever.retrieve(text, { filter, topK: relevance ? Math.max(topK, CALIBRATED_LIST) : topK, referenceTime, ...(personalization ? { personalization } : {}) })).filter(
      (r) => !isExpired(r.record.metadata, now),
    );
    // Nothing found: nothing to judge (and nothing a gate could keep out).
    const judgement =
      ranked.length === 0
        ? undefined
        : relevance?.judge(
            text,
            ranked.map((r) => ({ text: r.record.text, logit: r.logit, factors: r.factors })),
          );
    const entries = ranked
      .slice(0, topK)
      .map((r, i) => ({ ranked: r, score: judgement ? judgement.scores[i]! : r.score }))
      // Compared as shown (rounded), so a threshold copied from a result keeps that result.
      .filter((entry) => round(entry.score) >= threshold);
    if (scope.userId !== undefined) activity.record({ userId: scope.userId, at: now, query: text, resultIds: entries.map((entry) => entry.ranked.record.id) });
    sleeper.active();
    return { entries, judgement };
  }

  async function countAccess(entries: ReadonlyArray<{ ranked: RankedMemory }>): Promise<void> {
    if (trackAccess && entries.length > 0) await store.recordAccess(entries.map((entry) => entry.ranked.record.id));
  }

  /** The answerability a context needs: the call's `gate`, else the model's; undefined = always inject. */
  const contextGate = (gate: number | false | undefined): number | undefined => {
    if (gate === false) return undefined;
    if (gate === undefined) return relevance?.model.gate;
    return validateUnitInterval(gate, 'gate', 'neuromem');
  };

  const memory: Memory = {
    store,
    embedder,

    async add(messages, addOptions) {
      const scope = scopeOf(addOptions, true, 'add()');
      const now = clock.now();
      const eventTime = addOptions.timestamp === undefined ? now : parseTime(addOptions.timestamp, { field: 'timestamp', module: 'neuromem' });
      const given = validateMetadata(addOptions.metadata, { module: 'neuromem' });
      const metadata = addOptions.expirationDate === undefined ? given : { ...given, [EXPIRES_AT]: parseExpiry(addOptions.expirationDate) };
      const turns = normalizeMessages(messages, { eventTime, metadata }, maxTextChars);
      const importance = addOptions.importance === undefined ? undefined : validateUnitInterval(addOptions.importance, 'importance', 'neuromem');
      const kind: MemoryKind | undefined = addOptions.kind === undefined ? undefined : validateKind(addOptions.kind, 'neuromem');
      if (addOptions.infer !== undefined) validateBoolean(addOptions.infer, 'infer');
      return addQueue.run(async () => {
        // Earlier turns of the session give the new ones their context (and the session its vector).
        const { embedding: embedded, keep } = await sessions.embed(
          scope,
          turns.map((turn) => turn.text),
        );
        const records = await store.put(
          turns.map((turn, i) => {
            // The caller's importance, else the learned write decision's P(needed later), else the store's default.
            const weight = importance ?? (importanceModel ? importanceOf(importanceModel, turn.text) : undefined);
            const cold = coldBelow !== undefined && (weight ?? 0.5) < coldBelow;
            return {
              text: turn.text,
              scope,
              role: turn.role,
              eventTime: turn.eventTime,
              metadata: turn.metadata,
              ...annotateMemory(turn.text, { eventTime: turn.eventTime }),
              ...(cold ? {} : { vectors: embedded.turns[i]!.vectors, ...storedTokens(embedder, store, embedded.turns[i]!.tokens) }),
              ...(i === turns.length - 1 && embedded.session && scope.sessionId !== undefined ? { sessionVector: embedded.session } : {}),
              source: { type: 'message' as const },
              ...(weight !== undefined ? { importance: weight } : {}),
              ...(kind !== undefined ? { kind } : {}),
            };
          }),
        );
        keep();
        tracker?.observe(records.map((record) => record.text));
        sleeper.active();
        return { results: records.map((record) => ({ ...toMemoryItem(record), event: 'ADD' as const })) };
      });
    },

    async search(query, searchOptions) {
      if (searchOptions?.trackAccess !== undefined) validateBoolean(searchOptions.trackAccess, 'trackAccess');
      const { entries, judgement } = await judgedSearch(query, searchOptions);
      if (searchOptions.trackAccess !== false) await countAccess(entries);
      return { results: entries.map(toSearchItem), ...(judgement ? { answerable: round(judgement.answerable) } : {}) };
    },

    async context(query, contextOptions) {
      // Checked before searching: a rejected call must not count as an access.
      scopeOf(contextOptions, true, 'context()');
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
      const results = entries.map(toSearchItem);
      // The compressor gets the ranker's probability: its keep model was fitted on that scale.
      const items = entries.map(({ ranked }, i) => ({ memoryId: ranked.record.id, text: ranked.record.text, score: ranked.score, label: contextLabel(results[i]!) }));
      const compressed = await compressor.compress(items, { query, tokenBudget });
      return { ...toContext(compressed, results, compressor), ...(judgement ? { answerable: round(judgement.answerable) } : {}) };
    },

    async get(memoryId, ids) {
      const id = validateId(memoryId, 'neuromem', 'memoryId');
      const record = await store.get(id, ownerCheck(ids, 'get()'));
      return record && !isExpired(record.metadata, clock.now()) ? toMemoryItem(record) : null;
    },

    async getAll(getAllOptions) {
      const scope = scopeOf(getAllOptions, true, 'getAll()');
      const limit = listLimit(getAllOptions);
      const records = await store.list({ scope, order: 'eventTime-asc', ...(limit ? { limit } : {}) });
      const now = clock.now();
      return { results: records.filter((record) => !isExpired(record.metadata, now)).map(toMemoryItem) };
    },

    async update(memoryId, data, ids) {
      const id = validateId(memoryId, 'neuromem', 'memoryId');
      const change = validateUpdate(data, maxTextChars);
      const owner = ownerCheck(ids, 'update()');
      // Queued with adds and sleep steps: an agent's write never interleaves with a user's.
      return addQueue.run(async () => {
        // Another owner's memory gets the error an unknown id gets, so ids cannot be probed.
        const current = await store.get(id, owner);
        if (!current) throw fail('NOT_FOUND', `no memory with id ${id}; it was never stored or was deleted.`, { details: { id } });
        const metadata = change.metadata === undefined ? undefined : validateMetadata({ ...current.metadata, ...change.metadata }, { module: 'neuromem' });
        const { text } = change;
        if (text === undefined) {
          // Metadata only: the text, its vectors and its session context stay as they are.
          await store.update(id, { metadata: metadata! }, owner);
          sleeper.active();
          return { message: 'Memory updated successfully!' };
        }
        // An edited memory is embedded on its own: its session context was about the old text.
        const {
          turns: [embedded],
        } = await embedder.embedSession([text], { tokens: keepsTokens(embedder, store) });
        const { entities } = annotateMemory(text, { eventTime: current.eventTime });
        await store.update(id, { text, entities, vectors: embedded!.vectors, ...storedTokens(embedder, store, embedded!.tokens), ...(metadata ? { metadata } : {}) }, owner);
        tracker?.replace([current.text], [text]);
        // The session's next turn takes the edited text as its context, as a fresh read would.
        sessions.forget(current.scope);
        sleeper.active();
        return { message: 'Memory updated successfully!' };
      });
    },

    async delete(memoryId, ids) {
      const id = validateId(memoryId, 'neuromem', 'memoryId');
      const owner = ownerCheck(ids, 'delete()');
      return addQueue.run(async () => {
        const current = await store.get(id, owner);
        await store.delete(id, owner);
        if (current) {
          sessions.forget(current.scope);
          tracker?.replace([current.text], []);
        }
        sleeper.active();
        return { message: 'Memory deleted successfully!' };
      });
    },

    async deleteAll(ids) {
      const scope = scopeOf(ids, true, 'deleteAll()');
      const count = await store.deleteWhere({ scope });
      sessions.clear();
      // All of a user's memories gone: what their feedback taught (their words, their topics) goes too.
      if (scope.userId !== undefined && scope.agentId === undefined && scope.sessionId === undefined) await adaptations?.reset(scope.userId);
      return { message: `Memories deleted successfully! (${count})` };
    },

    export(ids) {
      // No ids at all is the whole memory (an operator's backup, like stats() and reset()).
      const whole = ids === undefined || (typeof ids === 'object' && ids !== null && Object.keys(ids).length === 0);
      const { userId, agentId, sessionId } = whole ? {} : scopeOf(ids, false, 'export()');
      return exportMemories(store, { ...(userId !== undefined ? { userId } : {}), ...(agentId !== undefined ? { agentId } : {}), ...(sessionId !== undefined ? { sessionId } : {}) });
    },

    async import(memories, importOptions = {}) {
      optionsObject(importOptions, 'import()');
      if (typeof memories !== 'string' && !Array.isArray(memories)) {
        throw fail('INVALID_INPUT', 'import() takes exported memories: an array of objects or JSON Lines text.', { details: { field: 'memories' } });
      }
      // One parser for both forms, so an object and its line are checked alike (and all before writing).
      const items = parsePortableLines(typeof memories === 'string' ? memories : memories.map((item) => JSON.stringify(item) ?? 'null').join('\n'));
      return addQueue.run(() =>
        importMemories(store, embedder, items, {
          now: () => clock.now(),
          onStored: (texts) => tracker?.observe(texts),
          ...(importOptions.onProgress ? { onProgress: importOptions.onProgress } : {}),
        }),
      );
    },

    stats: () => store.stats(),

    async history(memoryId, ids) {
      const id = validateId(memoryId, 'neuromem', 'memoryId');
      return (await store.history(id, ownerCheck(ids, 'history()'))).map(toHistoryItem);
    },

    async feedback(input) {
      optionsObject(input, 'feedback()');
      if (input === undefined) throw fail('INVALID_INPUT', 'feedback() takes { memoryId, query, useful, userId }.', { details: { field: 'input' } });
      const id = validateId(input.memoryId, 'neuromem', 'memoryId');
      const text = validateText(input.query, { field: 'query', maxChars: maxTextChars, module: 'neuromem' });
      validateBoolean(input.useful, 'useful');
      const scope = scopeOf(input, true, 'feedback()');
      if (scope.userId === undefined) throw fail('INVALID_INPUT', 'feedback() needs a userId: adaptation is learned per user.', { details: { field: 'userId' } });
      const referenceTime = input.referenceDate === undefined ? clock.now() : parseTime(input.referenceDate, { field: 'referenceDate', module: 'neuromem' });
      if (!adaptations) throw fail('UNSUPPORTED', 'this memory was created with adaptation: false, so feedback() has nothing to teach; leave adaptation out to turn it on.');
      // Another user's memory gets the error an unknown id gets, so ids cannot be probed.
      const notFound = () => fail('NOT_FOUND', `no memory with id ${id} for this user; nothing was learned.`, { details: { id } });
      const judged = await store.get(id, { scope });
      if (!judged) throw notFound();
      const state = await adaptations.learn(scope.userId, (personalization) => feedbackEvent(retriever, { memoryId: id, query: text, useful: input.useful, scope, referenceTime }, personalization));
      if (!state) throw notFound();
      // A cold memory that helped earns its vectors back.
      if (input.useful) await tiers.promote(judged);
      return { message: 'Feedback learned.', interactions: state.interactions };
    },

    async retier(retierOptions) {
      const scope = scopeOf(retierOptions, true, 'retier()');
      const warmShare = validateUnitInterval(retierOptions.warmShare, 'warmShare', 'neuromem');
      return addQueue.run(() => tiers.retier(scope, warmShare));
    },

    sleep: (sleepOptions) => sleeper.sleep(sleepOptions),
    undoSleep: (runId) => sleeper.undoSleep(runId),
    sleepRuns: () => sleeper.sleepRuns(),

    async resetAdaptation(userId) {
      const id = validateId(userId, 'neuromem', 'userId');
      await adaptations?.reset(id);
      return { message: `Adaptation of user ${id} reset.` };
    },

    async reset() {
      await store.reset();
      adaptations?.clear();
      sessions.clear();
      await tracker?.sync(store);
    },
    async close() {
      await sleeper.close();
      // Saved while the store is still open; a closed store is closed for good, so this runs once.
      if (tracker && !readOnly) await tracker.save(store).catch(() => undefined);
      await store.close();
    },
  };
  return memory;
}

/** The relevance model in use: the shipped one by default, the caller's (checked), or none. */
function relevanceGateOf(model: MemoryOptions['relevance']): RelevanceGate | undefined {
  if (model === false) return undefined;
  return createRelevanceGate(model === undefined ? defaultRelevance() : parseRelevanceModel(model, 'options.relevance'));
}

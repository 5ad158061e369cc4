import { createErrorFactory, parseTime, validateId, validateText, validateUnitInterval, type MemoryRecord, type MemoryStore, type Scale } from '@neuromem/core';
import { exportMemories, importMemories, parsePortableLines } from './portable-memories';
import type { SqliteMemoryStore } from '@neuromem/store';
import { feedbackEvent } from './user-adaptations';
import { adaptationEarned } from '@neuromem/controller';
import { factOf, isExpired } from '@neuromem/agents';
import type { Memory } from './memory';

export type { Memory } from './memory';

import { openMemoryParts } from './open-memory-parts';
import { flushBeforeReads } from './flush-before-reads';
import { createScopeChecks } from './scope-checks';
import { createMemorySearch } from './memory-search';
import { createMemoryWrites } from './memory-writes';
import { toHistoryItem, toMemoryItem } from './to-memory-item';
import { listLimit, optionsObject, validateBoolean } from './validate-options';
import type { MemoryItem, MemoryOptions } from './types';

const fail = createErrorFactory('neuromem');

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
  const parts = await openMemoryParts(options);
  const { clock, maxTextChars, store, embedder, retriever, tracker, readOnly, addQueue, adaptations, sessions, tiers, sleeper } = parts;
  const scopes = createScopeChecks(parts);
  const { scopeOf, ownerCheck } = scopes;
  const reads = createMemorySearch({ ...parts, ...scopes });
  const writes = createMemoryWrites({ ...parts, ...scopes });

  const memory: Memory = {
    store,
    embedder,
    add: writes.add,
    search: reads.search,
    context: reads.context,
    prefetch: reads.prefetch,

    async get(memoryId, ids) {
      const id = validateId(memoryId, 'neuromem', 'memoryId');
      const record = await store.get(id, ownerCheck(ids, 'get()'));
      return record && !isExpired(record.metadata, clock.now()) ? toMemoryItem(record) : null;
    },

    async getAll(getAllOptions) {
      const scope = scopeOf(getAllOptions, true, 'getAll()');
      const limit = listLimit(getAllOptions);
      const withFacts = getAllOptions.facts === undefined ? false : validateBoolean(getAllOptions.facts, 'facts');
      const now = clock.now();
      const shown = (record: MemoryRecord) => !isExpired(record.metadata, now) && (withFacts || factOf(record) === undefined);
      if (limit === undefined) return { results: (await store.list({ scope, order: 'eventTime-asc' })).filter(shown).map(toMemoryItem) };
      // Pages until `limit` are shown: expired memories and facts left out must not shorten the list.
      const results: MemoryItem[] = [];
      const page = Math.max(limit, 100);
      for (let offset = 0; results.length < limit; offset += page) {
        const records = await store.list({ scope, order: 'eventTime-asc', limit: page, offset });
        results.push(...records.filter(shown).map(toMemoryItem));
        if (records.length < page) break;
      }
      return { results: results.slice(0, limit) };
    },

    update: writes.update,
    delete: writes.delete,
    deleteAll: writes.deleteAll,

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
      const named = await store.get(id, { scope });
      if (!named) throw notFound();
      // A consolidated fact is never retrieved itself (context() shows it for its versions): what
      // helped is its current statement, which is what the ranking can learn to find.
      const fact = factOf(named);
      const judged = fact ? await store.get(fact.current, { scope }) : named;
      if (!judged) throw notFound();
      const state = await adaptations.learn(scope.userId, (personalization) =>
        feedbackEvent(retriever, { memoryId: judged.id, query: text, useful: input.useful, scope, referenceTime }, personalization),
      );
      if (!state) throw notFound();
      // A cold memory that helped earns its vectors back.
      if (input.useful) await tiers.promote(judged);
      return { message: 'Feedback learned.', interactions: state.interactions, adapted: adaptationEarned(state.trackRecord) };
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
      await parts.annotator.release();
      // Saved while the store is still open; a closed store is closed for good, so this runs once.
      if (tracker && !readOnly) await tracker.save(store).catch(() => undefined);
      await store.close();
    },
  };
  return parts.pendingAdds ? flushBeforeReads(memory, { adds: parts.pendingAdds, accesses: parts.pendingAccesses }) : memory;
}

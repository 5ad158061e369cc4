import { createErrorFactory, parseTime, validateId, validateKind, validateMetadata, validateUnitInterval, type MemoryKind } from '@neuromem/core';
import { annotateMemory } from '@neuromem/retrieval';
import { createTimeOrderedId } from '@neuromem/store';
import { deleteFacts, EXPIRES_AT, factsMadeFrom, parseExpiry } from '@neuromem/agents';
import type { Memory } from './memory';
import type { MemoryParts } from './open-memory-parts';
import type { ScopeChecks } from './scope-checks';
import { normalizeMessages } from './normalize-messages';
import { journaledItem, toMemoryItem } from './to-memory-item';
import { keepsTokens, storedTokens } from './stored-tokens';
import type { JournaledAdd } from './add-journal';
import { validateBoolean, validateUpdate } from './validate-options';

const fail = createErrorFactory('neuromem');

/** What the write path of a memory reads and updates. */
export type MemoryWritesContext = Pick<MemoryParts, 'clock' | 'maxTextChars' | 'store' | 'embedder' | 'addQueue' | 'sessions' | 'tracker' | 'adaptations' | 'sleeper' | 'storeAdds' | 'pendingAdds'> &
  ScopeChecks;

/** `add()`, `update()`, `delete()` and `deleteAll()`: every call checked in full before anything is written. */
export function createMemoryWrites({
  clock,
  maxTextChars,
  store,
  embedder,
  addQueue,
  sessions,
  tracker,
  adaptations,
  sleeper,
  storeAdds,
  pendingAdds,
  scopeOf,
  ownerCheck,
}: MemoryWritesContext): Pick<Memory, 'add' | 'update' | 'delete' | 'deleteAll'> {
  // Journaled adds name their memories before the store sees them: the store's own kind of id (time-ordered).
  const newId = createTimeOrderedId(() => clock.now());
  return {
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
      const add = { scope, turns, ...(importance !== undefined ? { importance } : {}), ...(kind !== undefined ? { kind } : {}) };
      if (pendingAdds && turns.length > 0) {
        // Write-behind: durable once journaled, indexed when the process idles (or by the next read).
        const entry: JournaledAdd = { ...add, ids: turns.map(() => newId()) };
        await pendingAdds.add(entry);
        sleeper.active();
        return { results: entry.turns.map((turn, i) => ({ ...journaledItem(entry.ids[i]!, scope, turn, now), event: 'ADD' as const })) };
      }
      return addQueue.run(async () => {
        const records = await storeAdds([add]);
        sleeper.active();
        return { results: records.map((record) => ({ ...toMemoryItem(record), event: 'ADD' as const })) };
      });
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
        // A consolidated fact made from this memory quotes it and shares its expiry: it goes, the
        // next sleep makes it again from what the memory says now.
        const facts = await factsMadeFrom(store, id, owner);
        if (text === undefined) {
          // Metadata only: the text, its vectors and its session context stay as they are.
          await store.update(id, { metadata: metadata! }, owner);
          await deleteFacts(store, facts, owner);
          sleeper.active();
          return { message: 'Memory updated successfully!' };
        }
        // An edited memory is embedded on its own: its session context was about the old text.
        const {
          turns: [embedded],
        } = await embedder.embedSession([text], { tokens: keepsTokens(embedder, store) });
        const { entities } = annotateMemory(text, { eventTime: current.eventTime });
        await store.update(id, { text, entities, vectors: embedded!.vectors, ...storedTokens(embedder, store, embedded!.tokens), ...(metadata ? { metadata } : {}) }, owner);
        await deleteFacts(store, facts, owner);
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
        // What was deleted must not live on in a fact made from it.
        const facts = current ? await factsMadeFrom(store, id, owner) : [];
        await store.delete(id, owner);
        await deleteFacts(store, facts, owner);
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
  };
}

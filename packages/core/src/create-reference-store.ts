import { createHash, randomUUID } from 'node:crypto';
import { systemClock, type Clock } from './clock';
import { createErrorFactory } from './errors';
import { inScope } from './in-scope';
import type { Edge, HistoryEntry, MemoryRecord, Scale, Scope } from './memory';
import { ENTITY_LINKS_PER_MENTION, type MemoryStore, type Neighbor, type ScopeCheck } from './memory-store';
import { parseUserState, serializeUserState, validateUserStateKey } from './user-state';
import { normalizeBatch, normalizePatch, normalizeVectors, type ValidMemory } from './store-input';
import { arrayArgument, matchesFilter, queryObject, validateEdge, validateEdgeKey, validateFilter, validateListQuery, validateNeighborQuery, validateScales } from './store-queries';
import { parseTime, validateId, validatePositiveInt, validateScale, validateScope, validateVector } from './validate';
import { dot } from './vector-math';

const fail = createErrorFactory('store');

interface Entry {
  versions: MemoryRecord[];
  /** Null once deleted. */
  current: MemoryRecord | null;
  vectors: Map<Scale, Float32Array>;
  entities: string[];
  seq: number;
  session: string | null;
}

/**
 * The `MemoryStore` contract in its plainest form: everything in maps, every search a scan, no
 * optional capability. It documents the contract (each method is the rule, in a few lines) and passes
 * `testMemoryStore`; use it in tests and small demos, not for data that must survive the process.
 */
export function createReferenceStore(options: { vectorScales: Partial<Record<Scale, number>>; clock?: Clock; maxTextChars?: number }): MemoryStore {
  const vectorScales = validateScales(options.vectorScales);
  const clock = options.clock ?? systemClock;
  const entries = new Map<string, Entry>();
  const sessions = new Map<string, Scope>();
  const edges = new Map<string, Edge>();
  const log: HistoryEntry[] = [];
  // Kept as JSON text, as a durable store would: a caller's later change to its object changes nothing here.
  const userStates = new Map<string, string>();
  let seq = 0;
  let closed = false;

  const open = () => {
    if (closed) throw fail('CLOSED', 'this store was closed; create a new one.');
  };
  const checked = (check: ScopeCheck | undefined): Scope | undefined => {
    const scope = validateScope(queryObject(check, 'options').scope, { module: 'store' });
    return Object.keys(scope).length === 0 ? undefined : scope;
  };
  /** A memory's owner is its last version's scope (deleted ones too); purged memories have none. */
  const ownerOf = (id: string): Scope | undefined => sessions.get(id) ?? entries.get(id)?.versions.at(-1)?.scope;
  const owned = (id: string, scope: Scope | undefined) => scope === undefined || (ownerOf(id) !== undefined && inScope(ownerOf(id)!, scope));
  const live = (id: string) => sessions.has(id) || entries.get(id)?.current != null;
  /** The current record, or NOT_FOUND exactly as for an unknown id (so another owner's ids cannot be probed). */
  const requireCurrent = (id: string, scope: Scope | undefined): Entry => {
    const entry = entries.get(validateId(id, 'store'));
    if (!entry?.current || !owned(id, scope)) throw fail('NOT_FOUND', `no current memory with id ${id}; it was never stored, or it was deleted.`, { details: { id } });
    return entry;
  };
  const idsIn = (ids: readonly string[], check: ScopeCheck | undefined) => {
    const scope = checked(check);
    return arrayArgument(ids, 'ids')
      .map((id) => validateId(id, 'store'))
      .filter((id) => entries.get(id)?.current && owned(id, scope));
  };
  let logged = 0;
  const record = (at: number, id: string, event: HistoryEntry['event'], version: number, previousText: string | null, text: string | null) =>
    log.push({ seq: ++logged, memoryId: id, event, version, previousText, text, at });
  const addEdge = (edge: Edge) => edges.set(`${edge.from}\u0000${edge.to}\u0000${edge.type}`, edge);

  function insert(memory: ValidMemory, now: number): MemoryRecord {
    const { vectors, tokens: _tokens, sessionVector: _session, entities, causalCue, ...fields } = memory;
    const current: MemoryRecord = { ...fields, version: 1, createdAt: now, validFrom: now, validTo: null, accessCount: 0, lastAccessedAt: null, hash: sha256(memory.text) };
    const owner = JSON.stringify([memory.scope.userId, memory.scope.agentId]);
    const session = memory.scope.sessionId === undefined ? null : `session:${sha256(JSON.stringify([owner, memory.scope.sessionId])).slice(0, 24)}`;
    // Structure the store links itself: the session's previous turn, then owners' earlier mentions.
    const previous = [...entries].filter(([, e]) => e.current && e.session !== null && e.session === session).at(-1)?.[0];
    const mentions = entities.map((entity) =>
      [...entries].filter(([, e]) => e.current && e.entities.includes(entity) && JSON.stringify([e.current.scope.userId, e.current.scope.agentId]) === owner).slice(-ENTITY_LINKS_PER_MENTION),
    );
    entries.set(memory.id, { versions: [current], current, vectors: new Map(vectors), entities, seq: ++seq, session });
    record(now, memory.id, 'ADD', 1, null, memory.text);
    if (session !== null) {
      if (!sessions.has(session)) sessions.set(session, { ...memory.scope });
      addEdge({ from: memory.id, to: session, type: 'part_of', weight: 1, label: null, createdAt: now });
      if (previous !== undefined) {
        addEdge({ from: previous, to: memory.id, type: 'next', weight: 1, label: null, createdAt: now });
        if (causalCue) {
          const [from, to] = causalCue.direction === 'consequence' ? [previous, memory.id] : [memory.id, previous];
          addEdge({ from, to, type: 'causes', weight: causalCue.weight, label: 'cue', createdAt: now });
        }
      }
    }
    entities.forEach((entity, i) => mentions[i]!.forEach(([other]) => addEdge({ from: memory.id, to: other, type: 'same_entity', weight: 1, label: entity, createdAt: now })));
    return current;
  }

  function tombstone(entry: Entry, now: number): void {
    const current = entry.current!;
    entry.versions[entry.versions.length - 1] = { ...current, validTo: now };
    entry.current = null;
    entry.vectors.clear();
    record(now, current.id, 'DELETE', current.version, current.text, null);
  }

  return {
    specVersion: 'neuromem.store/v2',
    capabilities: {
      persistent: false,
      textSearch: false,
      graphActivation: false,
      sessionSearch: false,
      tokenVectors: false,
      batchNeighbors: false,
      neighborIds: false,
      userState: true,
      vectorTiers: true,
      compaction: false,
      userStateSwap: true,
    },
    vectorScales,

    async put(items) {
      open();
      const now = clock.now();
      const batch = normalizeBatch(items, { vectorScales, maxTextChars: options.maxTextChars ?? 100_000, now, generateId: randomUUID });
      // Checked before anything is written, so the batch lands whole or not at all.
      const taken = batch.find((memory) => entries.has(memory.id));
      if (taken) throw fail('CONFLICT', `a memory with id ${taken.id} already exists; use update() to change it.`, { details: { id: taken.id } });
      return batch.map((memory) => insert(memory, now));
    },
    async get(id, getOptions = {}) {
      open();
      const entry = entries.get(validateId(id, 'store'));
      if (!entry || !owned(id, checked(getOptions))) return null;
      if (getOptions.asOf === undefined) return entry.current;
      const at = parseTime(getOptions.asOf, { field: 'asOf', module: 'store' });
      return entry.versions.find((v) => v.validFrom <= at && (v.validTo === null || v.validTo > at)) ?? null;
    },
    async getMany(ids, check) {
      open();
      return idsIn(ids, check).map((id) => entries.get(id)!.current!);
    },
    async update(id, patch, check) {
      open();
      const entry = requireCurrent(id, checked(check));
      const valid = normalizePatch(patch, { vectorScales, maxTextChars: options.maxTextChars ?? 100_000 });
      const current = entry.current!;
      const text = valid.text ?? current.text;
      const stale = [...entry.vectors.keys()].filter((scale) => !valid.vectors.some(([given]) => given === scale));
      if (text !== current.text && stale.length > 0)
        throw fail('INVALID_INPUT', `the text changed but no new vector was given for scale(s) ${stale.join(', ')}; pass patch.vectors for the new text.`, { details: { id, scales: stale } });
      const now = clock.now();
      const next: MemoryRecord = {
        ...current,
        text,
        hash: sha256(text),
        version: current.version + 1,
        validFrom: now,
        validTo: null,
        ...(valid.importance !== undefined ? { importance: valid.importance } : {}),
        ...(valid.metadata ? { metadata: valid.metadata } : {}),
        ...(valid.kind ? { kind: valid.kind } : {}),
      };
      entry.versions[entry.versions.length - 1] = { ...current, validTo: now };
      entry.versions.push(next);
      entry.current = next;
      for (const [scale, vector] of valid.vectors) entry.vectors.set(scale, vector);
      // Keys describe a text: new text without new keys keeps none.
      if (text !== current.text || valid.entities) entry.entities = valid.entities ?? [];
      record(now, id, 'UPDATE', next.version, current.text, text);
      return next;
    },
    async delete(id, check) {
      open();
      tombstone(requireCurrent(id, checked(check)), clock.now());
    },
    async deleteWhere(filter) {
      open();
      const valid = validateFilter(queryObject(filter, 'deleteWhere() filter (pass {} to delete every memory)', false));
      const now = clock.now();
      const matching = [...entries.values()].filter((entry) => entry.current && matchesFilter(entry.current, valid));
      matching.forEach((entry) => tombstone(entry, now));
      return matching.length;
    },
    async purge(id, check) {
      open();
      const entry = entries.get(validateId(id, 'store'));
      if (!entry || !owned(id, checked(check))) throw fail('NOT_FOUND', `no memory with id ${id} to purge.`, { details: { id } });
      entries.delete(id);
      for (const [key, edge] of edges) if (edge.from === id || edge.to === id) edges.delete(key);
      const kept = log.filter((event) => event.memoryId !== id);
      log.splice(0, log.length, ...kept);
      record(clock.now(), id, 'PURGE', entry.versions.at(-1)!.version, null, null);
    },
    async history(id, check) {
      open();
      validateId(id, 'store');
      const scope = checked(check);
      return scope !== undefined && (!entries.has(id) || !owned(id, scope)) ? [] : log.filter((event) => event.memoryId === id);
    },
    async list(query = {}) {
      open();
      const valid = validateListQuery(query);
      const filter = validateFilter(valid);
      const at = valid.asOf === undefined ? undefined : parseTime(valid.asOf, { field: 'asOf', module: 'store' });
      const limit = valid.limit === undefined ? Infinity : validatePositiveInt(valid.limit, 'limit', 1_000_000, 'store');
      const offset = valid.offset === undefined || valid.offset === 0 ? 0 : validatePositiveInt(valid.offset, 'offset', Number.MAX_SAFE_INTEGER, 'store');
      const records = [...entries.values()]
        .map((entry) => (at === undefined ? entry.current : entry.versions.find((v) => v.validFrom <= at && (v.validTo === null || v.validTo > at))))
        .filter((r): r is MemoryRecord => r != null && matchesFilter(r, filter));
      // Sorting is stable: equal event times keep write order (newest first when descending).
      if (valid.order === 'eventTime-desc') records.reverse().sort((a, b) => b.eventTime - a.eventTime);
      else if (valid.order !== 'written-asc') records.sort((a, b) => a.eventTime - b.eventTime);
      if (valid.after !== undefined) {
        // Maps keep insertion order: the memories written after the cursor's.
        if (!entries.has(valid.after)) throw fail('INVALID_INPUT', `after names no stored memory (${valid.after}); pass the last id of the previous page.`, { details: { field: 'after' } });
        const written = [...entries.keys()];
        const cursor = written.indexOf(valid.after);
        const later = new Set(written.slice(cursor + 1));
        return records.filter((record) => later.has(record.id)).slice(offset, offset + limit);
      }
      return records.slice(offset, offset + limit);
    },
    async count(filter = {}) {
      open();
      const valid = validateFilter(filter);
      return [...entries.values()].filter((entry) => entry.current && matchesFilter(entry.current, valid)).length;
    },
    async searchVectors(query) {
      open();
      queryObject(query, 'searchVectors() query', false);
      const scale = validateScale(query.scale, 'store');
      if (vectorScales[scale] === undefined || scale === 'session' || scale === 'token')
        throw fail(
          'INVALID_INPUT',
          `searchVectors searches memories at ${Object.keys(vectorScales)
            .filter((s) => s !== 'session' && s !== 'token')
            .join(', ')}.`,
        );
      const vector = validateVector(query.vector, vectorScales[scale]!, { field: 'query.vector', module: 'store' });
      const k = validatePositiveInt(query.k, 'k', 10_000, 'store');
      const filter = validateFilter(query.filter);
      const norm = Math.sqrt(dot(vector, vector)) || 1;
      return [...entries.values()]
        .filter((entry) => entry.current && entry.vectors.has(scale) && matchesFilter(entry.current, filter))
        .map((entry) => ({ record: entry.current!, similarity: dot(vector, entry.vectors.get(scale)!) / norm }))
        .sort((a, b) => b.similarity - a.similarity)
        .slice(0, k);
    },
    async vectors(ids, scale, check) {
      open();
      const valid = validateScale(scale, 'store');
      if (vectorScales[valid] === undefined) throw fail('INVALID_INPUT', `this store keeps no ${valid} vectors; it has ${Object.keys(vectorScales).join(', ')}.`);
      return new Map(idsIn(ids, check).flatMap((id) => (entries.get(id)!.vectors.has(valid) ? [[id, entries.get(id)!.vectors.get(valid)!] as const] : [])));
    },
    async entities(ids, check) {
      open();
      return new Map(idsIn(ids, check).map((id) => [id, [...entries.get(id)!.entities]]));
    },
    async link(given) {
      open();
      const now = clock.now();
      const valid = arrayArgument(given, 'edges').map((edge, i) => validateEdge(edge, i, now));
      const missing = valid.flatMap((edge) => [edge.from, edge.to]).find((end) => !live(end));
      if (missing !== undefined) throw fail('NOT_FOUND', `${missing} is not a current memory or session.`, { details: { id: missing } });
      valid.forEach(addEdge);
    },
    async unlink(given) {
      open();
      const keys = arrayArgument(given, 'edges').map((edge, i) => validateEdgeKey(edge, i));
      return keys.filter((edge) => edges.delete(`${edge.from}\u0000${edge.to}\u0000${edge.type}`)).length;
    },
    async edges(id, check) {
      open();
      validateId(id, 'store');
      const scope = checked(check);
      if (!owned(id, scope)) return [];
      return [...edges.values()].filter((edge) => (edge.from === id || edge.to === id) && owned(edge.from === id ? edge.to : edge.from, scope));
    },
    async neighbors(id, query = {}) {
      open();
      validateId(id, 'store');
      const scope = checked(query);
      if (!live(id) || !owned(id, scope)) throw fail('NOT_FOUND', `${id} is not a current memory or session.`, { details: { id } });
      const { types, depth = 1, direction = 'both', limit = 100 } = validateNeighborQuery(query);
      const found: Neighbor[] = [];
      const seen = new Set([id]);
      let frontier = [id];
      // Breadth-first over live edges of the asked types, never through a node outside the scope.
      for (let level = 1; level <= depth && frontier.length > 0 && found.length < limit; level++) {
        const next: string[] = [];
        for (const node of frontier) {
          for (const edge of edges.values()) {
            const other = edge.from === node && direction !== 'in' ? edge.to : edge.to === node && direction !== 'out' ? edge.from : undefined;
            if (other === undefined || seen.has(other) || !live(other) || !owned(other, scope) || (types && !types.includes(edge.type)) || found.length >= limit) continue;
            seen.add(other);
            found.push({ id: other, node: sessions.has(other) ? 'session' : 'memory', depth: level, via: edge });
            next.push(other);
          }
        }
        frontier = next;
      }
      return found;
    },
    async recordAccess(ids) {
      open();
      const now = clock.now();
      for (const id of arrayArgument(ids, 'ids')) {
        const entry = typeof id === 'string' ? entries.get(id) : undefined;
        if (!entry?.current) continue;
        entry.current = { ...entry.current, accessCount: entry.current.accessCount + 1, lastAccessedAt: now };
        entry.versions[entry.versions.length - 1] = entry.current;
      }
    },
    async stats() {
      open();
      const current = [...entries.values()].filter((entry) => entry.current);
      const vectors: Partial<Record<Scale, number>> = {};
      for (const entry of current) for (const scale of entry.vectors.keys()) vectors[scale] = (vectors[scale] ?? 0) + 1;
      return { memories: current.length, sessions: sessions.size, edges: edges.size, historyEvents: log.length, vectors, bytesOnDisk: 0 };
    },
    async setVectors(id, vectors, check) {
      open();
      const valid = vectors === null ? [] : normalizeVectors(vectors, vectorScales, 'vectors');
      requireCurrent(id, checked(check)).vectors = new Map(valid);
    },
    async readUserState(userId, key) {
      open();
      validateUserStateKey(userId, key);
      const json = userStates.get(JSON.stringify([userId, key]));
      return json === undefined ? null : parseUserState(json, userId, key);
    },
    async writeUserState(userId, key, value) {
      open();
      const json = serializeUserState(userId, key, value);
      if (json === null) userStates.delete(JSON.stringify([userId, key]));
      else userStates.set(JSON.stringify([userId, key]), json);
    },
    async swapUserState(userId, key, expected, next) {
      open();
      const was = serializeUserState(userId, key, expected);
      const json = serializeUserState(userId, key, next);
      const id = JSON.stringify([userId, key]);
      if ((userStates.get(id) ?? null) !== was) return false;
      if (json === null) userStates.delete(id);
      else userStates.set(id, json);
      return true;
    },
    async reset() {
      open();
      userStates.clear();
      entries.clear();
      sessions.clear();
      edges.clear();
      log.length = 0;
    },
    async close() {
      closed = true;
    },
  };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

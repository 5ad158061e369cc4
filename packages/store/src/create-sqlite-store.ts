import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  createErrorFactory,
  createSerialQueue,
  inScope,
  parseTime,
  validateId,
  validatePositiveInt,
  validateScale,
  validateScope,
  validateVector,
  arrayArgument,
  normalizeBatch,
  normalizePatch,
  normalizeVectors,
  queryObject,
  validateEdge,
  validateEdgeKey,
  validateListQuery,
  type Scope,
  type ScopeCheck,
} from '@neuromem/core';
import type { OpenReport } from './derived-indexes';
import { openSqliteParts } from './open-sqlite-parts';
import type { SqliteMemoryStore, SqliteStoreOptions } from './sqlite-store-options';

export type { OpenReport, SqliteMemoryStore, SqliteStoreOptions };
import { createGraphReads } from './graph-reads';
import { compactDatabase } from './compact-database';
import { createIdPrefixLookup } from './id-prefix-lookup';
import { readOnlyWrites } from './read-only-writes';

import { createSqliteUserState } from './sqlite-user-state';
import { storageBreakdown } from './storage-breakdown';
import { storageFailure, withStorageErrors } from './storage-error';
import { resolveSqliteStoreOptions } from './resolve-sqlite-store-options';
import { createStoreWrite } from './store-write';

const fail = createErrorFactory('store');

/** Opens the temporal-causal store: SQLite is the truth (graph included), the usearch indexes are derived from it. */
export async function createSqliteStore(options: SqliteStoreOptions): Promise<SqliteMemoryStore> {
  const resolved = resolveSqliteStoreOptions(options);
  const { clock, vectorScales, exactScanLimit, maxTextChars, generateId, directory, durability, readOnly } = resolved;

  const { db, lock, writes, reads, walFolder, derived, report } = await openSqliteParts(options, resolved);

  const queue = createSerialQueue();
  let closed = false;
  const { graph } = derived;
  const userState = createSqliteUserState({ db, queue, ensureOpen: () => ensureOpen(), foldWal: () => walFolder.afterCommit() });
  const idsStartingWith = createIdPrefixLookup(db, (id) => reads.ownerOf(id));

  /**
   * Read-only: SQLite's count of other connections' commits, seen last; a change makes the caches
   * stale. Asked before every read (~45 times in a search), so prepared once: `db.pragma()`
   * compiles its statement each time (8 -> 4.5 µs a call).
   */
  const dataVersion = readOnly ? db.prepare<[], number>('PRAGMA data_version').pluck() : undefined;
  let seenVersion = dataVersion?.get();
  const ensureOpen = () => {
    if (closed) throw fail('CLOSED', 'this store was closed; open a new one with createSqliteStore().');
    if (!dataVersion) return;
    const version = dataVersion.get();
    if (version === seenVersion) return;
    // The writer committed: rows are read fresh anyway; what was derived from them is read again.
    seenVersion = version;
    graph.clear();
    reads.forgetSegments();
    derived.forget();
  };

  /** The scope a by-id call checks, or undefined when it checks nothing. */
  const checkedScope = (check: ScopeCheck | undefined): Scope | undefined => {
    const scope = validateScope(check?.scope, { module: 'store' });
    return Object.keys(scope).length === 0 ? undefined : scope;
  };
  /** Whether a memory (current or deleted) or session lies inside the scope; unknown and purged ids never do. */
  const owned = (id: string, scope: Scope): boolean => {
    const owner = reads.ownerOf(id);
    return owner !== null && inScope(owner, scope);
  };
  /** The valid ids, less those outside the scope (which are then absent from the answer, as unknown ids are). */
  const scopedIds = (ids: readonly string[], check: ScopeCheck | undefined): string[] => {
    const valid = arrayArgument(ids, 'ids').map((id) => validateId(id, 'store'));
    const scope = checkedScope(check);
    return scope === undefined ? valid : reads.currentIdsIn(valid, scope);
  };

  const graphReads = createGraphReads({ graph, ensureOpen, checkedScope, owned, edgesOf: (id) => reads.edgesOf(id) });

  const write = createStoreWrite({ db, writes, walFolder, derived, queue, clock, durability, ensureOpen });

  const store: SqliteMemoryStore = {
    specVersion: 'neuromem.store/v2',
    capabilities: {
      persistent: directory !== undefined,
      textSearch: true,
      graphActivation: true,
      sessionSearch: true,
      tokenVectors: true,
      batchNeighbors: true,
      neighborIds: true,
      userState: true,
      vectorTiers: true,
      compaction: true,
      userStateSwap: true,
    },
    vectorScales,
    openReport: report,
    repairs: derived.repairs,
    readOnly,

    async put(items) {
      return write((now, changes) => normalizeBatch(items, { vectorScales, maxTextChars, now, generateId }).map((memory) => writes.insert(memory, now, changes)));
    },

    async get(id, getOptions = {}) {
      ensureOpen();
      validateId(id, 'store');
      queryObject(getOptions, 'get() options');
      const scope = checkedScope(getOptions);
      const record = getOptions.asOf === undefined ? reads.current(id) : reads.asOf(id, parseTime(getOptions.asOf, { field: 'asOf', module: 'store' }));
      return record && inScope(record.scope, scope) ? record : null;
    },

    async getMany(ids, check) {
      ensureOpen();
      const scope = checkedScope(check);
      return reads.currentMany(arrayArgument(ids, 'ids').map((id) => validateId(id, 'store'))).filter((record) => inScope(record.scope, scope));
    },

    async update(id, patch, check) {
      validateId(id, 'store');
      const scope = checkedScope(check);
      const valid = normalizePatch(patch, { vectorScales, maxTextChars });
      return write((now, changes) => writes.update(id, valid, now, changes, scope));
    },

    async delete(id, check) {
      validateId(id, 'store');
      const scope = checkedScope(check);
      return write((now, changes) => writes.tombstone(id, now, changes, scope));
    },

    async deleteWhere(filter) {
      queryObject(filter, 'deleteWhere() filter (pass {} to delete every memory)', false);
      return write((now, changes) => {
        const ids = reads.currentIds(filter);
        for (const id of ids) writes.tombstone(id, now, changes);
        return ids.length;
      });
    },

    async purge(id, check) {
      validateId(id, 'store');
      const scope = checkedScope(check);
      return write((now, changes) => writes.purge(id, now, changes, scope));
    },

    async history(id, check) {
      ensureOpen();
      validateId(id, 'store');
      const scope = checkedScope(check);
      return scope === undefined || owned(id, scope) ? reads.history(id) : [];
    },

    async list(query = {}) {
      ensureOpen();
      return reads.list(validateListQuery(query));
    },

    async count(filter = {}) {
      ensureOpen();
      return reads.count(filter);
    },

    async searchVectors(query) {
      ensureOpen();
      queryObject(query, 'searchVectors() query', false);
      const scale = validateScale(query.scale, 'store');
      if (!derived.scales().includes(scale) || scale === 'session')
        throw fail(
          'INVALID_INPUT',
          `searchVectors searches memories at ${derived
            .scales()
            .filter((s) => s !== 'session')
            .join(', ')}; use searchSessions for sessions.`,
        );
      const vector = validateVector(query.vector, vectorScales[scale]!, { field: 'query.vector', module: 'store' });
      const k = validatePositiveInt(query.k, 'k', 10_000, 'store');
      return reads.searchVectors({ scale, vector, k, filter: query.filter ?? {}, index: () => derived.index(scale)!, exactScanLimit });
    },

    async searchSessions(query) {
      ensureOpen();
      queryObject(query, 'searchSessions() query', false);
      if (!derived.scales().includes('session')) throw fail('INVALID_INPUT', 'this store indexes no sessions; open it with vectorScales.session.');
      const vector = validateVector(query.vector, vectorScales.session!, { field: 'query.vector', module: 'store' });
      const k = validatePositiveInt(query.k, 'k', 10_000, 'store');
      return reads.searchSessions({ vector, k, scope: validateScope(query.scope, { module: 'store' }), index: () => derived.index('session')!, exactScanLimit });
    },

    async searchText(query) {
      ensureOpen();
      if (typeof query?.text !== 'string') throw fail('INVALID_INPUT', 'query.text must be a string.');
      const k = validatePositiveInt(query.k, 'k', 10_000, 'store');
      return reads.searchText({ text: query.text.slice(0, MAX_TEXT_QUERY_CHARS), k, filter: query.filter ?? {} });
    },

    async vectors(ids, scale, check) {
      ensureOpen();
      const valid = validateScale(scale, 'store');
      if (!derived.scales().includes(valid)) throw fail('INVALID_INPUT', `this store keeps no ${valid} vectors; it has ${Object.keys(vectorScales).join(', ')}.`);
      return reads.vectorsOf(scopedIds(ids, check), valid);
    },

    async tokenVectors(ids, check) {
      ensureOpen();
      return reads.tokenVectors(scopedIds(ids, check));
    },

    async link(edges) {
      const now = clock.now();
      const valid = arrayArgument(edges, 'edges').map((edge, i) => validateEdge(edge, i, now));
      return write((_now, changes) => {
        for (const edge of valid) {
          for (const end of [edge.from, edge.to]) {
            if (!reads.nodeExists(end)) throw fail('NOT_FOUND', `edges[].${end === edge.from ? 'from' : 'to'} ${end} is not a current memory or session.`, { details: { id: end } });
          }
          writes.link(edge, changes);
        }
      });
    },

    async unlink(edges) {
      const valid = arrayArgument(edges, 'edges').map((edge, i) => validateEdgeKey(edge, i));
      let removed = 0;
      await write((_now, changes) => {
        for (const edge of valid) if (writes.unlink(edge, changes)) removed++;
      });
      return removed;
    },

    ...graphReads,

    async entities(ids, check) {
      ensureOpen();
      return reads.entitiesOf(scopedIds(ids, check));
    },

    async recordAccess(ids) {
      arrayArgument(ids, 'ids');
      return queue.run(() => {
        ensureOpen();
        try {
          reads.recordAccess(ids, clock.now(), durability);
        } catch (error) {
          // Access counts only weigh ranking: a full disk must not stop searches, which record them.
          if ((error as { code?: unknown }).code !== 'SQLITE_FULL') throw error;
        }
        walFolder.afterCommit();
      });
    },

    async setVectors(id, vectors, check) {
      validateId(id, 'store');
      const scope = checkedScope(check);
      const valid = vectors === null ? [] : normalizeVectors(vectors, vectorScales, 'vectors');
      return write((_now, changes) => writes.setVectors(id, valid, changes, scope), { derivedOnly: true });
    },

    ...userState,

    async stats() {
      ensureOpen();
      return { ...reads.stats(), bytesOnDisk: directory === undefined ? 0 : directorySize(directory) };
    },

    async storageBreakdown() {
      ensureOpen();
      return storageBreakdown(db, directory);
    },

    async idsStartingWith(prefix, query = {}) {
      ensureOpen();
      if (typeof prefix !== 'string' || prefix === '') throw fail('INVALID_INPUT', `prefix must be a non-empty string, got ${JSON.stringify(prefix)}.`, { details: { field: 'prefix' } });
      queryObject(query, 'idsStartingWith() options');
      const scope = checkedScope(query);
      const limit = query.limit === undefined ? 10 : validatePositiveInt(query.limit, 'limit', 10_000, 'store');
      return idsStartingWith(prefix, { ...(scope ? { scope } : {}), includeDeleted: query.includeDeleted === true, limit });
    },

    async reset() {
      return queue.run(async () => {
        ensureOpen();
        db.transaction(() => reads.clearAll())();
        await derived.reset();
      });
    },

    async compact() {
      return queue.run(async () => {
        ensureOpen();
        const bytes = () => (directory === undefined ? 0 : directorySize(directory));
        const bytesBefore = bytes();
        await derived.flush();
        let rewritten: boolean;
        try {
          rewritten = compactDatabase(db);
        } catch (error) {
          throw storageFailure(error, 'compacting the database');
        }
        return { bytesBefore, bytesAfter: bytes(), rewritten };
      });
    },

    async flush() {
      return queue.run(async () => {
        ensureOpen();
        await derived.flush();
      });
    },

    async loadIndexes() {
      return queue.run(async () => {
        ensureOpen();
        await derived.loadAll();
        return report;
      });
    },

    async verifyIndexes() {
      return queue.run(async () => {
        ensureOpen();
        return derived.verify();
      });
    },

    async close() {
      return queue.run(async () => {
        if (closed) return;
        try {
          await derived.flush(); // a read-only store's saves nothing
        } catch (error) {
          const reason = (error as Error).message.replace(/^\[neuromem\](?: \[[^\]]+\])? /, '');
          throw fail(
            'STORAGE',
            `close() could not save the vector index snapshots (${reason}). Nothing is lost: memory.db is complete and closed, and the next open brings the indexes up to date from it; if the disk is full, free some space first.`,
            { cause: error },
          );
        } finally {
          closed = true;
          walFolder.stop();
          await derived.close();
          db.close();
          // The caches (the segments' slab alone may hold the cache budget) go now, even if the
          // caller keeps the store object.
          reads.clear();
          graph.clear();
          lock?.release();
        }
      });
    },
  };
  if (readOnly) Object.assign(store, readOnlyWrites(store));
  // The boundary: whatever SQLite or the file system throws inside a method leaves it as STORAGE.
  return withStorageErrors(store, (method) => `store.${method}()`);
}

/** Longer lexical queries are cut here: only their first words are used anyway. */
const MAX_TEXT_QUERY_CHARS = 10_000;

function directorySize(directory: string): number {
  let total = 0;
  for (const name of readdirSync(directory)) {
    try {
      total += statSync(join(directory, name)).size;
    } catch {
      // A temp file vanished between listing and stat.
    }
  }
  return total;
}

import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import {
  DEFAULT_MAX_TEXT_CHARS,
  EDGE_TYPES,
  createErrorFactory,
  createSerialQueue,
  describeValue,
  inScope,
  isWellFormed,
  parseTime,
  systemClock,
  validateId,
  validatePositiveInt,
  validateScale,
  validateScope,
  validateUnitInterval,
  validateVector,
  type Clock,
  type Edge,
  type EdgeType,
  type MemoryStore,
  type Scale,
  type Scope,
  type ScopeCheck,
  type VectorIndex,
} from '@neuromem/core';
import { createDerivedVectorIndex, type DerivedVectorIndex, type OpenedIndex, type VectorIndexFactory } from './derived-vector-index';
import { extractEntities } from './extract-entities';
import { createMemoryGraph } from './memory-graph';
import { normalizeBatch, normalizePatch } from './normalize-input';
import { arrayArgument, queryObject, validateListQuery, validateNeighborQuery } from './validate-query';
import { personalizedPageRank } from './personalized-pagerank';
import { acquireProcessLock, type ProcessLock } from './process-lock';
import { createStoreReads } from './store-reads';
import { ensureInstanceId, openDatabase } from './open-database';

import { createUsearchIndex } from './create-usearch-index';
import { createWriteOperations, emptyChanges, type DerivedChanges } from './write-operations';
import { removeLeftoverTempFiles } from './remove-leftover-temp-files';
import { storageFailure, withStorageErrors } from './storage-error';
import { createWalFolder } from './create-wal-folder';

const fail = createErrorFactory('store');

export interface SqliteStoreOptions {
  /** Directory holding `memory.db` and the derived index files; created if missing. Omitted = in-memory. */
  path?: string;
  /** Dimensions per indexed scale, e.g. `{ turn: 384 }`. One vector index is kept per scale. */
  vectorScales: Partial<Record<Scale, number>>;
  /** Source of transaction times. Default: the system clock. */
  clock?: Clock;
  /** Id for memories stored without one. Default: `crypto.randomUUID()`. */
  generateId?: () => string;
  /** Builds each scale's vector index. Default: usearch HNSW (f32, M=16). */
  createIndex?: VectorIndexFactory;
  /** A filtered search scans exactly when at most this many memories pass the filter. Default 2048. */
  exactScanLimit?: number;
  /** Bytes of vectors kept in memory for exact scans of filtered searches (least recently used evicted). Default 64 MiB. */
  vectorCacheBytes?: number;
  /** Snapshot the vector indexes to disk after this many vector changes (and on close). Default 10,000. */
  flushEvery?: number;
  /** `full` fsyncs every commit (survives power loss); `normal` survives process crashes only. Default `full`. */
  durability?: 'full' | 'normal';
  /** Longest memory text accepted. Default 100,000 characters. */
  maxTextChars?: number;
  /**
   * When to run SQLite's `quick_check` on open: `'after-crash'` (default) when the last process did
   * not close cleanly (a non-empty WAL), `'always'`, or `'never'`. A damaged file is refused with
   * `STORAGE` instead of serving wrong answers. It reads the whole file (about 1-2 s per GiB).
   */
  integrityCheck?: 'after-crash' | 'always' | 'never';
}

/** How the store found its derived indexes on open. */
export interface OpenReport {
  vectorIndexes: Partial<Record<Scale, OpenedIndex['recovery']>>;
  graph: { nodes: number; edges: number };
  /** What was repaired on open, in words: rebuilt indexes and why, leftover temporary files removed. Empty when nothing was. */
  repairs: string[];
  /** Set when SQLite's `quick_check` ran on open (see `integrityCheck`): how long it took, in ms. It passed, or the open was refused. */
  integrityCheckMs?: number;
}

export interface SqliteMemoryStore extends MemoryStore {
  readonly openReport: OpenReport;
  /**
   * Checks that every derived index (vectors per scale, graph) agrees with SQLite and returns the
   * disagreements found (empty = consistent). Each index that disagreed is rebuilt from SQLite
   * before this resolves, so it is never saved as it was.
   */
  verifyIndexes(): Promise<string[]>;
  /** Writes the vector index snapshots now. */
  flush(): Promise<void>;
  /** Repairs made since open (an index that drifted or failed verification and was rebuilt), oldest first. */
  readonly repairs: readonly string[];
}

/** Opens the temporal-causal store: SQLite is the truth, usearch and graphology are derived from it. */
export async function createSqliteStore(options: SqliteStoreOptions): Promise<SqliteMemoryStore> {
  const clock = options.clock ?? systemClock;
  const vectorScales = validateScales(options.vectorScales);
  const exactScanLimit = options.exactScanLimit ?? 2048;
  const flushEvery = options.flushEvery ?? 10_000;
  const maxTextChars = options.maxTextChars ?? DEFAULT_MAX_TEXT_CHARS;
  const generateId = options.generateId ?? randomUUID;
  const directory = options.path;
  const durability = options.durability ?? 'full';
  const integrityCheck = options.integrityCheck ?? 'after-crash';
  if (!['full', 'normal'].includes(durability)) throw fail('INVALID_INPUT', `durability must be 'full' or 'normal', got ${JSON.stringify(durability)}.`, { details: { field: 'durability' } });
  if (!['after-crash', 'always', 'never'].includes(integrityCheck)) throw fail('INVALID_INPUT', `integrityCheck must be 'after-crash', 'always' or 'never', got ${JSON.stringify(integrityCheck)}.`, { details: { field: 'integrityCheck' } });

  let lock: ProcessLock | undefined;
  let db: Database;
  let checkedMs: number | undefined;
  try {
    if (directory !== undefined) {
      mkdirSync(directory, { recursive: true });
      lock = acquireProcessLock(directory);
    }
    const opened = openDatabase(directory === undefined ? ':memory:' : join(directory, 'memory.db'), durability, integrityCheck);
    db = opened.db;
    checkedMs = opened.checkedMs;
  } catch (error) {
    lock?.release();
    throw storageFailure(error, `opening the database at ${directory}`);
  }

  let instanceId: string;
  let writes: ReturnType<typeof createWriteOperations>;
  let reads: ReturnType<typeof createStoreReads>;
  let foldWal: () => void;
  try {
    instanceId = ensureInstanceId(db);
    writes = createWriteOperations(db);
    reads = createStoreReads(db, { vectorCacheBytes: options.vectorCacheBytes ?? 64 * 1024 * 1024 });
    foldWal = createWalFolder(db, directory === undefined ? undefined : join(directory, 'memory.db-wal'));
    foldWal(); // opening commits too, and may have checkpointed a WAL recovered from a crash
  } catch (error) {
    db.close();
    lock?.release();
    throw storageFailure(error, `reading the database at ${directory ?? ':memory:'}`);
  }
  const graph = createMemoryGraph();
  const queue = createSerialQueue();
  const derived = new Map<Scale, DerivedVectorIndex>();
  const indexes = new Map<Scale, VectorIndex>();
  const report: OpenReport = { vectorIndexes: {}, graph: { nodes: 0, edges: 0 }, repairs: [], ...(checkedMs === undefined ? {} : { integrityCheckMs: Math.round(checkedMs) }) };
  let closed = false;
  let changesSinceFlush = 0;
  /** Scales whose index differs from the snapshot on disk; only these are saved again. */
  const unsaved = new Set<Scale>();
  /** Repairs made while open (an index that drifted or failed verification), newest last. */
  const repairs: string[] = [];

  try {
    for (const [scale, dimensions] of Object.entries(vectorScales) as Array<[Scale, number]>) {
      if (scale === 'token') continue; // token vectors are re-ranking material, not an ANN index
      const manager = createDerivedVectorIndex({ db, scale, dimensions, directory, instanceId, createIndex: options.createIndex ?? createUsearchIndex });
      const opened = await manager.open();
      derived.set(scale, manager);
      indexes.set(scale, opened.index);
      report.vectorIndexes[scale] = opened.recovery;
      if (opened.recovery !== 'loaded') unsaved.add(scale);
      if (opened.reason) report.repairs.push(`${scale} vector index rebuilt from SQLite: ${opened.reason}`);
      if (opened.completedSave) report.repairs.push(`${scale} vector index: put in place the snapshot whose save a crash interrupted (it matched its recorded checksum)`);
    }
    // After the indexes opened: one of them may have put a saved file that was never renamed in place.
    if (directory !== undefined) {
      const leftovers = removeLeftoverTempFiles(directory);
      if (leftovers.length > 0) report.repairs.push(`removed ${leftovers.length} temporary file(s) left by an interrupted save: ${leftovers.join(', ')}`);
    }
    reads.loadGraph(graph);
    report.graph = { nodes: graph.order(), edges: graph.size() };
  } catch (error) {
    db.close();
    lock?.release();
    throw storageFailure(error, 'rebuilding the derived indexes');
  }

  const ensureOpen = () => {
    if (closed) throw fail('CLOSED', 'this store was closed; open a new one with createSqliteStore().');
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

  /** Commits `work` atomically, then replays its changes on the derived indexes. */
  const write = <T>(work: (now: number, changes: DerivedChanges) => T): Promise<T> =>
    queue.run(async () => {
      ensureOpen();
      const changes = emptyChanges();
      const now = clock.now();
      let result: T;
      try {
        result = db.transaction(() => work(now, changes))();
      } catch (error) {
        throw storageFailure(error, 'the write (rolled back)');
      }
      foldWal();
      await applyDerived(changes);
      return result;
    });

  /**
   * Replays a committed write on the derived indexes. The write is already durable, so an index
   * that fails here is rebuilt from SQLite instead of failing the caller's acknowledged write.
   */
  async function applyDerived(changes: DerivedChanges): Promise<void> {
    for (const [scale, index] of indexes) {
      try {
        const removed = changes.vectorRemovals.filter((r) => r.scale === scale).map((r) => r.key);
        if (removed.length > 0) await index.remove(removed);
        const added = changes.vectorAdds.filter((a) => a.scale === scale);
        if (added.length > 0) await index.add(added.map((a) => a.key), added.map((a) => a.vector));
        if (removed.length > 0 || added.length > 0) unsaved.add(scale);
      } catch (error) {
        await rebuildIndex(scale, (error as Error).message);
      }
    }
    for (const { id, node } of changes.nodesAdded) graph.addNode(id, node);
    for (const edge of changes.edges) graph.upsertEdge(edge);
    for (const id of changes.nodesDropped) graph.dropNode(id);
    changesSinceFlush += changes.vectorAdds.length + changes.vectorRemovals.length;
    // The write is committed: a snapshot that cannot be saved now (full disk) is tried again after
    // another flushEvery changes, and close() reports it.
    if (changesSinceFlush >= flushEvery) await flushIndexes().catch(() => (changesSinceFlush = 0));
  }

  async function flushIndexes(): Promise<void> {
    for (const [scale, manager] of derived) {
      if (!unsaved.has(scale)) continue; // a clean close does not rewrite (and re-hash) an unchanged file
      await manager.flush(indexes.get(scale)!);
      unsaved.delete(scale);
    }
    changesSinceFlush = 0;
  }

  /** Replaces a scale's index by one rebuilt from SQLite; searches keep the old one until it is ready. */
  async function rebuildIndex(scale: Scale, why: string): Promise<void> {
    indexes.set(scale, await derived.get(scale)!.rebuild());
    unsaved.add(scale);
    repairs.push(`${scale} vector index rebuilt from SQLite: ${why}`);
  }

  async function rebuildGraph(): Promise<void> {
    graph.clear();
    reads.loadGraph(graph);
  }

  const store: SqliteMemoryStore = {
    specVersion: 'neuromem.store/v1',
    capabilities: { persistent: directory !== undefined },
    vectorScales,
    openReport: report,
    repairs,

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
      return write((now, changes) => writes.update(id, valid, now, extractEntities, changes, scope));
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
      const index = indexes.get(scale);
      if (!index || scale === 'session') throw fail('INVALID_INPUT', `searchVectors searches memories at ${[...indexes.keys()].filter((s) => s !== 'session').join(', ')}; use searchSessions for sessions.`);
      const vector = validateVector(query.vector, index.dimensions, { field: 'query.vector', module: 'store' });
      const k = validatePositiveInt(query.k, 'k', 10_000, 'store');
      return reads.searchVectors({ scale, vector, k, filter: query.filter ?? {}, index, exactScanLimit });
    },

    async searchSessions(query) {
      ensureOpen();
      queryObject(query, 'searchSessions() query', false);
      const index = indexes.get('session');
      if (!index) throw fail('INVALID_INPUT', 'this store indexes no sessions; open it with vectorScales.session.');
      const vector = validateVector(query.vector, index.dimensions, { field: 'query.vector', module: 'store' });
      const k = validatePositiveInt(query.k, 'k', 10_000, 'store');
      return reads.searchSessions({ vector, k, scope: validateScope(query.scope, { module: 'store' }), index, exactScanLimit });
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
      if (!indexes.has(valid)) throw fail('INVALID_INPUT', `this store keeps no ${valid} vectors; it has ${Object.keys(vectorScales).join(', ')}.`);
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

    async edges(id, check) {
      ensureOpen();
      const edges = reads.edgesOf(validateId(id, 'store'));
      const scope = checkedScope(check);
      if (scope === undefined) return edges;
      return owned(id, scope) ? edges.filter((edge) => owned(edge.from === id ? edge.to : edge.from, scope)) : [];
    },

    async neighbors(id, query = {}) {
      ensureOpen();
      validateId(id, 'store');
      const scope = checkedScope(query);
      const allow = scope === undefined ? undefined : (node: string) => owned(node, scope);
      if (!graph.hasNode(id) || (allow && !allow(id))) throw fail('NOT_FOUND', `${id} is not a current memory or session.`, { details: { id } });
      validateNeighborQuery(query);
      return graph.neighbors(id, query, allow);
    },

    async entities(ids, check) {
      ensureOpen();
      return reads.entitiesOf(scopedIds(ids, check));
    },

    async spreadActivation(seeds, activation = {}) {
      ensureOpen();
      return personalizedPageRank(graph, seeds, activation);
    },

    async recordAccess(ids) {
      arrayArgument(ids, 'ids');
      return queue.run(() => {
        ensureOpen();
        try {
          reads.recordAccess(ids, clock.now(), durability === 'full' ? 'FULL' : 'NORMAL');
        } catch (error) {
          // Access counts only weigh ranking: a full disk must not stop searches, which record them.
          if ((error as { code?: unknown }).code !== 'SQLITE_FULL') throw error;
        }
        foldWal();
      });
    },

    async stats() {
      ensureOpen();
      return { ...reads.stats(), bytesOnDisk: directory === undefined ? 0 : directorySize(directory) };
    },

    async reset() {
      return queue.run(async () => {
        ensureOpen();
        db.transaction(() => reads.clearAll())();
        graph.clear();
        for (const [scale, manager] of derived) {
          await indexes.get(scale)!.close();
          indexes.set(scale, await manager.rebuild());
          unsaved.add(scale);
        }
        changesSinceFlush = 0;
      });
    },

    async flush() {
      return queue.run(async () => {
        ensureOpen();
        await flushIndexes();
      });
    },

    async verifyIndexes() {
      return queue.run(async () => {
        ensureOpen();
        const problems: string[] = [];
        for (const [scale, manager] of derived) {
          const found = await manager.verify(indexes.get(scale)!);
          if (found.length > 0) await rebuildIndex(scale, found.join('; '));
          problems.push(...found);
        }
        const graphProblems = reads.verifyGraph(graph);
        if (graphProblems.length > 0) await rebuildGraph();
        return [...problems, ...graphProblems];
      });
    },

    async close() {
      return queue.run(async () => {
        if (closed) return;
        try {
          await flushIndexes();
        } catch (error) {
          const reason = (error as Error).message.replace(/^\[neuromem\] \[\w+\] /, '');
          throw fail('STORAGE', `close() could not save the vector index snapshots (${reason}). Nothing is lost: memory.db is complete and closed, and the next open brings the indexes up to date from it; if the disk is full, free some space first.`, { cause: error });
        } finally {
          closed = true;
          for (const index of indexes.values()) await index.close();
          db.close();
          lock?.release();
        }
      });
    },
  };
  // The boundary: whatever SQLite or the file system throws inside a method leaves it as STORAGE.
  return withStorageErrors(store, (method) => `store.${method}()`);
}

/** Longer lexical queries are cut here: only their first words are used anyway. */
const MAX_TEXT_QUERY_CHARS = 10_000;

function validateScales(scales: unknown): Partial<Record<Scale, number>> {
  if (typeof scales !== 'object' || scales === null) throw fail('INVALID_INPUT', 'vectorScales must be an object such as { turn: 384 }.');
  const valid: Partial<Record<Scale, number>> = {};
  for (const [scale, dimensions] of Object.entries(scales)) {
    valid[validateScale(scale, 'store')] = validatePositiveInt(dimensions, `vectorScales.${scale}`, 65_536, 'store');
  }
  return Object.freeze(valid);
}

function validateEdge(edge: { from: string; to: string; type: EdgeType; weight: number; label?: string | null }, i: number, now: number): Edge {
  if (typeof edge !== 'object' || edge === null) throw fail('INVALID_INPUT', `edges[${i}] must be an object.`);
  const from = validateId(edge.from, 'store', `edges[${i}].from`);
  const to = validateId(edge.to, 'store', `edges[${i}].to`);
  if (from === to) throw fail('INVALID_INPUT', `edges[${i}] links ${from} to itself.`);
  if (!EDGE_TYPES.includes(edge.type)) throw fail('INVALID_INPUT', `edges[${i}].type must be one of ${EDGE_TYPES.join(', ')}.`);
  const weight = validateUnitInterval(edge.weight, `edges[${i}].weight`, 'store');
  if (edge.label !== undefined && edge.label !== null && (typeof edge.label !== 'string' || edge.label.length > 200 || !isWellFormed(edge.label))) {
    throw fail('INVALID_INPUT', `edges[${i}].label must be a well-formed string of at most 200 characters, got ${describeValue(edge.label)}.`);
  }
  const label = edge.label ?? null;
  return { from, to, type: edge.type, weight, label, createdAt: now };
}

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

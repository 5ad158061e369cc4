import type { Database, Statement } from 'better-sqlite3';
import { dot, type MemoryFilter, type Scale, type ScoredMemory, type ScoredSession, type Scope, type VectorIndex } from '@neuromem/core';
import { blobToInt8, quantizeUnit } from './int8-vector';
import { createOwnerVectorRows, SEGMENT_SPAN } from './owner-vector-rows';
import { createOwnerVectorSegments, packRows, type OwnedVectorChange, type PackedRows, type VectorOwner } from './owner-vector-segments';
import { RECORD_COLUMNS, recordAt } from './record-rows';
import { filterToSql } from './sql-filter';
import { createVectorCache } from './vector-cache';
import { presentVectors, STORED_VECTOR_COLUMNS, withOwnedCopies, type StoredVectorRow } from './stored-vector-rows';
import type { VectorPrecision } from './vector-codec';

/** Vectors of current memories, and of sessions (with the sessions table as `v`, so scope filters apply). */
const VECTOR_FROM = 'vectors vec JOIN memories m ON m.id = vec.memory_id JOIN memory_versions v ON v.row_id = m.current_row AND v.valid_to IS NULL';
/**
 * The same rows for a scope with a user or agent: start from that owner's current versions (partial
 * indexes), then their memories and vectors, so the cost is the owner's memories, not the store's.
 * CROSS JOIN fixes that order; without statistics SQLite's planner may walk every vector of the scale.
 */
const OWNED_VECTOR_FROM = 'memory_versions v CROSS JOIN memories m ON m.seq = v.memory AND m.current_row = v.row_id CROSS JOIN vectors vec ON vec.memory_id = m.id';
const SESSION_VECTOR_FROM = 'vectors vec JOIN sessions v ON v.node_id = vec.memory_id';
/** The same for a scope with a user or agent: from that owner's sessions (partial indexes), not from every session vector. */
const OWNED_SESSION_VECTOR_FROM = 'sessions v CROSS JOIN vectors vec ON vec.memory_id = v.node_id';

export interface VectorSearch {
  scale: Scale;
  vector: Float32Array;
  k: number;
  filter: MemoryFilter;
  /** The scale's ANN index, opened on first call: only searches the owner segments cannot answer ask. */
  index: () => Promise<VectorIndex>;
  exactScanLimit: number;
}

export interface VectorReadOptions {
  vectorCacheBytes: number;
  /**
   * How this store writes vectors. With int8 the owner segments hold the stored bytes themselves, so
   * their short lists are re-scored from the segment instead of reading the vectors back (rows an
   * older float32 store wrote are then ordered by their int8 copy, within about 1 % of their cosine).
   */
  vectorPrecision: VectorPrecision;
  segmentCacheBytes: number;
  /** Whether segments are read at their user's writes too (see `segmentsFollowWriters`). */
  segmentsFollowWriters: boolean;
  ownerSegmentLimit: number;
}

type Prepare = <P extends unknown[], R>(sql: string) => Statement<P, R>;

/**
 * The vector reads: owner-scoped searches over owner segments, other filtered searches over SQLite
 * or the ANN index, and vectors by id (through the float32 cache). `prepare` is the store's shared
 * statement cache.
 */
export function createVectorReads(db: Database, prepare: Prepare, options: VectorReadOptions) {
  const vectorCache = createVectorCache(db, options.vectorCacheBytes);
  const segments = createOwnerVectorSegments({ budgetBytes: options.segmentCacheBytes, maxRows: options.ownerSegmentLimit, ...(options.segmentsFollowWriters ? { readOwned: userRows } : {}) });
  // The owner whose segment answered the latest search, by scale: a search then asks for its
  // candidates' vectors, which that segment holds already (see vectorsOf).
  const lastOwner = new Map<Scale, VectorOwner>();

  const recordsByKeys = (keys: readonly number[]) => {
    const rows = prepare<[string], unknown[]>(`SELECT vec.key, ${RECORD_COLUMNS} FROM ${VECTOR_FROM} WHERE vec.key IN (SELECT value FROM json_each(?))`).raw(true).all(JSON.stringify(keys));
    return new Map(rows.map((row) => [row[0] as number, recordAt(row, 1)]));
  };

  /**
   * Filters cannot be pushed into usearch, so: when few rows pass the filter, score them all exactly
   * (vectors from the cache or SQLite); otherwise search the ANN index with a per-key filter check,
   * which the index oversamples until k pass. Either way k results come back whenever k rows match.
   */
  async function nearestKeys(search: {
    scale: Scale;
    base: string;
    keyBase?: string;
    params: unknown[];
    owner: VectorOwner | undefined;
    unfiltered: boolean;
    vector: Float32Array;
    k: number;
    index: () => Promise<VectorIndex>;
    exactScanLimit: number;
  }) {
    const { base, params, vector, k, exactScanLimit } = search;
    // Checks of given keys start from the key; listing what passes may start elsewhere (the owner).
    const keyBase = search.keyBase ?? base;
    const query = normalized(vector);
    // An approximate index stores vectors coarsely (int8 by default): it is asked for more than k and
    // its answer re-scored with the stored vectors, which recovers the recall of a full-precision index.
    const nearest = async (index: VectorIndex, options?: { filter: (key: number) => boolean }) => {
      const exact = !index.capabilities.approximate;
      const hits = await index.search(vector, exact ? k : k * RESCORED_PER_RESULT, options);
      return exact
        ? hits
        : exactTopK(
            hits.map((hit) => hit.key),
            query,
            k,
          );
    };
    if (search.unfiltered) return nearest(await search.index());
    if (search.owner !== undefined) {
      // The owner's segment, whatever else the store holds; int8 picks a short list, the stored vectors order it.
      const load = (limit: number, dimensions: number) => segmentRows(search.scale, search.owner!, base, params, limit, dimensions);
      lastOwner.set(search.scale, search.owner);
      if (options.vectorPrecision === 'int8') {
        const found = segments.nearest(search.scale, search.owner, query, k, load, k * RESCORED_PER_RESULT);
        if (found !== undefined) return found;
      } else {
        const shortList = segments.nearest(search.scale, search.owner, query, k * RESCORED_PER_RESULT, load);
        if (shortList !== undefined)
          return exactTopK(
            shortList.map((match) => match.key),
            query,
            k,
          );
      }
    }
    // Optimistic first: when every one of the global top k passes the filter, they are also the
    // filtered top k. That is the usual case for a database that holds one user (or mostly one),
    // and it skips listing every key the filter passes.
    const index = await search.index();
    const global = await nearest(index);
    if (global.length > 0 && global.length === Math.min(k, index.size())) {
      const passing = prepare<unknown[], { key: number }>(`SELECT vec.key ${keyBase} AND vec.key IN (SELECT value FROM json_each(?))`).all(...params, JSON.stringify(global.map((hit) => hit.key)));
      if (passing.length === global.length) return global;
    }
    // One query answers both "how many pass?" (up to the limit) and "which ones?".
    const keys = prepare<unknown[], { key: number }>(`SELECT vec.key ${base} LIMIT ?`)
      .all(...params, exactScanLimit + 1)
      .map((row) => row.key);
    if (keys.length === 0) return [];
    if (keys.length > exactScanLimit) {
      const check = prepare<unknown[], { one: number }>(`SELECT 1 AS one ${keyBase} AND vec.key = ?`);
      return nearest(index, { filter: (key) => check.get(...params, key) !== undefined });
    }
    return exactTopK(keys, query, k);
  }

  /**
   * An owner's vectors at a scale as int8 rows of one width: with a user, one range of `owner_vectors`,
   * concatenated by SQLite into one buffer (a buffer per row cost 2-3 µs each, more than the read;
   * see `userRows`); an agent alone is not clustered there, so its vectors are read through `base`
   * and quantized here.
   */
  function segmentRows(scale: Scale, owner: VectorOwner, base: string, params: unknown[], limit: number, dimensions: number): PackedRows {
    if (owner.userId !== null) return userRows(scale, owner, limit, dimensions);
    const rows = prepare<unknown[], StoredVectorRow & { key: number }>(`SELECT vec.key, ${STORED_VECTOR_COLUMNS} ${withOwnedCopies(base)} LIMIT ?`).all(...params, limit);
    return packRows(
      presentVectors(rows).map(({ key, vector }) => ({ key, ...quantizeUnit(vector) })),
      dimensions,
    );
  }

  /**
   * A user's vectors at a scale (with an agent: that pair's), as int8 rows of one width. Each of the
   * user's segments at this scale (one per agent) is one range of slots. Both aggregates see the same
   * rows in the same order; `length(data)` is read from the record header.
   */
  function userRows(scale: Scale, owner: VectorOwner, limit: number, dimensions: number): PackedRows {
    const agent = owner.agentId === null ? '' : ' AND s.agent_id = ?';
    const packed = prepare<unknown[], { keys: string | null; data: Buffer | null }>(
      `SELECT group_concat(key) AS keys, CAST(group_concat(data, x'') AS BLOB) AS data FROM (SELECT ov.key, ov.data FROM owner_segments s JOIN owner_vectors ov ON ov.slot BETWEEN s.id * ${SEGMENT_SPAN} AND s.id * ${SEGMENT_SPAN} + ${SEGMENT_SPAN - 1n} WHERE s.user_id = ? AND s.scale = ?${agent} AND length(ov.data) = ? LIMIT ?)`,
    ).get(owner.userId, scale, ...(owner.agentId === null ? [] : [owner.agentId]), dimensions, limit)!;
    if (packed.keys === null || packed.data === null) return { keys: [], data: new Int8Array(0) };
    return { keys: packed.keys.split(',').map(Number), data: blobToInt8(packed.data) };
  }

  /** The best k of `keys` by cosine with the unit `query`, from float32 vectors (cache, else SQLite). */
  function exactTopK(keys: readonly number[], query: Float32Array, k: number) {
    const vectors = vectorCache.get(keys);
    // A key an index still holds but SQLite no longer does (a removal not yet replayed) is skipped.
    return keys
      .flatMap((key, i) => (vectors[i] === undefined ? [] : [{ key, similarity: dot(query, vectors[i]) }]))
      .sort((a, b) => b.similarity - a.similarity || a.key - b.key)
      .slice(0, k);
  }

  return {
    async searchVectors({ scale, vector, k, filter, index, exactScanLimit }: VectorSearch): Promise<ScoredMemory[]> {
      const { where, params } = filterToSql(filter);
      const owned = filter.scope?.userId !== undefined || filter.scope?.agentId !== undefined;
      const keyBase = `FROM ${VECTOR_FROM} WHERE vec.scale = ? AND ${where}`;
      const base = owned ? `FROM ${OWNED_VECTOR_FROM} WHERE v.valid_to IS NULL AND vec.scale = ? AND ${where}` : keyBase;
      const owner = ownerOnly(filter);
      const matches = await nearestKeys({ scale, base, keyBase, params: [scale, ...params], owner, unfiltered: where === '1', vector, k, index, exactScanLimit });
      if (matches.length === 0) return [];
      const records = recordsByKeys(matches.map((m) => m.key));
      return matches.flatMap((match) => {
        const record = records.get(match.key);
        return record ? [{ record, similarity: match.similarity }] : [];
      });
    },

    async searchSessions({
      vector,
      k,
      scope,
      index,
      exactScanLimit,
    }: {
      vector: Float32Array;
      k: number;
      scope: Scope;
      index: () => Promise<VectorIndex>;
      exactScanLimit: number;
    }): Promise<ScoredSession[]> {
      const { where, params } = filterToSql({ scope });
      const owned = scope.userId !== undefined || scope.agentId !== undefined;
      const keyBase = `FROM ${SESSION_VECTOR_FROM} WHERE vec.scale = 'session' AND ${where}`;
      const base = owned ? `FROM ${OWNED_SESSION_VECTOR_FROM} WHERE vec.scale = 'session' AND ${where}` : keyBase;
      const matches = await nearestKeys({ scale: 'session', base, keyBase, params, owner: ownerOnly({ scope }), unfiltered: where === '1', vector, k, index, exactScanLimit });
      if (matches.length === 0) return [];
      const rows = prepare<[string], { key: number; node_id: string; user_id: string | null; agent_id: string | null; session_id: string }>(
        `SELECT vec.key, v.node_id, v.user_id, v.agent_id, v.session_id FROM ${SESSION_VECTOR_FROM} WHERE vec.key IN (SELECT value FROM json_each(?))`,
      ).all(JSON.stringify(matches.map((m) => m.key)));
      const byKey = new Map(rows.map((row) => [row.key, row]));
      return matches.flatMap((match) => {
        const row = byKey.get(match.key);
        if (!row) return [];
        const sessionScope: Scope = { sessionId: row.session_id };
        if (row.user_id !== null) sessionScope.userId = row.user_id;
        if (row.agent_id !== null) sessionScope.agentId = row.agent_id;
        return [{ nodeId: row.node_id, scope: sessionScope, similarity: match.similarity }];
      });
    },

    vectorsOf(ids: readonly string[], scale: Scale): Map<string, Float32Array> {
      // The latest searched owner's segment first: int8 stores only (its rows are the stored bytes),
      // and not for session vectors (a session node is not a memory; only SQLite tells them apart).
      // It follows every commit, so what it holds is current, and it learns which memory each of its
      // rows is as SQLite names them below: a user's next searches read none of their vectors.
      const owner = options.vectorPrecision === 'int8' && scale !== 'session' ? lastOwner.get(scale) : undefined;
      const found = owner ? segments.vectorsOf(scale, owner, ids) : new Map<string, Float32Array>();
      const rest = ids.filter((id) => !found.has(id));
      if (rest.length === 0) return found;
      // Only current memories have vectors (a delete drops them, an update replaces them), so the
      // (memory_id, scale) index answers alone: two lookups of the memories row per id cost a search
      // at a million memories about 0.4 ms of scattered pages. Sessions have vectors too, at the
      // session scale only: there the memories row tells a memory from a session.
      const rows = prepare<[string, string], { key: number; memory_id: string }>(
        scale === 'session'
          ? 'SELECT vec.key, vec.memory_id FROM vectors vec JOIN memories m ON m.id = vec.memory_id AND m.current_row IS NOT NULL WHERE vec.scale = ? AND vec.memory_id IN (SELECT value FROM json_each(?))'
          : 'SELECT vec.key, vec.memory_id FROM vectors vec WHERE vec.scale = ? AND vec.memory_id IN (SELECT value FROM json_each(?))',
      ).all(scale, JSON.stringify(rest));
      if (owner) {
        segments.learn(
          scale,
          owner,
          rows.map((row) => ({ key: row.key, memoryId: row.memory_id })),
        );
        for (const [id, vector] of segments.vectorsOf(scale, owner, rest)) found.set(id, vector);
      }
      // The rest from the cache, which reads what it does not hold from SQLite.
      const missing = rows.filter((row) => !found.has(row.memory_id));
      vectorCache.get(missing.map((row) => row.key)).forEach((vector, j) => vector && found.set(missing[j]!.memory_id, vector));
      return found;
    },

    /** Keeps the owner segments in step with a commit (call before anything awaits). */
    followVectorChanges(adds: readonly OwnedVectorChange[], removals: readonly OwnedVectorChange[]): void {
      segments.apply(adds, removals);
    },
    /** Forgets every owner segment (after a repair or reset; they are read again on demand). */
    forgetSegments: () => {
      segments.clear();
      lastOwner.clear();
    },

    /**
     * `owner_vectors` rebuilt from `vectors` when their counts disagree (a damaged file). Reads every
     * vector row. A vector kept only in a lost owner row cannot come back: its row goes, and the
     * memory is searched as a cold one (by its words, links and time).
     */
    repairOwnerVectors(): string[] {
      const rows = createOwnerVectorRows(db);
      const { expected, actual } = rows.counts();
      if (expected === actual) return [];
      const lost = db.transaction(() => {
        rows.refill();
        return rows.dropLost();
      })();
      segments.clear();
      vectorCache.clear();
      return [
        `owner_vectors held ${actual} int8 vectors where ${expected} belong; rebuilt from vectors${lost.length > 0 ? `; ${lost.length} vectors kept only there were lost, their memories are searched as cold ones` : ''}`,
      ];
    },

    /** Empties the caches (after the tables were cleared). */
    clear(): void {
      vectorCache.clear();
      segments.clear();
      lastOwner.clear();
    },
  };
}

/** Segment hits re-scored exactly per result asked for: int8 rounding may swap close neighbours, not distant ones. */
const RESCORED_PER_RESULT = 2;

/**
 * The owner when a filter says nothing but "this user and/or agent's memories" (the usual search):
 * those searches scan the owner's segment. Any other condition (session, kinds, time, metadata)
 * takes the SQL path. Undefined for every other filter.
 */
function ownerOnly(filter: MemoryFilter): VectorOwner | undefined {
  const scope = filter.scope;
  if (scope === undefined || (scope.userId === undefined && scope.agentId === undefined) || scope.sessionId !== undefined) return undefined;
  const others = Object.entries(filter).some(([key, value]) => key !== 'scope' && value !== undefined);
  return others ? undefined : { userId: scope.userId ?? null, agentId: scope.agentId ?? null };
}

function normalized(vector: Float32Array): Float32Array {
  const norm = Math.sqrt(dot(vector, vector));
  return norm === 0 || Math.abs(norm - 1) < 1e-6 ? vector : vector.map((x) => x / norm);
}

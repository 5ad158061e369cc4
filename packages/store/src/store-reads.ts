import type { Database, Statement } from 'better-sqlite3';
import {
  createLruCache,
  parseTime,
  validatePositiveInt,
  type Edge,
  type EdgeType,
  type HistoryEntry,
  type ListQuery,
  type MemoryFilter,
  type MemoryRecord,
  type Scale,
  type Scope,
  type StoreStats,
  type TextHit,
  createErrorFactory,
} from '@neuromem/core';
import { CURRENT_FROM, RECORD_COLUMN, RECORD_COLUMNS, recordAt, rowScope, rowToRecord, type RecordRow } from './record-rows';
import { rebuildWhenMiscounted } from './count-rows';
import { EDGE_TYPE_NAME_SQL } from './edge-type-codes';
import { createMentionRows } from './entity-mention-index';
import { createOwnerTextIndex, createOwnerTextRows } from './owner-text-index';
import { CURRENT_COUNT_SQL, DROP_CURRENT_COUNT_SQL, ID_OF, LIVE_NODES_SQL, NODE_OF } from './schema';
import { filterToSql } from './sql-filter';
import { decodeTokenVectors } from './vector-codec';
import { createVectorReads, type VectorReadOptions } from './vector-reads';
import { commitWithoutFsync } from './commit-without-fsync';

const fail = createErrorFactory('store');

interface EdgeRow {
  from_id: string;
  to_id: string;
  type: string;
  weight: number;
  label: string | null;
  created_at: number;
}

type OwnerRow = Pick<RecordRow, 'user_id' | 'agent_id' | 'session_id'>;

const toEdge = (row: EdgeRow): Edge => ({ from: row.from_id, to: row.to_id, type: row.type as EdgeType, weight: row.weight, label: row.label, createdAt: row.created_at });

/** Everything that reads SQLite (plus the filtered vector search, which mixes SQLite and the index). */
/** Current memories by their session node (every memory with a session has one, named in `sessions`). */
const SESSION_TURNS_FROM = 'sessions s CROSS JOIN memories m ON m.session = s.seq AND m.current_row IS NOT NULL CROSS JOIN memory_versions v ON v.row_id = m.current_row AND v.valid_to IS NULL';

/** Current versions by row id, from a JSON list of them. */
const HITS_FROM = 'json_each(?) j CROSS JOIN memory_versions v ON v.row_id = j.value AND v.valid_to IS NULL CROSS JOIN memories m ON m.seq = v.memory AND m.current_row = v.row_id';

export function createStoreReads(db: Database, options: VectorReadOptions) {
  // Compiling SQL costs more than running these small queries; the SQL text varies only with the
  // filter's shape (id lists go in as one JSON parameter), so a few dozen statements serve everything.
  const statements = createLruCache<string, Statement>({ maxCost: 256 });
  const prepare = <P extends unknown[], R>(sql: string): Statement<P, R> => {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = db.prepare(sql)));
    return statement as unknown as Statement<P, R>;
  };
  const vectors = createVectorReads(db, prepare, options);
  const ownerText = createOwnerTextIndex(db);
  const s = {
    current: db.prepare<[string], RecordRow>(`SELECT ${RECORD_COLUMNS} FROM ${CURRENT_FROM} WHERE m.id = ?`),
    asOf: db.prepare<[string, number, number], RecordRow>(
      `SELECT ${RECORD_COLUMNS} FROM memories m JOIN memory_versions v ON v.memory = m.seq WHERE m.id = ? AND v.valid_from <= ? AND (v.valid_to IS NULL OR v.valid_to > ?)`,
    ),
    history: db.prepare<[{ id: string }], { seq: number; memory_id: string; event: HistoryEntry['event']; version: number; previous_text: string | null; text: string | null; at: number }>(
      // A memory's ADD is its row (`memories.added`, see schema.ts) or, in older files, a row of the
      // log. The log keeps no texts (files of schema 5 and before did): an event's texts are those of
      // the versions it opened and closed, which a purge deletes with the log's texts.
      `SELECT e.seq, e.memory_id, e.event, e.version, e.at,
         coalesce(e.previous_text, CASE e.event WHEN 'UPDATE' THEN before.text WHEN 'DELETE' THEN this.text END) AS previous_text,
         coalesce(e.text, CASE WHEN e.event IN ('ADD', 'UPDATE') THEN this.text END) AS text
       FROM (
         SELECT added AS seq, id AS memory_id, 'ADD' AS event, 1 AS version, created_at AS at, NULL AS previous_text, NULL AS text FROM memories WHERE id = @id AND added IS NOT NULL
         UNION ALL
         SELECT seq, memory_id, event, version, at, previous_text, text FROM history WHERE memory_id = @id
       ) e
       LEFT JOIN memories m ON m.id = e.memory_id
       LEFT JOIN memory_versions this ON this.memory = m.seq AND this.version = e.version
       LEFT JOIN memory_versions before ON before.memory = m.seq AND before.version = e.version - 1
       ORDER BY e.seq`,
    ),
    edgesOf: db.prepare<[{ id: string }], EdgeRow>(
      `WITH node AS (SELECT ${NODE_OF('@id')} AS n)
       SELECT ${ID_OF('e.from_n')} AS from_id, ${ID_OF('e.to_n')} AS to_id, ${EDGE_TYPE_NAME_SQL('e.type')} AS type, e.weight, e.label, e.created_at, e.seq FROM node CROSS JOIN edges e ON e.from_n = node.n
       UNION ALL
       SELECT ${ID_OF('e.from_n')}, ${ID_OF('e.to_n')}, ${EDGE_TYPE_NAME_SQL('e.type')}, e.weight, e.label, e.created_at, e.seq FROM node CROSS JOIN edges e INDEXED BY edges_in ON e.to_n = node.n AND e.from_n != node.n
       ORDER BY created_at, seq`,
    ),
    memoryNode: db.prepare<[string], { id: string }>('SELECT id FROM memories WHERE id = ? AND current_row IS NOT NULL'),
    lastOwner: db.prepare<[string], OwnerRow>('SELECT v.user_id, v.agent_id, v.session_id FROM memories m JOIN memory_versions v ON v.memory = m.seq WHERE m.id = ? ORDER BY v.version DESC LIMIT 1'),
    sessionOwner: db.prepare<[string], OwnerRow>('SELECT user_id, agent_id, session_id FROM sessions WHERE node_id = ?'),
    sessionNode: db.prepare<[string], { node_id: string }>('SELECT node_id FROM sessions WHERE node_id = ?'),
    // Counts come grouped ([id, n] pairs): a count per row looked up in the whole list was quadratic,
    // 4.7 s for one write of 15,000 accesses.
    touchMany: db.prepare<[{ now: number; counts: string }]>(
      "UPDATE memories SET access_count = access_count + c.n, last_accessed_at = @now FROM (SELECT value ->> '$[0]' AS id, value ->> '$[1]' AS n FROM json_each(@counts)) AS c WHERE memories.id = c.id",
    ),
    seqOf: db.prepare<[string], { seq: number }>('SELECT seq FROM memories WHERE id = ?'),
    // Kept by triggers (schema.ts): an unfiltered count is one row, whatever the store holds.
    countCurrent: db.prepare<[], { n: number }>("SELECT CAST(value AS INTEGER) AS n FROM meta WHERE key = 'current_memories'"),
  };

  function filtered(query: ListQuery) {
    const { where, params } = filterToSql(query);
    const scope = query.scope;
    if (query.asOf === undefined && scope?.sessionId !== undefined) {
      // One session's turns: from its session node(s) through `memories_session`, not through every
      // current version of the user (which the user index alone would scan: 10,000 rows at 1M).
      const owner = [scope.userId === undefined ? '' : ' AND s.user_id = ?', scope.agentId === undefined ? '' : ' AND s.agent_id = ?'].join('');
      return {
        from: SESSION_TURNS_FROM,
        where: `s.session_id = ?${owner} AND ${where}`,
        params: [scope.sessionId, ...(scope.userId === undefined ? [] : [scope.userId]), ...(scope.agentId === undefined ? [] : [scope.agentId]), ...params],
      };
    }
    if (query.asOf === undefined) return { from: CURRENT_FROM, where, params };
    const asOf = parseTime(query.asOf, { field: 'asOf', module: 'store' });
    return {
      from: 'memory_versions v JOIN memories m ON m.seq = v.memory',
      where: `${where} AND v.valid_from <= ? AND (v.valid_to IS NULL OR v.valid_to > ?)`,
      params: [...params, asOf, asOf],
    };
  }

  return {
    ...vectors,
    current: (id: string): MemoryRecord | null => {
      const row = s.current.get(id);
      return row ? rowToRecord(row) : null;
    },
    asOf: (id: string, at: number): MemoryRecord | null => {
      const row = s.asOf.get(id, at, at);
      return row ? rowToRecord(row) : null;
    },
    currentMany(ids: readonly string[]): MemoryRecord[] {
      if (ids.length === 0) return [];
      const rows = prepare<[string], unknown[]>(`SELECT ${RECORD_COLUMNS} FROM ${CURRENT_FROM} WHERE m.id IN (SELECT value FROM json_each(?))`).raw(true).all(JSON.stringify(ids));
      const byId = new Map(rows.map((row) => [row[RECORD_COLUMN.id] as string, recordAt(row)]));
      return ids.flatMap((id) => byId.get(id) ?? []);
    },
    /**
     * Okapi BM25 (k1 1.2, b 0.75) over current text, restricted by the filter: scored within the
     * filter's user (or the whole store without one), then read best first and filtered, a batch at a
     * time, until `k` pass.
     */
    searchText({ text, k, filter }: { text: string; k: number; filter: MemoryFilter }): TextHit[] {
      const { where, params } = filterToSql(filter);
      // One user's memories and nothing else asked: every hit passes, so the best k are all it needs.
      const everyHitPasses = userOnly(filter) !== undefined;
      const hits = ownerText.search(filter.scope?.userId, text, MAX_QUERY_TERMS, everyHitPasses ? k : undefined);
      const batch = everyHitPasses ? k : Math.max(k, TEXT_FILTER_BATCH);
      const found: TextHit[] = [];
      for (let start = 0; start < hits.length && found.length < k; start += batch) {
        const slice = hits.slice(start, start + batch);
        // The hits drive the join (CROSS JOIN keeps the order): the filter's owner index would read
        // every version of the user to find a few.
        const rows = prepare<unknown[], unknown[]>(`SELECT ${RECORD_COLUMNS} FROM ${HITS_FROM} WHERE ${where}`)
          .raw(true)
          .all(JSON.stringify(slice.map((hit) => hit.rowId)), ...params);
        const byRow = new Map(rows.map((row) => [row[RECORD_COLUMN.row_id] as number, row]));
        for (const hit of slice) {
          const row = byRow.get(hit.rowId);
          if (row && found.length < k) found.push({ record: recordAt(row), score: hit.score });
        }
      }
      return found;
    },
    /** Those of `ids` that are current memories inside `scope` (in no particular order). */
    currentIdsIn(ids: readonly string[], scope: Scope): string[] {
      const { where, params } = filterToSql({ scope });
      return prepare<unknown[], { id: string }>(`SELECT m.id FROM ${CURRENT_FROM} WHERE m.id IN (SELECT value FROM json_each(?)) AND ${where}`)
        .all(JSON.stringify(ids), ...params)
        .map((row) => row.id);
    },
    /**
     * Who owns a node: a memory's last version (so a deleted memory keeps its owner) or a session.
     * Null for unknown ids and purged memories, which have no owner left.
     */
    ownerOf(id: string): Scope | null {
      const row = s.lastOwner.get(id) ?? s.sessionOwner.get(id);
      return row ? rowScope(row) : null;
    },
    currentIds(filter: MemoryFilter): string[] {
      const { where, params } = filterToSql(filter);
      return prepare<unknown[], { id: string }>(`SELECT m.id FROM ${CURRENT_FROM} WHERE ${where}`)
        .all(...params)
        .map((row) => row.id);
    },
    list(query: ListQuery): MemoryRecord[] {
      const { from, where: filter, params } = filtered(query);
      const written = query.order === 'written-asc';
      const order = written ? 'm.seq ASC' : query.order === 'eventTime-desc' ? 'v.event_time DESC, m.seq DESC' : 'v.event_time ASC, m.seq ASC';
      let where = filter;
      if (query.after !== undefined) {
        const cursor = s.seqOf.get(query.after);
        if (!cursor) throw fail('INVALID_INPUT', `after names no stored memory (${query.after}); pass the last id of the previous page.`, { details: { field: 'after' } });
        where = `${filter} AND m.seq > ?`;
        params.push(cursor.seq);
      }
      const limit = query.limit === undefined ? -1 : validatePositiveInt(query.limit, 'limit', 1_000_000, 'store');
      const offset = query.offset === undefined ? 0 : query.offset === 0 ? 0 : validatePositiveInt(query.offset, 'offset', Number.MAX_SAFE_INTEGER, 'store');
      return prepare<unknown[], unknown[]>(`SELECT ${RECORD_COLUMNS} FROM ${from} WHERE ${where} ORDER BY ${order} LIMIT ? OFFSET ?`)
        .raw(true)
        .all(...params, limit, offset)
        .map((row) => recordAt(row));
    },
    count(filter: MemoryFilter): number {
      const { where, params } = filterToSql(filter);
      // Every memory: its current row is never a closed version (an update or delete closes the row
      // and moves `current_row` in one transaction), so the partial index counts them alone, without
      // a version read per memory: 20 ms instead of 600 at 100,000 memories on a cold page cache.
      if (where === '1') return s.countCurrent.get()!.n;
      return prepare<unknown[], { n: number }>(`SELECT COUNT(*) AS n FROM ${CURRENT_FROM} WHERE ${where}`).get(...params)!.n;
    },
    history: (id: string): HistoryEntry[] =>
      s.history.all({ id }).map((row) => ({ seq: row.seq, memoryId: row.memory_id, event: row.event, version: row.version, previousText: row.previous_text, text: row.text, at: row.at })),
    edgesOf: (id: string): Edge[] => s.edgesOf.all({ id }).map(toEdge),
    nodeExists: (id: string): boolean => s.memoryNode.get(id) !== undefined || s.sessionNode.get(id) !== undefined,
    /** Entity keys per current memory, in the order they were linked (first mention first); [] when it has none. */
    entitiesOf(ids: readonly string[]): Map<string, string[]> {
      const found = new Map<string, string[]>();
      // A tombstone leaves its mention rows behind, so only current memories are read; one without
      // mentions comes once, with a null entity. Raw rows: a search asks for some 400.
      const rows = prepare<[string], [string, string | null]>(
        `SELECT m.id, em.entity FROM json_each(?) j JOIN memories m ON m.id = j.value AND m.current_row IS NOT NULL
         LEFT JOIN entity_mentions em ON em.seq = m.seq ORDER BY em.seq, em.ord`,
      )
        .raw(true)
        .all(JSON.stringify([...new Set(ids)]));
      for (const [id, entity] of rows) {
        let entities = found.get(id);
        if (entities === undefined) found.set(id, (entities = []));
        if (entity !== null) entities.push(entity);
      }
      return found;
    },
    /** Access counts are statistics, not user data: committed without an fsync of their own (`commitWithoutFsync`). */
    recordAccess(ids: readonly string[], now: number, durability: 'full' | 'normal'): void {
      commitWithoutFsync(db, durability, () => {
        // One statement for the whole list; an id listed twice counts twice.
        const counts = new Map<string, number>();
        for (const id of ids) if (typeof id === 'string') counts.set(id, (counts.get(id) ?? 0) + 1);
        s.touchMany.run({ now, counts: JSON.stringify([...counts]) });
      });
    },

    tokenVectors(ids: readonly string[]): Map<string, Float32Array[]> {
      const result = new Map<string, Float32Array[]>();
      const rows = prepare<[string], { memory_id: string; dims: number; count: number; scales: Buffer; data: Buffer }>(
        'SELECT * FROM token_vectors WHERE memory_id IN (SELECT value FROM json_each(?))',
      ).all(JSON.stringify(ids));
      for (const row of rows) result.set(row.memory_id, decodeTokenVectors(row));
      return result;
    },

    stats(): Omit<StoreStats, 'bytesOnDisk'> {
      const one = (sql: string) => db.prepare<[], { n: number }>(sql).get()!.n;
      const vectors: StoreStats['vectors'] = {};
      for (const row of db.prepare<[], { scale: Scale; n: number }>('SELECT scale, COUNT(*) AS n FROM vectors GROUP BY scale').all()) vectors[row.scale] = row.n;
      return {
        memories: one('SELECT COUNT(*) AS n FROM memories WHERE current_row IS NOT NULL'),
        sessions: one('SELECT COUNT(*) AS n FROM sessions'),
        edges: one('SELECT COUNT(*) AS n FROM edges'),
        historyEvents: one('SELECT (SELECT COUNT(*) FROM history) + (SELECT COUNT(added) FROM memories) AS n'),
        vectors,
      };
    },

    /** Empties every table; call inside a transaction. */
    clearAll(): void {
      vectors.clear();
      // Row by row, the count's triggers would cost ~5 µs per memory to reach 0; they are set aside
      // and made again in the same transaction.
      db.exec(DROP_CURRENT_COUNT_SQL);
      for (const table of [
        'memories',
        'memory_versions',
        'sessions',
        'vectors',
        'owner_vectors',
        'owner_segments',
        'token_vectors',
        'index_removals',
        'edges',
        'entity_mentions',
        'history',
        'user_state',
      ])
        db.exec(`DELETE FROM ${table}`);
      createOwnerTextRows(db).clear();
      createMentionRows(db).clearWords();
      db.exec(`UPDATE meta SET value = 0 WHERE key = 'current_memories'; ${CURRENT_COUNT_SQL}`);
    },

    /** The owner text postings rebuilt when their document counts disagree with the current versions (a damaged file). */
    repairOwnerText(): string[] {
      const rows = createOwnerTextRows(db);
      return rebuildWhenMiscounted(db, rows.counts, rows.refill, ({ expected, actual }) => `the owner text postings counted ${actual} texts where ${expected} belong; rebuilt from memory_versions`);
    },

    /** The mention index rebuilt when it holds another number of memories than the mentions do (a damaged file). */
    repairMentionWords(): string[] {
      const rows = createMentionRows(db);
      return rebuildWhenMiscounted(
        db,
        rows.counts,
        rows.refillWords,
        ({ expected, actual }) => `the entity mention index held ${actual} memories where ${expected} belong; rebuilt from entity_mentions`,
      );
    },

    /**
     * Edges whose `live` flag disagrees with their ends (a walk would follow a deleted memory, or miss
     * a live one), set right. Reads every edge: a maintenance call, not a per-query one.
     */
    repairEdgeLiveness(): string[] {
      const { changes } = db.prepare(`UPDATE edges SET live = 1 - live WHERE live != ${LIVE_NODES_SQL('edges.from_n', 'edges.to_n')}`).run();
      return changes > 0 ? [`${changes} graph edge(s) had the wrong liveness for their ends`] : [];
    },
  };
}

/** The user when a filter asks for nothing but one user's memories (no agent, session or other condition). */
function userOnly(filter: MemoryFilter): string | undefined {
  const scope = filter.scope;
  if (scope?.userId === undefined || scope.agentId !== undefined || scope.sessionId !== undefined) return undefined;
  return Object.entries(filter).some(([key, value]) => key !== 'scope' && value !== undefined) ? undefined : scope.userId;
}

/** Words a lexical query may hold; more adds cost and little ranking signal. */
const MAX_QUERY_TERMS = 32;

/** Hits read per query when a filter narrows a user's (or the store's) ranking further. */
const TEXT_FILTER_BATCH = 256;

export type StoreReads = ReturnType<typeof createStoreReads>;

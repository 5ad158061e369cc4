import { randomUUID } from 'node:crypto';
import pg from 'pg';
import {
  arrayArgument,
  createErrorFactory,
  inScope,
  lexicalWords,
  normalizeBatch,
  normalizePatch,
  normalizeVectors,
  parseTime,
  queryObject,
  systemClock,
  validateFilter,
  validateId,
  validateListQuery,
  validatePositiveInt,
  validateScales,
  validateScope,
  type HistoryEntry,
  type MemoryRecord,
  type Scale,
  type Scope,
  type ScopeCheck,
} from '@neuromem/core';
import { openSchema } from './open-postgres-schema';
import { createPostgresConnection } from './postgres-connection';
import { filterToSql } from './postgres-filter';
import { scopeOf } from './postgres-graph';
import { recordSelect, sessionNodeId, sha256, toRecord, type RecordRow } from './postgres-rows';
import { TABLES } from './postgres-schema';
import { createPostgresReads } from './postgres-reads';
import { createPostgresSearchMethods } from './postgres-search-methods';
import { createPostgresByIdMethods } from './postgres-by-id-methods';
import { createPostgresWrites } from './postgres-writes';
import { createPostgresUserState } from './postgres-user-state';
import { createPostgresGraphMethods } from './postgres-graph-methods';
import { createSqlParams, SCHEMA_NAME } from './sql-params';
import type { PostgresMemoryStore, PostgresStoreOptions } from './postgres-store-options';

export type { PostgresMemoryStore, PostgresStoreOptions };

const fail = createErrorFactory('store-postgres');

/**
 * The memory store on PostgreSQL with pgvector: every process that opens the same database and
 * schema shares one memory. Writes are transactions (a batch lands whole or not at all, and a
 * session's turns are chained in one order whichever process adds them); vectors live in pgvector
 * columns with HNSW indexes; text search is BM25 over postings of Porter2 stems, scored as the
 * SQLite store scores them. Capabilities: `textSearch`, `sessionSearch`, `tokenVectors`,
 * `batchNeighbors`; graph activation runs in retrieval over `neighborsOfMany`.
 */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<PostgresMemoryStore> {
  queryObject(options, 'createPostgresStore() options', false);
  const vectorScales = validateScales(options.vectorScales);
  const schema = options.schema ?? 'neuromem';
  if (typeof schema !== 'string' || !SCHEMA_NAME.test(schema)) {
    throw fail('INVALID_INPUT', `schema must be 1-63 lower-case letters, digits or "_" (not starting with a digit), got ${JSON.stringify(schema)}.`, { details: { field: 'schema' } });
  }
  if (options.pool !== undefined && options.connectionString !== undefined) throw fail('INVALID_INPUT', 'pass either pool or connectionString, not both.', { details: { field: 'pool' } });
  const clock = options.clock ?? systemClock;
  const maxTextChars = options.maxTextChars ?? 100_000;
  const retries = options.retries ?? 3;
  const ownsPool = options.pool === undefined;
  const pool =
    options.pool ??
    new pg.Pool({
      ...(options.connectionString !== undefined ? { connectionString: options.connectionString } : {}),
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 10_000,
      statement_timeout: options.statementTimeoutMs ?? 30_000,
    });
  // An idle client's error (a server restart) would otherwise be an unhandled 'error' event and end the process.
  if (ownsPool) pool.on('error', () => undefined);
  const db = createPostgresConnection(pool, { retries });
  const s = `"${schema}"`;
  const memoryScales: Scale[] = (Object.keys(vectorScales) as Scale[]).filter((scale) => scale !== 'session' && scale !== 'token');

  try {
    await openSchema(db, schema, vectorScales);
  } catch (error) {
    if (ownsPool) await pool.end().catch(() => undefined);
    throw error;
  }

  let closed = false;
  const open = () => {
    if (closed) throw fail('CLOSED', 'this store was closed; open a new one with createPostgresStore().');
  };
  const checked = (check: ScopeCheck | undefined): Scope | undefined => {
    const scope = validateScope(queryObject(check, 'options').scope, { module: 'store' });
    return Object.keys(scope).length === 0 ? undefined : scope;
  };
  const RECORD = recordSelect(s);

  const reads = createPostgresReads({ db, schema });
  const { currentMany, owned, ownersOf, lockCurrent } = reads;
  /** The ids, checked, and the scope a by-id call checks (undefined: none). */
  const byIds = (ids: readonly string[], check: ScopeCheck | undefined) => ({ ids: [...new Set(arrayArgument(ids, 'ids').map((id) => validateId(id, 'store')))], scope: checked(check) });

  const searchMethods = createPostgresSearchMethods({ db, schema, open, vectorScales, memoryScales, currentMany });
  const byIdMethods = createPostgresByIdMethods({ db, schema, open, vectorScales, memoryScales, reads, byIds });

  const writes = createPostgresWrites({ schema, vectorScales });
  const { addEdge, history, putTerms, putTokens, putVector, linkEntities, insert, tombstone } = writes;

  const graphMethods = createPostgresGraphMethods({ db, schema, open, checked, now: () => clock.now(), ownersOf, addEdge });

  const store: PostgresMemoryStore = {
    specVersion: 'neuromem.store/v2',
    capabilities: {
      persistent: true,
      textSearch: true,
      graphActivation: false,
      sessionSearch: true,
      tokenVectors: true,
      batchNeighbors: true,
      neighborIds: false,
      userState: true,
      vectorTiers: true,
      compaction: true,
      userStateSwap: true,
    },
    vectorScales,
    location: { target: db.target, schema },
    ...createPostgresUserState({ db, schema, open }),

    async setVectors(id, vectors, check) {
      open();
      validateId(id, 'store');
      const scope = checked(check);
      const valid = vectors === null ? [] : normalizeVectors(vectors, vectorScales, 'vectors');
      await db.transaction(async (client) => {
        await lockCurrent(client, id, scope);
        for (const scale of memoryScales) await client.query(`DELETE FROM ${s}.vectors_${scale} WHERE memory_id = $1`, [id]);
        for (const [scale, vector] of valid) await putVector(client, id, scale, vector);
        if (valid.length === 0) await client.query(`DELETE FROM ${s}.token_vectors WHERE memory_id = $1`, [id]);
      });
    },

    async put(items) {
      open();
      const now = clock.now();
      const batch = normalizeBatch(items, { vectorScales, maxTextChars, now, generateId: randomUUID });
      return db.transaction(async (client) => {
        // One writer per session at a time, in a fixed order (no deadlocks): turns chain in one order.
        const sessions = [...new Set(batch.flatMap((m) => (m.scope.sessionId === undefined ? [] : [sessionNodeId(m.scope)])))].sort();
        for (const node of sessions) await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${schema}:${node}`]);
        const taken = (await client.query<{ id: string }>(`SELECT id FROM ${s}.memories WHERE id = ANY($1)`, [batch.map((m) => m.id)])).rows[0];
        if (taken) throw fail('CONFLICT', `a memory with id ${taken.id} already exists; use update() to change it.`, { details: { id: taken.id } });
        const written: MemoryRecord[] = [];
        for (const memory of batch) written.push(await insert(client, memory, now));
        return written;
      });
    },

    async get(id, getOptions = {}) {
      open();
      validateId(id, 'store');
      const scope = checked(getOptions);
      const at = getOptions.asOf === undefined ? undefined : parseTime(getOptions.asOf, { field: 'asOf', module: 'store' });
      const [row] =
        at === undefined
          ? await db.query<RecordRow>(`${RECORD} WHERE v.id = $1 AND v.valid_to IS NULL`, [id])
          : await db.query<RecordRow>(`${RECORD} WHERE v.id = $1 AND v.valid_from <= $2 AND (v.valid_to IS NULL OR v.valid_to > $2)`, [id, at]);
      const record = row ? toRecord(row) : null;
      return record && inScope(record.scope, scope) ? record : null;
    },

    async getMany(ids, check) {
      open();
      const scope = checked(check);
      return (await currentMany(arrayArgument(ids, 'ids').map((id) => validateId(id, 'store')))).filter((record) => inScope(record.scope, scope));
    },

    async update(id, patch, check) {
      open();
      validateId(id, 'store');
      const scope = checked(check);
      const valid = normalizePatch(patch, { vectorScales, maxTextChars });
      return db.transaction(async (client) => {
        const current = await lockCurrent(client, id, scope);
        const now = clock.now();
        const text = valid.text ?? current.text;
        const changed = text !== current.text;
        if (changed) {
          const given = new Set(valid.vectors.map(([scale]) => scale));
          const stale: Scale[] = [];
          for (const scale of memoryScales) if (!given.has(scale) && (await client.query(`SELECT 1 FROM ${s}.vectors_${scale} WHERE memory_id = $1`, [id])).rowCount) stale.push(scale);
          if (stale.length > 0)
            throw fail('INVALID_INPUT', `the text changed but no new vector was given for scale(s) ${stale.join(', ')}; pass patch.vectors for the new text.`, { details: { id, scales: stale } });
        }
        const next: MemoryRecord = {
          ...current,
          version: current.version + 1,
          text,
          hash: sha256(text),
          validFrom: now,
          kind: valid.kind ?? current.kind,
          importance: valid.importance ?? current.importance,
          metadata: valid.metadata ?? current.metadata,
        };
        await client.query(`UPDATE ${s}.versions SET valid_to = $3 WHERE id = $1 AND version = $2`, [id, current.version, now]);
        await client.query(
          `INSERT INTO ${s}.versions (id, version, text, kind, scale, user_id, agent_id, session_id, role, event_time, valid_from, importance, source, metadata, hash, words)
           SELECT id, $2, $3, $4, scale, user_id, agent_id, session_id, role, event_time, $5, $6, source, $7, $8, $9 FROM ${s}.versions WHERE id = $1 AND version = $10`,
          [id, next.version, text, next.kind, now, next.importance, JSON.stringify(next.metadata), next.hash, lexicalWords(text).length, current.version],
        );
        for (const [scale, vector] of valid.vectors) await putVector(client, id, scale, vector);
        if (valid.tokens) await putTokens(client, id, valid.tokens);
        else if (changed) await client.query(`DELETE FROM ${s}.token_vectors WHERE memory_id = $1`, [id]); // they describe the old text
        if (changed) {
          await client.query(`DELETE FROM ${s}.terms WHERE memory_id = $1`, [id]);
          await putTerms(client, id, text);
        }
        // Keys describe a text: new text without new keys keeps none (the caller extracts them).
        if (changed || valid.entities) {
          await client.query(`DELETE FROM ${s}.entity_mentions WHERE memory_id = $1`, [id]);
          const seq = Number((await client.query<{ seq: string }>(`SELECT seq FROM ${s}.memories WHERE id = $1`, [id])).rows[0]!.seq);
          await linkEntities(client, id, seq, current.scope, valid.entities ?? [], now);
        }
        await history(client, id, 'UPDATE', next.version, current.text, text, now);
        return next;
      });
    },

    async delete(id, check) {
      open();
      validateId(id, 'store');
      const scope = checked(check);
      await db.transaction(async (client) => tombstone(client, await lockCurrent(client, id, scope), clock.now()));
    },

    async deleteWhere(filter) {
      open();
      const valid = validateFilter(queryObject(filter, 'deleteWhere() filter (pass {} to delete every memory)', false));
      return db.transaction(async (client) => {
        const params = createSqlParams();
        const where = filterToSql(valid, params);
        const rows = (await client.query<RecordRow>(`${RECORD} WHERE v.valid_to IS NULL AND ${where} ORDER BY m.seq FOR UPDATE OF m`, params.values)).rows;
        const now = clock.now();
        for (const row of rows) await tombstone(client, toRecord(row), now);
        return rows.length;
      });
    },

    async purge(id, check) {
      open();
      validateId(id, 'store');
      const scope = checked(check);
      await db.transaction(async (client) => {
        await client.query(`SELECT 1 FROM ${s}.memories WHERE id = $1 FOR UPDATE`, [id]);
        const last = (
          await client.query<{ version: number; user_id: string | null; agent_id: string | null; session_id: string | null }>(
            `SELECT version, user_id, agent_id, session_id FROM ${s}.versions WHERE id = $1 ORDER BY version DESC LIMIT 1`,
            [id],
          )
        ).rows[0];
        if (!last || !inScope(scopeOf(last), scope)) throw fail('NOT_FOUND', `no memory with id ${id} to purge.`, { details: { id } });
        await client.query(`DELETE FROM ${s}.edges WHERE from_id = $1 OR to_id = $1`, [id]);
        // Versions, vectors, tokens, postings and mentions go with the memory row (ON DELETE CASCADE).
        await client.query(`DELETE FROM ${s}.memories WHERE id = $1`, [id]);
        await client.query(`DELETE FROM ${s}.history WHERE memory_id = $1`, [id]);
        await history(client, id, 'PURGE', last.version, null, null, clock.now());
      });
    },

    async history(id, check) {
      open();
      validateId(id, 'store');
      const scope = checked(check);
      if (!(await owned(id, scope))) return [];
      const rows = await db.query<{ seq: string; memory_id: string; event: HistoryEntry['event']; version: number; previous_text: string | null; text: string | null; at: string }>(
        `SELECT seq, memory_id, event, version, previous_text, text, at FROM ${s}.history WHERE memory_id = $1 ORDER BY seq`,
        [id],
      );
      return rows.map((row) => ({ seq: Number(row.seq), memoryId: row.memory_id, event: row.event, version: row.version, previousText: row.previous_text, text: row.text, at: Number(row.at) }));
    },

    async list(query = {}) {
      open();
      const valid = validateListQuery(query);
      const params = createSqlParams();
      const where = filterToSql(validateFilter(valid), params);
      const at = valid.asOf === undefined ? undefined : parseTime(valid.asOf, { field: 'asOf', module: 'store' });
      const when = at === undefined ? 'v.valid_to IS NULL' : `v.valid_from <= ${params.add(at)} AND (v.valid_to IS NULL OR v.valid_to > $${params.values.length})`;
      const limit = valid.limit === undefined ? 'ALL' : String(validatePositiveInt(valid.limit, 'limit', 1_000_000, 'store'));
      const offset = valid.offset === undefined || valid.offset === 0 ? 0 : validatePositiveInt(valid.offset, 'offset', Number.MAX_SAFE_INTEGER, 'store');
      const order = valid.order === 'written-asc' ? 'm.seq ASC' : valid.order === 'eventTime-desc' ? 'v.event_time DESC, m.seq DESC' : 'v.event_time ASC, m.seq ASC';
      let after = '';
      if (valid.after !== undefined) {
        const [cursor] = await db.query<{ seq: string }>(`SELECT seq FROM ${s}.memories WHERE id = $1`, [valid.after]);
        if (!cursor) throw fail('INVALID_INPUT', `after names no stored memory (${valid.after}); pass the last id of the previous page.`, { details: { field: 'after' } });
        after = ` AND m.seq > ${params.add(cursor.seq)}`;
      }
      return (await db.query<RecordRow>(`${RECORD} WHERE ${when} AND ${where}${after} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`, params.values)).map(toRecord);
    },

    async count(filter = {}) {
      open();
      const params = createSqlParams();
      const where = filterToSql(validateFilter(filter), params);
      return Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${s}.versions v WHERE v.valid_to IS NULL AND ${where}`, params.values))[0]!.n);
    },

    ...searchMethods,

    ...byIdMethods,

    ...graphMethods,

    async recordAccess(ids) {
      open();
      const counts = new Map<string, number>();
      for (const id of arrayArgument(ids, 'ids')) if (typeof id === 'string') counts.set(id, (counts.get(id) ?? 0) + 1);
      if (counts.size === 0) return;
      await db.query(`UPDATE ${s}.memories m SET access_count = m.access_count + c.n, last_accessed_at = $3 FROM (SELECT unnest($1::text[]) AS id, unnest($2::int[]) AS n) c WHERE m.id = c.id`, [
        [...counts.keys()],
        [...counts.values()],
        clock.now(),
      ]);
    },

    async stats() {
      open();
      const one = async (sql: string) => Number((await db.query<{ n: string }>(sql))[0]!.n);
      const vectors: Partial<Record<Scale, number>> = {};
      for (const scale of memoryScales) vectors[scale] = await one(`SELECT count(*) AS n FROM ${s}.vectors_${scale}`);
      if (vectorScales.session) vectors.session = await one(`SELECT count(*) AS n FROM ${s}.sessions WHERE embedding IS NOT NULL`);
      if (vectorScales.token) vectors.token = await one(`SELECT count(*) AS n FROM ${s}.token_vectors`);
      const [bytes] = await db.query<{ n: string | null }>(
        `SELECT sum(pg_total_relation_size(c.oid)) AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'`,
        [schema],
      );
      return {
        memories: await one(`SELECT count(*) AS n FROM ${s}.versions WHERE valid_to IS NULL`),
        sessions: await one(`SELECT count(*) AS n FROM ${s}.sessions`),
        edges: await one(`SELECT count(*) AS n FROM ${s}.edges`),
        historyEvents: await one(`SELECT count(*) AS n FROM ${s}.history`),
        vectors,
        bytesOnDisk: Number(bytes?.n ?? 0),
      };
    },

    async compact() {
      open();
      const bytesBefore = (await store.stats()).bytesOnDisk;
      // VACUUM cannot run in a transaction; plain VACUUM marks dead rows reusable and ANALYZE refreshes
      // the planner (a FULL rewrite would lock every table, so it is left to the operator).
      for (const table of [...memoryScales.map((scale) => `vectors_${scale}`), ...TABLES]) await db.query(`VACUUM (ANALYZE) ${s}.${table}`);
      return { bytesBefore, bytesAfter: (await store.stats()).bytesOnDisk, rewritten: false };
    },

    async reset() {
      open();
      const tables = [...memoryScales.map((scale) => `vectors_${scale}`), ...TABLES].map((table) => `${s}.${table}`);
      await db.transaction((client) => client.query(`TRUNCATE ${tables.join(', ')} RESTART IDENTITY`));
    },

    async close() {
      if (closed) return;
      closed = true;
      if (ownsPool) await pool.end();
    },
  };
  return store;
}

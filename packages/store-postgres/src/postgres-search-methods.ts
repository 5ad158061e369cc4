import {
  createErrorFactory,
  lexicalWords,
  queryObject,
  validateFilter,
  validatePositiveInt,
  validateScale,
  validateScope,
  validateVector,
  type MemoryRecord,
  type MemoryStore,
  type Scale,
} from '@neuromem/core';
import type { PostgresConnection } from './postgres-connection';
import { filterToSql } from './postgres-filter';
import { scopeOf } from './postgres-graph';
import { toRecord, toSqlVector } from './postgres-rows';
import { createPostgresSearch } from './postgres-search';
import { createSqlParams } from './sql-params';

const fail = createErrorFactory('store-postgres');

/** Query words a text search reads at most: a pasted document is not 5,000 postings lookups. */
const MAX_QUERY_TERMS = 32;

interface SearchMethodsContext {
  db: PostgresConnection;
  schema: string;
  /** Throws `CLOSED` after `close()`. */
  open: () => void;
  vectorScales: MemoryStore['vectorScales'];
  /** The scales memories have vectors at (not sessions, not tokens). */
  memoryScales: readonly Scale[];
  currentMany: (ids: readonly string[]) => Promise<MemoryRecord[]>;
}

/** The store's searches on PostgreSQL: pgvector's HNSW for memories and sessions, BM25 over postings for words. */
export function createPostgresSearchMethods({
  db,
  schema,
  open,
  vectorScales,
  memoryScales,
  currentMany,
}: SearchMethodsContext): Pick<Required<MemoryStore>, 'searchVectors' | 'searchSessions' | 'searchText'> {
  const s = `"${schema}"`;
  const search = createPostgresSearch({ db, schema });
  return {
    async searchVectors(query) {
      open();
      queryObject(query, 'searchVectors() query', false);
      const scale = validateScale(query.scale, 'store');
      if (!memoryScales.includes(scale)) throw fail('INVALID_INPUT', `searchVectors searches memories at ${memoryScales.join(', ')}${scale === 'session' ? '; use searchSessions for sessions' : ''}.`);
      const vector = validateVector(query.vector, vectorScales[scale]!, { field: 'query.vector', module: 'store' });
      const k = validatePositiveInt(query.k, 'k', 10_000, 'store');
      const params = createSqlParams();
      const where = filterToSql(validateFilter(query.filter), params);
      return (await search.nearest(scale, vector, k, where, params)).map((row) => ({ record: toRecord(row), similarity: row.similarity }));
    },

    async searchSessions(query) {
      open();
      queryObject(query, 'searchSessions() query', false);
      if (!vectorScales.session) throw fail('INVALID_INPUT', 'this store indexes no sessions; open it with vectorScales.session.');
      const vector = validateVector(query.vector, vectorScales.session, { field: 'query.vector', module: 'store' });
      const k = validatePositiveInt(query.k, 'k', 10_000, 'store');
      const scope = validateScope(query.scope, { module: 'store' });
      const params = createSqlParams();
      const q = params.add(toSqlVector(vector));
      const conditions = ['embedding IS NOT NULL'];
      if (scope.userId !== undefined) conditions.push(`user_id = ${params.add(scope.userId)}`);
      if (scope.agentId !== undefined) conditions.push(`agent_id = ${params.add(scope.agentId)}`);
      if (scope.sessionId !== undefined) conditions.push(`session_id = ${params.add(scope.sessionId)}`);
      const rows = await db.query<{ node_id: string; user_id: string | null; agent_id: string | null; session_id: string; similarity: number }>(
        `SELECT node_id, user_id, agent_id, session_id, 1 - (embedding <=> ${q}::vector) AS similarity FROM ${s}.sessions WHERE ${conditions.join(' AND ')} ORDER BY embedding <=> ${q}::vector LIMIT ${k}`,
        params.values,
      );
      return rows.map((row) => ({ nodeId: row.node_id, scope: scopeOf(row), similarity: row.similarity }));
    },

    async searchText(query) {
      open();
      queryObject(query, 'searchText() query', false);
      if (typeof query.text !== 'string') throw fail('INVALID_INPUT', 'query.text must be a string.', { details: { field: 'text' } });
      const k = validatePositiveInt(query.k, 'k', 10_000, 'store');
      const filter = validateFilter(query.filter);
      const terms = [...new Set(lexicalWords(query.text.slice(0, 10_000)))].slice(0, MAX_QUERY_TERMS);
      if (terms.length === 0) return [];
      const params = createSqlParams();
      const best = await search.bestByWords(terms, filterToSql(filter, params), params, k);
      const records = new Map((await currentMany(best.map(([id]) => id))).map((record) => [record.id, record]));
      return best.flatMap(([id, score]) => (records.has(id) ? [{ record: records.get(id)!, score }] : []));
    },
  };
}

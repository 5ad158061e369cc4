import { createErrorFactory, inScope, validateFilter, type MemoryRecord, type Scope } from '@neuromem/core';
import type { PoolClient } from 'pg';
import type { PostgresConnection } from './postgres-connection';
import { filterToSql } from './postgres-filter';
import { scopeOf } from './postgres-graph';
import { recordSelect, toRecord, type RecordRow } from './postgres-rows';
import { createSqlParams } from './sql-params';

const fail = createErrorFactory('store-postgres');

/** Reads by id that every method shares: owners, current records and rows, the locked current version. */
export function createPostgresReads({ db, schema }: { db: PostgresConnection; schema: string }) {
  const s = `"${schema}"`;
  const RECORD = recordSelect(s);

  /** Owners of memories (their last version's, deleted ones too) and sessions; unknown and purged ids are absent. */
  async function ownersOf(ids: readonly string[]): Promise<Map<string, Scope>> {
    if (ids.length === 0) return new Map();
    const rows = await db.query<{ id: string; user_id: string | null; agent_id: string | null; session_id: string | null }>(
      `(SELECT DISTINCT ON (id) id, user_id, agent_id, session_id FROM ${s}.versions WHERE id = ANY($1) ORDER BY id, version DESC)
       UNION ALL (SELECT node_id, user_id, agent_id, session_id FROM ${s}.sessions WHERE node_id = ANY($1))`,
      [[...new Set(ids)]],
    );
    return new Map(rows.map((row) => [row.id, scopeOf(row)]));
  }

  /** Whether the id's owner lies inside the scope (always, without one); unknown ids never do. */
  async function owned(id: string, scope: Scope | undefined): Promise<boolean> {
    if (scope === undefined) return true;
    const owner = (await ownersOf([id])).get(id);
    return owner !== undefined && inScope(owner, scope);
  }

  /** The current records of `ids`, in their order; unknown and deleted ids are left out. */
  async function currentMany(ids: readonly string[]): Promise<MemoryRecord[]> {
    if (ids.length === 0) return [];
    const rows = await db.query<RecordRow>(`${RECORD} WHERE v.id = ANY($1) AND v.valid_to IS NULL`, [ids]);
    const byId = new Map(rows.map((row) => [row.id, toRecord(row)]));
    return ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  }

  /** Conditions on the versions alias `v`: a current version of one of `ids`, inside the scope. */
  function currentIn(ids: readonly string[], scope: Scope | undefined) {
    const params = createSqlParams();
    const owner = filterToSql(validateFilter(scope ? { scope } : {}), params);
    return { params, where: `v.valid_to IS NULL AND v.id = ANY(${params.add(ids)}) AND ${owner}` };
  }

  /**
   * Rows of `table` (keyed by `memory_id`) for those of `ids` that are current memories inside the
   * scope, in one query: other owners' and unknown ids are simply absent.
   */
  async function currentRows<R extends { memory_id: string }>(table: string, columns: string, ids: readonly string[], scope: Scope | undefined): Promise<R[]> {
    if (ids.length === 0) return [];
    const { where, params } = currentIn(ids, scope);
    return db.query<R>(`SELECT ${columns} FROM ${s}.${table} t JOIN ${s}.versions v ON v.id = t.memory_id WHERE ${where}`, params.values);
  }

  /** The current version, locked for this transaction; NOT_FOUND exactly as for an unknown id. */
  async function lockCurrent(client: PoolClient, id: string, scope: Scope | undefined): Promise<MemoryRecord> {
    await client.query(`SELECT 1 FROM ${s}.memories WHERE id = $1 FOR UPDATE`, [id]);
    const row = (await client.query<RecordRow>(`${RECORD} WHERE v.id = $1 AND v.valid_to IS NULL`, [id])).rows[0];
    if (!row || !inScope(toRecord(row).scope, scope)) throw fail('NOT_FOUND', `no current memory with id ${id}; it was never stored, or it was deleted.`, { details: { id } });
    return toRecord(row);
  }

  return { ownersOf, owned, currentMany, currentIn, currentRows, lockCurrent };
}

import { createErrorFactory, validateScale, type MemoryStore, type Scale, type Scope } from '@neuromem/core';
import type { PostgresConnection } from './postgres-connection';
import type { createPostgresReads } from './postgres-reads';
import { fromBytes } from './postgres-rows';

const fail = createErrorFactory('store-postgres');

interface ByIdMethodsContext {
  db: PostgresConnection;
  schema: string;
  /** Throws `CLOSED` after `close()`. */
  open: () => void;
  vectorScales: MemoryStore['vectorScales'];
  /** The scales memories have vectors at (not sessions, not tokens). */
  memoryScales: readonly Scale[];
  reads: Pick<ReturnType<typeof createPostgresReads>, 'currentRows' | 'currentIn'>;
  /** The ids, checked, and the scope a by-id call checks (undefined: none). */
  byIds: (ids: readonly string[], check: Parameters<MemoryStore['vectors']>[2]) => { ids: string[]; scope: Scope | undefined };
}

/** What the store keeps beside each current memory, read by id: its vectors, token vectors and entities. */
export function createPostgresByIdMethods({ db, schema, open, vectorScales, memoryScales, reads, byIds }: ByIdMethodsContext): Pick<Required<MemoryStore>, 'vectors' | 'tokenVectors' | 'entities'> {
  const s = `"${schema}"`;
  const { currentRows, currentIn } = reads;
  return {
    async vectors(ids, scale, check) {
      open();
      const valid = validateScale(scale, 'store');
      if (vectorScales[valid] === undefined) throw fail('INVALID_INPUT', `this store keeps no ${valid} vectors; it has ${Object.keys(vectorScales).join(', ')}.`);
      // Sessions and tokens keep their vectors elsewhere: no memory has one at those scales.
      const asked = byIds(ids, check);
      if (!memoryScales.includes(valid)) return new Map();
      const rows = await currentRows<{ memory_id: string; raw: Buffer }>(`vectors_${valid}`, 't.memory_id, t.raw', asked.ids, asked.scope);
      return new Map(rows.map((row) => [row.memory_id, fromBytes(row.raw)]));
    },

    async tokenVectors(ids, check) {
      open();
      const asked = byIds(ids, check);
      const rows = await currentRows<{ memory_id: string; dims: number; data: Buffer }>('token_vectors', 't.memory_id, t.dims, t.data', asked.ids, asked.scope);
      return new Map(
        rows.map((row) => {
          const all = fromBytes(row.data);
          return [row.memory_id, Array.from({ length: all.length / row.dims }, (_, i) => all.slice(i * row.dims, (i + 1) * row.dims))];
        }),
      );
    },

    async entities(ids, check) {
      open();
      // Every current memory in scope has an entry, [] when it mentions nothing.
      const asked = byIds(ids, check);
      if (asked.ids.length === 0) return new Map();
      const { where, params } = currentIn(asked.ids, asked.scope);
      const rows = await db.query<{ memory_id: string; entity: string | null }>(
        `SELECT v.id AS memory_id, em.entity FROM ${s}.versions v LEFT JOIN ${s}.entity_mentions em ON em.memory_id = v.id WHERE ${where} ORDER BY em.position`,
        params.values,
      );
      const found = new Map<string, string[]>();
      for (const row of rows) {
        const list = found.get(row.memory_id) ?? found.set(row.memory_id, []).get(row.memory_id)!;
        if (row.entity !== null) list.push(row.entity);
      }
      return found;
    },
  };
}

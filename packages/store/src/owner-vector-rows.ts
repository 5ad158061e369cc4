import type { Database } from 'better-sqlite3';
import type { Scale } from '@neuromem/core';
import { quantizeUnit } from './int8-vector';
import type { VectorOwner } from './owner-vector-segments';
import { blobToVector } from './vector-codec';

/** Vectors that belong in `owner_vectors`: current memories' and sessions' vectors that have a user. */
const OWNED_MEMORY_VECTORS = `SELECT vec.key, vec.scale, vec.data, v.user_id, v.agent_id FROM vectors vec
  JOIN memories m ON m.id = vec.memory_id JOIN memory_versions v ON v.row_id = m.current_row WHERE v.user_id IS NOT NULL`;
const OWNED_SESSION_VECTORS = `SELECT vec.key, vec.scale, vec.data, s.user_id, s.agent_id FROM vectors vec
  JOIN sessions s ON s.node_id = vec.memory_id WHERE s.user_id IS NOT NULL`;
const REFILL_BATCH = 2_000;

/** The statements that keep `owner_vectors` (see schema.ts) in step with `vectors`, inside each write's transaction. */
export function createOwnerVectorRows(db: Database) {
  const insert = db.prepare('INSERT OR REPLACE INTO owner_vectors (user_id, scale, agent_id, key, factor, data) VALUES (?, ?, ?, ?, ?, ?)');
  const remove = db.prepare('DELETE FROM owner_vectors WHERE user_id = ? AND scale = ? AND agent_id = ? AND key = ?');
  const put = (owner: VectorOwner, scale: Scale, key: number, vector: Float32Array) => {
    if (owner.userId === null) return;
    const { factor, data } = quantizeUnit(vector);
    insert.run(owner.userId, scale, owner.agentId ?? '', key, factor, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  };

  return {
    put,
    remove(owner: VectorOwner, scale: Scale, key: number): void {
      if (owner.userId !== null) remove.run(owner.userId, scale, owner.agentId ?? '', key);
    },
    /** Rebuilds the table from `vectors` (a database from before it existed, or one found inconsistent), in key-ordered batches. */
    refill(): void {
      db.exec('DELETE FROM owner_vectors');
      for (const source of [OWNED_MEMORY_VECTORS, OWNED_SESSION_VECTORS]) {
        const batch = db.prepare<[number], { key: number; scale: Scale; data: Buffer; user_id: string; agent_id: string | null }>(`${source} AND vec.key > ? ORDER BY vec.key LIMIT ${REFILL_BATCH}`);
        for (let after = 0; ; ) {
          const rows = batch.all(after);
          if (rows.length === 0) break;
          for (const row of rows) put({ userId: row.user_id, agentId: row.agent_id }, row.scale, row.key, blobToVector(row.data));
          after = rows[rows.length - 1]!.key;
        }
      }
    },
    /** Rows `owner_vectors` should hold, against rows it holds; they differ only in a damaged file. */
    counts(): { expected: number; actual: number } {
      const one = (sql: string) => db.prepare<[], { n: number }>(sql).get()!.n;
      const expected = one(`SELECT COUNT(*) AS n FROM (${OWNED_MEMORY_VECTORS})`) + one(`SELECT COUNT(*) AS n FROM (${OWNED_SESSION_VECTORS})`);
      return { expected, actual: one('SELECT COUNT(*) AS n FROM owner_vectors') };
    },
  };
}

import type { Database } from 'better-sqlite3';
import { countRows, type RowCounts } from './count-rows';
import { createErrorFactory, type Scale } from '@neuromem/core';
import { quantizeUnit } from './int8-vector';
import type { VectorOwner } from './owner-vector-segments';
import { blobToVector } from './vector-codec';

const fail = createErrorFactory('store');

/** Vectors that belong in `owner_vectors`: current memories' and sessions' vectors that have a user. */
const OWNED_MEMORY_VECTORS = `SELECT vec.key, vec.scale, vec.data, v.user_id, v.agent_id FROM vectors vec
  JOIN memories m ON m.id = vec.memory_id JOIN memory_versions v ON v.row_id = m.current_row WHERE v.user_id IS NOT NULL`;
const OWNED_SESSION_VECTORS = `SELECT vec.key, vec.scale, vec.data, s.user_id, s.agent_id FROM vectors vec
  JOIN sessions s ON s.node_id = vec.memory_id WHERE s.user_id IS NOT NULL`;
const REFILL_BATCH = 2_000;

/** Rows one owner segment can hold: its rows' slots are segment id * SPAN + place (see schema.ts). */
export const SEGMENT_SPAN = 2n ** 32n;

/** The slots of a segment, first and last (as SQLite's 64-bit integers: past 2^53 a number would round). */
export const segmentSlots = (segment: number): [bigint, bigint] => [BigInt(segment) * SEGMENT_SPAN, BigInt(segment) * SEGMENT_SPAN + SEGMENT_SPAN - 1n];

/** The statements that keep `owner_vectors` (see schema.ts) in step with `vectors`, inside each write's transaction. */
export function createOwnerVectorRows(db: Database) {
  const segmentOf = db.prepare<[string, string, string], number>('SELECT id FROM owner_segments WHERE user_id = ? AND scale = ? AND agent_id = ?').pluck();
  const newSegment = db.prepare<[string, string, string], number>('INSERT INTO owner_segments (user_id, scale, agent_id) VALUES (?, ?, ?) RETURNING id').pluck();
  const lastSlot = db.prepare<[bigint, bigint], bigint>('SELECT slot FROM owner_vectors WHERE slot BETWEEN ? AND ? ORDER BY slot DESC LIMIT 1').pluck().safeIntegers();
  // A key has one row: putting it again (a re-embedded memory) replaces the row, at the segment's end.
  const insert = db.prepare('INSERT OR REPLACE INTO owner_vectors (slot, key, factor, data, length) VALUES (?, ?, ?, ?, ?)');
  const remove = db.prepare('DELETE FROM owner_vectors WHERE key = ?');

  /** The next free slot at the end of the owner's segment (made on first use). */
  const nextSlot = (userId: string, scale: Scale, agentId: string): bigint => {
    const segment = segmentOf.get(userId, scale, agentId) ?? newSegment.get(userId, scale, agentId)!;
    const [first, last] = segmentSlots(segment);
    const slot = (lastSlot.get(first, last) ?? first - 1n) + 1n;
    // 2^32 puts to one user's scale (each re-embedding takes a new slot): not reached in practice,
    // and refused rather than spilling into the next owner's segment.
    if (slot > last) throw fail('STORAGE', `the vector segment of user ${userId} at scale ${scale} is full (${SEGMENT_SPAN} slots).`);
    return slot;
  };
  /**
   * The owner's row of a vector. `keptOnce`: the vector's only copy (its int8 bytes and length, as
   * `vectors` would hold them; see stored-vector-rows.ts); else a copy of what `vectors` holds.
   */
  const put = (owner: VectorOwner, scale: Scale, key: number, vector: Float32Array, keptOnce?: { scale: number; data: Int8Array }) => {
    if (owner.userId === null) return;
    const quantized = quantizeUnit(vector);
    // Both round alike (vector-codec.ts), so the kept bytes are the ones the segment would compute.
    const data = keptOnce?.data ?? quantized.data;
    insert.run(nextSlot(owner.userId, scale, owner.agentId ?? ''), key, quantized.factor, Buffer.from(data.buffer, data.byteOffset, data.byteLength), keptOnce?.scale ?? null);
  };

  return {
    put,
    /** Drops a vector's owner row, if it has one. */
    remove(key: number): void {
      remove.run(key);
    },
    /**
     * Rebuilds the copies from `vectors` (a database from before the table existed, or one found
     * inconsistent), in key-ordered batches. Rows that are a vector's only copy are kept: nothing
     * else holds their bytes.
     */
    refill(): void {
      db.exec('DELETE FROM owner_vectors WHERE length IS NULL');
      for (const source of [OWNED_MEMORY_VECTORS, OWNED_SESSION_VECTORS]) {
        const batch = db.prepare<[number], { key: number; scale: Scale; data: Buffer; user_id: string; agent_id: string | null }>(
          `${source} AND length(vec.data) > 0 AND vec.key > ? ORDER BY vec.key LIMIT ${REFILL_BATCH}`,
        );
        for (let after = 0; ; ) {
          const rows = batch.all(after);
          if (rows.length === 0) break;
          for (const row of rows) put({ userId: row.user_id, agentId: row.agent_id }, row.scale, row.key, blobToVector(row.data));
          after = rows[rows.length - 1]!.key;
        }
      }
    },
    /**
     * Vectors kept once whose owner row is gone (a damaged file): their rows in `vectors` are
     * dropped, so the memories are found by words, links and time as cold ones are. Returns the keys.
     */
    dropLost(): Array<{ key: number; scale: Scale }> {
      const lost = db
        .prepare<[], { key: number; scale: Scale }>('SELECT vec.key, vec.scale FROM vectors vec WHERE length(vec.data) = 0 AND NOT EXISTS (SELECT 1 FROM owner_vectors ov WHERE ov.key = vec.key)')
        .all();
      const drop = db.prepare('DELETE FROM vectors WHERE key = ?');
      const log = db.prepare('INSERT INTO index_removals (scale, key) VALUES (?, ?)');
      for (const { key, scale } of lost) drop.run(key), log.run(scale, key);
      return lost;
    },
    /** Rows `owner_vectors` should hold, against rows it holds; they differ only in a damaged file. */
    counts: (): RowCounts => ({
      expected: countRows(db, `SELECT COUNT(*) AS n FROM (${OWNED_MEMORY_VECTORS})`) + countRows(db, `SELECT COUNT(*) AS n FROM (${OWNED_SESSION_VECTORS})`),
      actual: countRows(db, 'SELECT COUNT(*) AS n FROM owner_vectors'),
    }),
  };
}

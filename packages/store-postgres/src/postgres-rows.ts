import { createHash } from 'node:crypto';
import type { MemoryRecord, Scale, Scope } from '@neuromem/core';
import { scopeOf } from './postgres-graph';

/** How the store's rows become records and its values become SQL, in one place for reads and writes. */

export type RecordRow = {
  id: string;
  version: number;
  text: string;
  kind: MemoryRecord['kind'];
  scale: Scale;
  user_id: string | null;
  agent_id: string | null;
  session_id: string | null;
  role: string | null;
  event_time: string;
  valid_from: string;
  valid_to: string | null;
  importance: number;
  source: MemoryRecord['source'];
  metadata: MemoryRecord['metadata'];
  hash: string;
  created_at: string;
  access_count: number;
  last_accessed_at: string | null;
};

export const toRecord = (row: RecordRow): MemoryRecord => ({
  id: row.id,
  version: row.version,
  text: row.text,
  kind: row.kind,
  scale: row.scale,
  scope: scopeOf(row),
  role: row.role,
  eventTime: Number(row.event_time),
  createdAt: Number(row.created_at),
  validFrom: Number(row.valid_from),
  validTo: row.valid_to === null ? null : Number(row.valid_to),
  importance: row.importance,
  accessCount: row.access_count,
  lastAccessedAt: row.last_accessed_at === null ? null : Number(row.last_accessed_at),
  source: row.source,
  metadata: row.metadata,
  hash: row.hash,
});

export const toSqlVector = (vector: Float32Array) => `[${Array.from(vector).join(',')}]`;
export const toBytes = (vector: Float32Array) => Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
export const fromBytes = (bytes: Buffer) => new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
export const sessionNodeId = (scope: Scope) => `session:${sha256(JSON.stringify([scope.userId ?? null, scope.agentId ?? null, scope.sessionId])).slice(0, 24)}`;
/** Memories are linked by entity within one owner (user + agent), never across owners. */
export const ownerKey = (scope: Scope) => JSON.stringify([scope.userId ?? null, scope.agentId ?? null]);

/** The columns of a record: a version joined with its memory (`v`, `m`). */
export const recordSelect = (s: string) =>
  `SELECT v.id, v.version, v.text, v.kind, v.scale, v.user_id, v.agent_id, v.session_id, v.role, v.event_time, v.valid_from, v.valid_to,
    v.importance, v.source, v.metadata, v.hash, m.created_at, m.access_count, m.last_accessed_at
    FROM ${s}.versions v JOIN ${s}.memories m ON m.id = v.id`;

import type { MemoryKind, MemoryRecord, Scale, Scope, SourcePointer } from '@neuromem/core';

/** A `memory_versions` row joined with its `memories` row. */
export interface RecordRow {
  row_id: number;
  id: string;
  version: number;
  text: string;
  kind: string;
  scale: string;
  user_id: string | null;
  agent_id: string | null;
  session_id: string | null;
  role: string | null;
  event_time: number;
  valid_from: number;
  valid_to: number | null;
  importance: number;
  source: string | null;
  metadata: string;
  hash: string;
  created_at: number;
  access_count: number;
  last_accessed_at: number | null;
  seq: number;
}

/** The columns every record query selects, over `memory_versions v` joined with `memories m`. */
export const RECORD_COLUMNS = `v.row_id, v.id, v.version, v.text, v.kind, v.scale, v.user_id, v.agent_id, v.session_id, v.role,
  v.event_time, v.valid_from, v.valid_to, v.importance, v.source, v.metadata, v.hash,
  m.created_at, m.access_count, m.last_accessed_at, m.seq`;

/** Current versions only. */
// `v.valid_to IS NULL` always holds for a current row; stated, it lets SQLite start from the partial
// per-user and per-agent indexes of current versions instead of walking every memory.
export const CURRENT_FROM = 'memories m JOIN memory_versions v ON v.row_id = m.current_row AND v.valid_to IS NULL';

/** The scope of a version or session row: only the ids it has. */
export function rowScope(row: Pick<RecordRow, 'user_id' | 'agent_id' | 'session_id'>): Scope {
  const scope: Scope = {};
  if (row.user_id !== null) scope.userId = row.user_id;
  if (row.agent_id !== null) scope.agentId = row.agent_id;
  if (row.session_id !== null) scope.sessionId = row.session_id;
  return scope;
}

export function rowToRecord(row: RecordRow): MemoryRecord {
  const scope = rowScope(row);
  return {
    id: row.id,
    version: row.version,
    text: row.text,
    kind: row.kind as MemoryKind,
    scale: row.scale as Scale,
    scope,
    role: row.role,
    eventTime: row.event_time,
    createdAt: row.created_at,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    importance: row.importance,
    accessCount: row.access_count,
    lastAccessedAt: row.last_accessed_at,
    source: row.source === null ? null : (JSON.parse(row.source) as SourcePointer),
    metadata: JSON.parse(row.metadata) as MemoryRecord['metadata'],
    hash: row.hash,
  };
}

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

/** How many values `RECORD_COLUMNS` puts in a raw row. */
export const RECORD_WIDTH = 21;

/**
 * The record in a raw row (a statement in `raw()` mode gives each row as an array of its values)
 * whose `RECORD_COLUMNS` start at `at`. Queries that return many records read them this way:
 * better-sqlite3 builds a row object one property at a time through V8's API, and for a record's 21
 * columns that cost as much as the query itself (40 records by key: 0.71 -> 0.36 ms).
 */
export function recordAt(values: readonly unknown[], at = 0): MemoryRecord {
  const [userId, agentId, sessionId, source] = [values[at + 6], values[at + 7], values[at + 8], values[at + 14]] as Array<string | null>;
  const scope: Scope = {};
  if (userId !== null) scope.userId = userId!;
  if (agentId !== null) scope.agentId = agentId!;
  if (sessionId !== null) scope.sessionId = sessionId!;
  return {
    id: values[at + 1] as string,
    version: values[at + 2] as number,
    text: values[at + 3] as string,
    kind: values[at + 4] as MemoryKind,
    scale: values[at + 5] as Scale,
    scope,
    role: values[at + 9] as string | null,
    eventTime: values[at + 10] as number,
    createdAt: values[at + 17] as number,
    validFrom: values[at + 11] as number,
    validTo: values[at + 12] as number | null,
    importance: values[at + 13] as number,
    accessCount: values[at + 18] as number,
    lastAccessedAt: values[at + 19] as number | null,
    source: source === null ? null : (JSON.parse(source!) as SourcePointer),
    metadata: JSON.parse(values[at + 15] as string) as MemoryRecord['metadata'],
    hash: values[at + 16] as string,
  };
}

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

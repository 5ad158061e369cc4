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
  /** The text's SHA-256, as 32 bytes (the record spells it in hex). */
  hash: Buffer;
  created_at: number;
  access_count: number;
  last_accessed_at: number | null;
  seq: number;
}

/** A record's columns in the order `RECORD_COLUMNS` selects them. */
const RECORD_FIELDS = [
  'row_id',
  'id',
  'version',
  'text',
  'kind',
  'scale',
  'user_id',
  'agent_id',
  'session_id',
  'role',
  'event_time',
  'valid_from',
  'valid_to',
  'importance',
  'source',
  'metadata',
  'hash',
  'created_at',
  'access_count',
  'last_accessed_at',
  'seq',
] as const satisfies ReadonlyArray<keyof RecordRow>;
const FROM_MEMORIES: ReadonlySet<string> = new Set(['id', 'created_at', 'access_count', 'last_accessed_at', 'seq']);

/** The columns every record query selects, over `memory_versions v` joined with `memories m`. */
export const RECORD_COLUMNS = RECORD_FIELDS.map((field) => `${FROM_MEMORIES.has(field) ? 'm' : 'v'}.${field}`).join(', ');

/** How many values `RECORD_COLUMNS` puts in a raw row. */
export const RECORD_WIDTH = RECORD_FIELDS.length;

/** Where each column sits in a raw row (`row[RECORD_COLUMN.id]`). */
export const RECORD_COLUMN = Object.fromEntries(RECORD_FIELDS.map((field, i) => [field, i])) as Record<(typeof RECORD_FIELDS)[number], number>;

/**
 * The record in a raw row (a statement in `raw()` mode gives each row as an array of its values)
 * whose `RECORD_COLUMNS` start at `at`. Queries that return many records read them this way:
 * better-sqlite3 builds a row object one property at a time through V8's API, and for a record's 21
 * columns that cost as much as the query itself (40 records by key: 0.71 -> 0.36 ms).
 */
export function recordAt(values: readonly unknown[], at = 0): MemoryRecord {
  const value = <T>(field: (typeof RECORD_FIELDS)[number]) => values[at + RECORD_COLUMN[field]] as T;
  const source = value<string | null>('source');
  return {
    id: value('id'),
    version: value('version'),
    text: value('text'),
    kind: value<MemoryKind>('kind'),
    scale: value<Scale>('scale'),
    scope: rowScope({ user_id: value('user_id'), agent_id: value('agent_id'), session_id: value('session_id') }),
    role: value('role'),
    eventTime: value('event_time'),
    createdAt: value('created_at'),
    validFrom: value('valid_from'),
    validTo: value('valid_to'),
    importance: value('importance'),
    accessCount: value('access_count'),
    lastAccessedAt: value('last_accessed_at'),
    source: source === null ? null : (JSON.parse(source) as SourcePointer),
    metadata: JSON.parse(value('metadata')) as MemoryRecord['metadata'],
    hash: value<Buffer>('hash').toString('hex'),
  };
}

/**
 * Current versions only. Joined both ways: from a memory to its version by `current_row`, and from a
 * version (found by a per-owner index) to its memory by `memory`, the memories table's own key, so
 * no index of `current_row` is needed (schema 16 dropped it: ~16 bytes a memory). `v.valid_to IS NULL`
 * always holds for a current row; stated, SQLite filters on it inside the per-owner indexes.
 */
export const CURRENT_FROM = 'memories m JOIN memory_versions v ON v.row_id = m.current_row AND v.memory = m.seq AND v.valid_to IS NULL';

/** The scope of a version or session row: only the ids it has. */
export function rowScope(row: Pick<RecordRow, 'user_id' | 'agent_id' | 'session_id'>): Scope {
  const scope: Scope = {};
  if (row.user_id !== null) scope.userId = row.user_id;
  if (row.agent_id !== null) scope.agentId = row.agent_id;
  if (row.session_id !== null) scope.sessionId = row.session_id;
  return scope;
}

/** The record in a row object (single-row reads; see `recordAt`). */
export function rowToRecord(row: RecordRow): MemoryRecord {
  return recordAt(RECORD_FIELDS.map((field) => row[field]));
}

import { EDGE_TYPE_CODE_SQL } from './edge-type-codes';
import { OWNERS_BY_KIND_SQL } from './owner-text-index';
import { CURRENT_COUNT_SQL, EDGES_TABLE_SQL, HISTORY_TABLE_SQL, MEMORIES_TABLE_SQL, NODE_OF, OWNER_VECTORS_SQL, SESSIONS_TABLE_SQL, VERSIONS_TABLE_SQL } from './schema';

/*
 * The SQL that brings a file written by an older schema up to date (see `openDatabase`, which runs
 * it in order inside the open's transaction). The current schema is in schema.ts.
 */

/**
 * Schema 14 left the store-wide FTS5 index, `memory_text` (and its triggers), for the owner postings,
 * which every search reads now (see `owner-text-index.ts`).
 */
export const DROP_MEMORY_TEXT_SQL = `
DROP TRIGGER IF EXISTS memory_text_add;
DROP TRIGGER IF EXISTS memory_text_close;
DROP TRIGGER IF EXISTS memory_text_drop;
DROP TABLE IF EXISTS memory_text;
`;

/** Whether a node id is a current memory or a session (edges named their ends by id before schema 8). */
const isLive = (id: string) => `(EXISTS (SELECT 1 FROM memories WHERE id = ${id} AND current_row IS NOT NULL) OR EXISTS (SELECT 1 FROM sessions WHERE node_id = ${id}))`;
const LIVE_EDGE_SQL = (from: string, to: string) => `(${isLive(from)} AND ${isLive(to)})`;

/** Schema 16: the indexes schema.ts's `RECORD_INDEXES_SQL` replaced (made again after this runs). */
export const DROP_OLD_RECORD_INDEXES_SQL = `
DROP INDEX IF EXISTS memories_current;
DROP INDEX IF EXISTS versions_user_time;
DROP INDEX IF EXISTS versions_agent_time;
DROP INDEX IF EXISTS versions_asof;
`;

/**
 * Which memory mentions which entity key, within one owner: `seq` is the memory's (`memories.seq`),
 * so a mention names its memory in a few bytes (schema 7; the id was a second copy of ~36).
 * Rows in write order: a memory's keys read back in the order they were linked.
 */
const MENTIONS_V7_TABLE_SQL = (name: string) => `CREATE TABLE IF NOT EXISTS ${name} (
  entity TEXT NOT NULL,
  owner_key TEXT NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (owner_key, entity, seq)
);`;

/**
 * Schema 12: owner rows clustered by rowid, a segment per (user, scale, agent), written in the
 * order schema 4-11's key kept them (for a file whose `owner_vectors` is still WITHOUT ROWID). About
 * a second per 300,000 vectors, once.
 */
export const SEGMENT_OWNER_VECTORS_SQL = `
${OWNER_VECTORS_SQL('owner_vectors_v12')}
INSERT OR IGNORE INTO owner_segments (user_id, scale, agent_id) SELECT DISTINCT user_id, scale, agent_id FROM owner_vectors ORDER BY user_id, scale, agent_id;
INSERT INTO owner_vectors_v12 (slot, key, factor, data, length)
  SELECT s.id * 4294967296 + row_number() OVER (PARTITION BY s.id ORDER BY ov.key) - 1, ov.key, ov.factor, ov.data, ov.length
  FROM owner_vectors ov JOIN owner_segments s ON s.user_id = ov.user_id AND s.scale = ov.scale AND s.agent_id = ov.agent_id
  ORDER BY ov.user_id, ov.scale, ov.agent_id, ov.key;
DROP TABLE owner_vectors;
ALTER TABLE owner_vectors_v12 RENAME TO owner_vectors;
`;

/**
 * Schema 13: versions name their memory by number and keep their hash as bytes, memories name their
 * session by number, and the log is clustered by memory (for a file whose versions still hold ids).
 * Row ids, seqs and AUTOINCREMENT counters are kept: the lexical indexes, the graph and the vector
 * rows refer to them. A version whose memory row is gone (none should be: a purge deletes both) is
 * left out; no read could reach it. Run last: it needs the session numbers of schema 8.
 */
export const SLIM_RECORDS_SQL = `
CREATE TEMP TABLE counters_v13 AS SELECT name, seq FROM sqlite_sequence WHERE name IN ('memories', 'memory_versions');
${MEMORIES_TABLE_SQL('memories_v13')}
INSERT INTO memories_v13 (seq, id, current_row, session, created_at, access_count, last_accessed_at)
  SELECT m.seq, m.id, m.current_row, s.seq, m.created_at, m.access_count, m.last_accessed_at FROM memories m LEFT JOIN sessions s ON s.node_id = m.session_node ORDER BY m.seq;
${VERSIONS_TABLE_SQL('memory_versions_v13')}
INSERT INTO memory_versions_v13 (row_id, memory, version, text, kind, scale, user_id, agent_id, session_id, role, event_time, valid_from, valid_to, importance, source, metadata, hash)
  SELECT v.row_id, m.seq, v.version, v.text, v.kind, v.scale, v.user_id, v.agent_id, v.session_id, v.role, v.event_time, v.valid_from, v.valid_to, v.importance, v.source, v.metadata, unhex(v.hash)
  FROM memory_versions v JOIN memories m ON m.id = v.id ORDER BY v.row_id;
${HISTORY_TABLE_SQL('history_v13')}
INSERT INTO history_v13 (memory_id, seq, event, version, at, previous_text, text) SELECT memory_id, seq, event, version, at, previous_text, text FROM history ORDER BY memory_id, seq;
INSERT OR REPLACE INTO meta (key, value) VALUES ('history_seq', max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'history'), 0), coalesce((SELECT max(seq) FROM history), 0)));
DROP TABLE memories;
DROP TABLE memory_versions;
DROP TABLE history;
ALTER TABLE memories_v13 RENAME TO memories;
ALTER TABLE memory_versions_v13 RENAME TO memory_versions;
ALTER TABLE history_v13 RENAME TO history;
DELETE FROM sqlite_sequence WHERE name IN ('memories', 'memory_versions');
INSERT INTO sqlite_sequence (name, seq) SELECT name, seq FROM counters_v13;
DROP TABLE counters_v13;
${CURRENT_COUNT_SQL}
`;

/**
 * Schema 13: edge types as codes (`EDGE_TYPE_CODES`), in the order the key sorts them. Run after
 * `FOLD_EDGES_SQL`; a type already coded is kept.
 */
export const CODE_EDGE_TYPES_SQL = `
${EDGES_TABLE_SQL('edges_v13')}
INSERT INTO edges_v13 (from_n, to_n, type, weight, label, created_at, live, seq)
  SELECT from_n, to_n, coalesce(${EDGE_TYPE_CODE_SQL('type')}, type) AS code, weight, label, created_at, live, seq FROM edges ORDER BY from_n, to_n, code;
DROP TABLE edges;
ALTER TABLE edges_v13 RENAME TO edges;
`;

/**
 * Schema 15: each memory's ADD event moves from the log into its row (`memories.added`) when the row
 * tells it exactly (version 1, at the memory's `created_at`, no copied texts); any other stays a row.
 */
export const FOLD_ADD_EVENTS_SQL = `
UPDATE memories SET added = h.seq FROM history h
  WHERE h.memory_id = memories.id AND h.event = 'ADD' AND h.version = 1 AND h.at = memories.created_at
    AND h.previous_text IS NULL AND h.text IS NULL AND memories.added IS NULL;
DELETE FROM history WHERE event = 'ADD' AND EXISTS (SELECT 1 FROM memories m WHERE m.id = history.memory_id AND m.added = history.seq);
`;

/**
 * Schema 8: edges between node numbers, clustered by their key, with their write order as `seq` (the
 * rowid of a file from before schema 6); the key index, the walk indexes and the to-index become the
 * table and one covering in-index. For a file whose edges still name their ends by id; run after
 * `FOLD_SESSIONS_SQL`. An edge whose end is no memory or session any more (none should be) is left out.
 */
export const FOLD_EDGES_SQL = (order: 'rowid' | 'seq') => `
${EDGES_TABLE_SQL('edges_v8')}
INSERT INTO edges_v8 (from_n, to_n, type, weight, label, created_at, live, seq)
  SELECT f, t, type, weight, label, created_at, live, o FROM (SELECT ${NODE_OF('from_id')} AS f, ${NODE_OF('to_id')} AS t, type, weight, label, created_at, live, ${order} AS o FROM edges)
  WHERE f IS NOT NULL AND t IS NOT NULL ORDER BY f, t, type;
DROP TABLE edges;
ALTER TABLE edges_v8 RENAME TO edges;
INSERT OR REPLACE INTO meta (key, value) VALUES ('edge_seq', (SELECT coalesce(max(seq), 0) FROM edges));
`;

/** Schema 8: sessions gain the integer that numbers them as graph nodes, in the order they were written. */
export const FOLD_SESSIONS_SQL = `
${SESSIONS_TABLE_SQL('sessions_v8')}
INSERT INTO sessions_v8 (node_id, user_id, agent_id, session_id, created_at) SELECT node_id, user_id, agent_id, session_id, created_at FROM sessions ORDER BY rowid;
DROP TABLE sessions;
ALTER TABLE sessions_v8 RENAME TO sessions;
`;

/**
 * Schema 11: mentions in write order without the (owner, entity, seq) key, whose lookups
 * `mention_words` answers now (filled in code after this runs; see `entity-mention-index.ts`).
 */
export const UNKEY_MENTIONS_SQL = `
CREATE TABLE entity_mentions_v11 (entity TEXT NOT NULL, owner_key TEXT NOT NULL, seq INTEGER NOT NULL);
INSERT INTO entity_mentions_v11 (entity, owner_key, seq) SELECT entity, owner_key, seq FROM entity_mentions ORDER BY seq, rowid;
DROP TABLE entity_mentions;
ALTER TABLE entity_mentions_v11 RENAME TO entity_mentions;
CREATE INDEX IF NOT EXISTS mentions_seq ON entity_mentions (seq);
`;

/** Schema 7: mentions name their memory by its seq, not its id (for a file whose mentions still hold ids). */
export const FOLD_MENTIONS_SQL = `
${MENTIONS_V7_TABLE_SQL('entity_mentions_v7')}
INSERT OR IGNORE INTO entity_mentions_v7 (entity, owner_key, seq) SELECT entity, owner_key, seq FROM entity_mentions ORDER BY rowid;
DROP TABLE entity_mentions;
ALTER TABLE entity_mentions_v7 RENAME TO entity_mentions;
`;

/** Upgrades a database written by an older schema, inside one transaction. */
export const MIGRATIONS: Readonly<Record<number, string>> = {
  // Schema 3: edges know whether both ends are live (the graph is read from SQLite on demand, not
  // loaded on open). (Schemas 2-13's store-wide FTS5 index is dropped by schema 14's step.)
  3: `
ALTER TABLE edges ADD COLUMN live INTEGER NOT NULL DEFAULT 1;
UPDATE edges SET live = 0 WHERE NOT ${LIVE_EDGE_SQL('edges.from_id', 'edges.to_id')};
`,
  // Schema 9: the count of current memories is kept, not recounted (see CURRENT_COUNT_SQL).
  9: "UPDATE meta SET value = (SELECT COUNT(*) FROM memories WHERE current_row IS NOT NULL) WHERE key = 'current_memories';",
  // Schema 17: text owners by user and kind (the postings of other kinds are moved in code, see open-database.ts).
  17: OWNERS_BY_KIND_SQL,
};

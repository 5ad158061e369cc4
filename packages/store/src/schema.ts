import { ENTITY_MENTIONS_SQL } from './entity-mention-index';
import { OWNER_TEXT_SQL, TEXT_OWNERS_INDEX_SQL } from './owner-text-index';

/**
 * The durable truth. Every other structure (the usearch indexes, the graph's neighbourhood cache) is
 * derived from these tables and can be rebuilt from them.
 *
 * - `memories`: one row per memory id; `current_row` points at the live version (NULL = tombstoned).
 * - `memory_versions`: every version ever written; an update closes the old row (`valid_to`) and
 *   inserts a new one, so nothing is overwritten in place. A version names its memory by
 *   `memories.seq` (schema 13).
 * - `vectors`: the current vector per memory and scale; `key` is the derived index's key and is
 *   never reused (AUTOINCREMENT), which lets an index snapshot catch up by key range.
 * - `token_vectors`: per memory, its token vectors (int8, one scale factor each) for MaxSim re-ranking.
 *   Session vectors live in `vectors` under the session's node id.
 * - `owner_vectors`: each current vector of a memory or session that has a user as int8 with one
 *   factor (`quantizeUnit`), clustered by user, scale and agent: one user's search segment is one
 *   range read instead of a lookup per memory. Memories without a user are not in it. Since schema 7
 *   an int8 vector with a user is kept only here (`length` set, `vectors.data` empty; see
 *   stored-vector-rows.ts); older rows are a copy of `vectors.data`. Since schema 12 the clustering
 *   is the rowid: `owner_segments` numbers each (user, scale, agent), agent `''` = none, and its rows
 *   take rowids in that segment's range (see owner-vector-rows.ts). Schemas 4-11 clustered a
 *   WITHOUT ROWID table by (user, scale, agent, key), whose interior pages hold whole rows, vectors
 *   included, and whose 1,124-byte session vectors spilled to overflow pages: a third more bytes
 *   than the vectors.
 * - `index_removals`: keys dropped since the last index snapshot, replayed on open.
 * - `edges`: the graph (time, entity and cause links) between node numbers (`NODE_OF`: a memory's
 *   `seq`, a session's `-seq`), clustered by (from, to, type), so the table itself is the index a
 *   walk reads a node's outgoing links from; `edges_in` serves the incoming ones. `live` marks edges whose ends are both current memories or sessions, the only ones a walk
 *   follows; edges of deleted memories stay for history. `seq` is the write order (from the
 *   `edge_seq` counter in `meta`): a node's links are visited in it.
 * - `entity_mentions` and `mention_words`: which entities each memory mentions (clustered by memory
 *   since schema 15), and an FTS5 index of
 *   them by owner that finds the latest memories mentioning an entity (see `entity-mention-index.ts`;
 *   schemas 2-10 kept a B-tree keyed by owner, entity and memory instead).
 * - `history`: the append-only log of ADD / UPDATE / DELETE / PURGE events: which version each event
 *   opened or closed, and when (its texts are read from the versions, not copied), clustered by
 *   memory id (schema 13); a memory's ADD is kept in its `memories` row (schema 15).
 * - `owner_words` and `text_owners`: the lexical index of the current versions' text, as each
 *   user's own postings (see `owner-text-index.ts`), so a user's text search reads only that user's;
 *   an FTS5 index of its own since schema 10 (schemas 5-9 kept them in a B-tree, `owner_terms`), and
 *   the only text index since schema 14 (schemas 2-13 also kept a store-wide one, `memory_text`);
 *   an owner is a user's texts of one kind since schema 17 (each kind counted apart for BM25).
 * - `user_state`: small JSON documents per user and key (capability `userState`: a per-user model).
 * - `meta`: counters and settings; `current_memories` is the number of current memories, kept by
 *   triggers in the writing transaction (schema 9), so counting them is one read, not a pass over a
 *   million-entry index on every open and close.
 */
export const SCHEMA_VERSION = 17;

/**
 * A node's number in `edges`: a memory's `memories.seq`, a session's `-sessions.seq` (schema 8: a few
 * bytes where an id took ~36, in the table and in its index); NULL for an id that is neither.
 */
export const NODE_OF = (id: string) => `coalesce((SELECT seq FROM memories WHERE id = ${id}), -(SELECT seq FROM sessions WHERE node_id = ${id}))`;
/** The id of a node number (a column or parameter, not an expression: it is repeated). */
export const ID_OF = (node: string) => `(CASE WHEN ${node} > 0 THEN (SELECT id FROM memories WHERE seq = ${node}) ELSE (SELECT node_id FROM sessions WHERE seq = -${node}) END)`;
const isLiveNode = (node: string) =>
  `(CASE WHEN ${node} > 0 THEN EXISTS (SELECT 1 FROM memories WHERE seq = ${node} AND current_row IS NOT NULL) ELSE EXISTS (SELECT 1 FROM sessions WHERE seq = -${node}) END)`;
/** Whether both ends (node numbers) are a current memory or a session: edges are walked only then. */
export const LIVE_NODES_SQL = (from: string, to: string) => `(${isLiveNode(from)} AND ${isLiveNode(to)})`;

/**
 * The count of current memories (`meta.current_memories`, schema 9), kept by triggers on every way a
 * memory becomes current or stops being one, inside the transaction that does it. A new file starts
 * at 0; an older one is counted once by its migration.
 */
export const CURRENT_COUNT_SQL = `
INSERT OR IGNORE INTO meta (key, value) VALUES ('current_memories', 0);
CREATE TRIGGER IF NOT EXISTS memories_count_add AFTER INSERT ON memories WHEN new.current_row IS NOT NULL BEGIN
  UPDATE meta SET value = value + 1 WHERE key = 'current_memories';
END;
CREATE TRIGGER IF NOT EXISTS memories_count_change AFTER UPDATE OF current_row ON memories WHEN (old.current_row IS NULL) != (new.current_row IS NULL) BEGIN
  UPDATE meta SET value = value + (CASE WHEN new.current_row IS NULL THEN -1 ELSE 1 END) WHERE key = 'current_memories';
END;
CREATE TRIGGER IF NOT EXISTS memories_count_drop AFTER DELETE ON memories WHEN old.current_row IS NOT NULL BEGIN
  UPDATE meta SET value = value - 1 WHERE key = 'current_memories';
END;
`;

/** The count's triggers gone, for a statement that empties `memories` and sets the count itself. */
export const DROP_CURRENT_COUNT_SQL = `
DROP TRIGGER IF EXISTS memories_count_add;
DROP TRIGGER IF EXISTS memories_count_change;
DROP TRIGGER IF EXISTS memories_count_drop;
`;

/** Sessions, with the integer that numbers them as graph nodes (schema 8). */
export const SESSIONS_TABLE_SQL = (name: string) => `CREATE TABLE IF NOT EXISTS ${name} (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  node_id TEXT NOT NULL UNIQUE,
  user_id TEXT,
  agent_id TEXT,
  session_id TEXT NOT NULL,
  created_at INTEGER NOT NULL
);`;

/**
 * One row per memory id. `current_row` points at the live version (NULL = tombstoned); `session` is
 * the session's `sessions.seq` (schema 13; before, its 32-character node id, in the row and again in
 * `memories_session`). `added` is the log's number of the memory's ADD event, which happened at
 * `created_at` and opened version 1 (schema 15: every memory has one, and as a row of `history` it
 * took ~65 bytes; NULL when the event is a row there, as older files may keep it).
 */
export const MEMORIES_TABLE_SQL = (name: string) => `CREATE TABLE IF NOT EXISTS ${name} (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  current_row INTEGER,
  session INTEGER,
  created_at INTEGER NOT NULL,
  access_count INTEGER NOT NULL DEFAULT 0,
  last_accessed_at INTEGER,
  added INTEGER
);`;

/**
 * Every version ever written. A version names its memory by `memories.seq` (schema 13; before, by its
 * 36-character id, in the row and again in the (id, version) key) and keeps the SHA-256 of its text
 * as 32 bytes, not 64 hex characters. A purge deletes a memory's versions with its `memories` row,
 * so every version has one.
 */
export const VERSIONS_TABLE_SQL = (name: string) => `CREATE TABLE IF NOT EXISTS ${name} (
  row_id INTEGER PRIMARY KEY AUTOINCREMENT,
  memory INTEGER NOT NULL,
  version INTEGER NOT NULL,
  text TEXT NOT NULL,
  kind TEXT NOT NULL,
  scale TEXT NOT NULL,
  user_id TEXT,
  agent_id TEXT,
  session_id TEXT,
  role TEXT,
  event_time INTEGER NOT NULL,
  valid_from INTEGER NOT NULL,
  valid_to INTEGER,
  importance REAL NOT NULL,
  source TEXT,
  metadata TEXT NOT NULL,
  hash BLOB NOT NULL,
  UNIQUE (memory, version)
);`;

/**
 * The append-only log, clustered by memory (schema 13: a memory's events are one range read, and no
 * second index repeats its id). `seq` is the write order across the store, from the `history_seq`
 * counter in `meta`; the two texts are only ever set in files of schema 5 and before. A memory's ADD
 * event is kept in its `memories` row (`added`, schema 15).
 */
export const HISTORY_TABLE_SQL = (name: string) => `CREATE TABLE IF NOT EXISTS ${name} (
  memory_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  event TEXT NOT NULL,
  version INTEGER NOT NULL,
  at INTEGER NOT NULL,
  previous_text TEXT,
  text TEXT,
  PRIMARY KEY (memory_id, seq)
) WITHOUT ROWID;`;

/**
 * The indexes over memories and their versions (made after the migrations: schema 13 changed their
 * columns). The per-owner indexes hold every version with that owner, current or closed (schema 16):
 * scoped reads of current versions filter the few closed ones inside them, and a scoped read as of a
 * past time reads that owner's versions, not the store's (schemas 1-15 kept a store-wide index by
 * validity for it, which such a read scanned most of; ~27 bytes a memory). Versions without the owner
 * are left out: most memories have a user and no agent.
 */
const RECORD_INDEXES_SQL = `
CREATE INDEX IF NOT EXISTS memories_session ON memories (session, seq) WHERE current_row IS NOT NULL;
CREATE INDEX IF NOT EXISTS versions_by_user ON memory_versions (user_id, event_time) WHERE user_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS versions_by_agent ON memory_versions (agent_id, event_time) WHERE agent_id IS NOT NULL;
`;

/**
 * The graph's edges as one B-tree clustered by (from, to, type), between node numbers (`NODE_OF`):
 * it answers a node's outgoing links and an edge by its key without a separate index. Schema 6
 * folded the table, its key index and the covering out-walk index into it; schema 8 numbers the
 * nodes (1,824 -> 213 bytes of edges per memory at 50,000 memories, both together).
 */
export const EDGES_TABLE_SQL = (name: string) => `CREATE TABLE IF NOT EXISTS ${name} (
  from_n INTEGER NOT NULL,
  to_n INTEGER NOT NULL,
  -- The type's code (EDGE_TYPE_CODES; its name before schema 13).
  type INTEGER NOT NULL,
  weight REAL NOT NULL,
  label TEXT,
  created_at INTEGER NOT NULL,
  -- 1 while both ends are current memories or sessions: graph walks read only these.
  live INTEGER NOT NULL DEFAULT 1,
  -- Write order: a node's links are visited in it.
  seq INTEGER NOT NULL,
  PRIMARY KEY (from_n, to_n, type)
) WITHOUT ROWID;`;

/** An owner's vectors at one scale: rows of `owner_vectors` take rowids in [id * 2^32, (id + 1) * 2^32). */
const OWNER_SEGMENTS_SQL = `
CREATE TABLE IF NOT EXISTS owner_segments (
  id INTEGER PRIMARY KEY,
  user_id TEXT NOT NULL,
  scale TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  UNIQUE (user_id, scale, agent_id)
);`;

export const OWNER_VECTORS_SQL = (name: string) => `${OWNER_SEGMENTS_SQL}
CREATE TABLE IF NOT EXISTS ${name} (
  -- The rowid: the segment's id * 2^32 + the row's place in it (see owner-vector-rows.ts).
  slot INTEGER PRIMARY KEY,
  key INTEGER NOT NULL,
  factor REAL NOT NULL,
  data BLOB NOT NULL,
  -- Set when this row is the vector's only copy (its int8 scale, as vectors.data would hold it).
  length REAL
);`;

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

${MEMORIES_TABLE_SQL('memories')}
${CURRENT_COUNT_SQL}

${VERSIONS_TABLE_SQL('memory_versions')}

${SESSIONS_TABLE_SQL('sessions')}

CREATE TABLE IF NOT EXISTS vectors (
  key INTEGER PRIMARY KEY AUTOINCREMENT,
  memory_id TEXT NOT NULL,
  scale TEXT NOT NULL,
  data BLOB NOT NULL,
  UNIQUE (memory_id, scale)
);
CREATE INDEX IF NOT EXISTS vectors_scale ON vectors (scale, key);

${OWNER_VECTORS_SQL('owner_vectors')}

CREATE TABLE IF NOT EXISTS token_vectors (
  memory_id TEXT PRIMARY KEY,
  dims INTEGER NOT NULL,
  count INTEGER NOT NULL,
  scales BLOB NOT NULL,
  data BLOB NOT NULL
);

CREATE TABLE IF NOT EXISTS index_removals (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  scale TEXT NOT NULL,
  key INTEGER NOT NULL
);

${EDGES_TABLE_SQL('edges')}
INSERT OR IGNORE INTO meta (key, value) VALUES ('edge_seq', 0);

${ENTITY_MENTIONS_SQL}

${HISTORY_TABLE_SQL('history')}
INSERT OR IGNORE INTO meta (key, value) VALUES ('history_seq', 0);

CREATE TABLE IF NOT EXISTS user_state (
  user_id TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (user_id, key)
) WITHOUT ROWID;

${OWNER_TEXT_SQL}`;

/**
 * Indexes on columns that older files gain in a migration, so created after the migrations run.
 * A walk reads a node's live incoming links from `edges_in` alone (covering); its outgoing ones are
 * the table's own rows.
 */
export const INDEXES_AFTER_MIGRATION_SQL = `${RECORD_INDEXES_SQL}${TEXT_OWNERS_INDEX_SQL}CREATE INDEX IF NOT EXISTS edges_in ON edges (to_n, live, from_n, type, weight, seq);
CREATE UNIQUE INDEX IF NOT EXISTS owner_vectors_by_key ON owner_vectors (key);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS sessions_agent ON sessions (agent_id) WHERE agent_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS sessions_named ON sessions (session_id, user_id);
`;

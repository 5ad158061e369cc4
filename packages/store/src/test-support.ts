import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { createManualClock, type EdgeType } from '@neuromem/core';
import { createTempDir, randomUnitVectors } from '@neuromem/core/testing';
import { createSqliteStore } from './create-sqlite-store';
import { EDGE_TYPE_CODES, EDGE_TYPE_NAME_SQL } from './edge-type-codes';
import type { SqliteStoreOptions } from './sqlite-store-options';
import { createMemoryGraph, type MemoryGraph } from './memory-graph';
import { CURRENT_COUNT_SQL, INDEXES_AFTER_MIGRATION_SQL, NODE_OF, SCHEMA_SQL } from './schema';

/** The built package, which child-process tests run exactly as users would. */
export const DIST = join(__dirname, '..', 'dist');

/**
 * Child processes run the build while the test runs the sources, so a build older than `source`
 * would test yesterday's code against today's.
 */
export function requireBuild(source: string): void {
  const entry = join(DIST, 'index.js');
  if (!existsSync(entry)) throw new Error(`packages/store/dist is missing: run "npm run build" first (npm test does it for you).`);
  if (statSync(entry).mtimeMs < statSync(join(__dirname, source)).mtimeMs) {
    throw new Error(`packages/store/dist is older than src/${source}: run "npm run build" first (npm test does it for you).`);
  }
}

/**
 * A graph over a fresh in-memory database holding just these edges (type `related`, weight 1 unless
 * given), the given session nodes, and memories for every other end and for `memories`.
 */
export function graphOf(edges: Array<[string, string, EdgeType?, number?]>, sessions: readonly string[] = [], memories: readonly string[] = []): MemoryGraph {
  const db = new BetterSqlite3(':memory:');
  db.exec(SCHEMA_SQL);
  db.exec(INDEXES_AFTER_MIGRATION_SQL);
  const addSession = db.prepare("INSERT INTO sessions (node_id, session_id, created_at) VALUES (?, 'session', 0)");
  const addMemory = db.prepare('INSERT OR IGNORE INTO memories (id, current_row, created_at) VALUES (?, 1, 0)');
  // Written in list order, as the store numbers them.
  const addEdge = db.prepare(
    `INSERT INTO edges (from_n, to_n, type, weight, label, created_at, seq) VALUES (${NODE_OF('@from')}, ${NODE_OF('@to')}, @type, @weight, NULL, 0, (SELECT count(*) FROM edges) + 1)`,
  );
  for (const id of sessions) addSession.run(id);
  // Only the ends of each edge (its type and weight are not nodes).
  // biome-ignore lint/complexity/noFlatMapIdentity: the callback keeps the first two items of each tuple
  for (const id of [...memories, ...edges.flatMap(([from, to]) => [from, to])]) if (!sessions.includes(id)) addMemory.run(id);
  for (const [from, to, type = 'related', weight = 1] of edges) addEdge.run({ from, to, type: EDGE_TYPE_CODES[type], weight });
  return createMemoryGraph(db);
}

/**
 * A fresh directory per test (call inside `describe`), a store opened on it with every scale at
 * `dimensions` and its indexes read on open (for tests that follow the index files; the default is
 * on demand), and turns to put in it.
 */
export function onDiskStores(dimensions: number) {
  let dir: ReturnType<typeof createTempDir>;
  beforeEach(() => {
    dir = createTempDir();
  });
  afterEach(() => dir.remove());
  return {
    get dir() {
      return dir;
    },
    open: (path = dir.path, extra: Partial<SqliteStoreOptions> = {}) =>
      createSqliteStore({
        path,
        vectorScales: { turn: dimensions, session: dimensions, token: dimensions },
        clock: createManualClock(Date.UTC(2024, 0, 1), { tick: 1 }),
        loadIndexes: 'on-open',
        ...extra,
      }),
    /** `n` turns of user `u` in session `s<seed>`, with random unit turn vectors. */
    items: (n: number, seed: number) => randomUnitVectors(n, dimensions, seed).map((v, i) => ({ text: `memory ${seed}-${i}`, scope: { userId: 'u', sessionId: `s${seed}` }, vectors: { turn: v } })),
  };
}

/**
 * SQL that turns a current file's `owner_vectors` back into schema 4-11's: a WITHOUT ROWID table
 * clustered by (user, scale, agent, key), with its key index and no `owner_segments`.
 */
export const OWNER_VECTORS_BEFORE_SCHEMA_12 = `
  CREATE TABLE owner_vectors_old (user_id TEXT NOT NULL, scale TEXT NOT NULL, agent_id TEXT NOT NULL, key INTEGER NOT NULL,
    factor REAL NOT NULL, data BLOB NOT NULL, length REAL, PRIMARY KEY (user_id, scale, agent_id, key)) WITHOUT ROWID;
  INSERT INTO owner_vectors_old SELECT s.user_id, s.scale, s.agent_id, ov.key, ov.factor, ov.data, ov.length FROM owner_vectors ov JOIN owner_segments s ON s.id = ov.slot >> 32;
  DROP TABLE owner_vectors; DROP TABLE owner_segments;
  ALTER TABLE owner_vectors_old RENAME TO owner_vectors; CREATE INDEX owner_vectors_key ON owner_vectors (key);`;

/**
 * SQL that turns a current file's records back into schema 8-12's: versions that name their memory
 * by id and keep their hash in hex, memories that name their session by node id, a rowid log (with
 * every ADD event) with an index by memory, edges that name their type, and a store-wide FTS5 index beside owner
 * postings of another layout (here: emptied).
 */
export const RECORDS_BEFORE_SCHEMA_13 = `
  CREATE TABLE memories_old (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, current_row INTEGER, session_node TEXT,
    created_at INTEGER NOT NULL, access_count INTEGER NOT NULL DEFAULT 0, last_accessed_at INTEGER);
  INSERT INTO memories_old SELECT m.seq, m.id, m.current_row, s.node_id, m.created_at, m.access_count, m.last_accessed_at FROM memories m LEFT JOIN sessions s ON s.seq = m.session ORDER BY m.seq;
  CREATE TABLE versions_old (row_id INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, version INTEGER NOT NULL, text TEXT NOT NULL, kind TEXT NOT NULL,
    scale TEXT NOT NULL, user_id TEXT, agent_id TEXT, session_id TEXT, role TEXT, event_time INTEGER NOT NULL, valid_from INTEGER NOT NULL, valid_to INTEGER,
    importance REAL NOT NULL, source TEXT, metadata TEXT NOT NULL, hash TEXT NOT NULL, UNIQUE (id, version));
  INSERT INTO versions_old SELECT v.row_id, m.id, v.version, v.text, v.kind, v.scale, v.user_id, v.agent_id, v.session_id, v.role, v.event_time, v.valid_from,
    v.valid_to, v.importance, v.source, v.metadata, lower(hex(v.hash)) FROM memory_versions v JOIN memories m ON m.seq = v.memory ORDER BY v.row_id;
  CREATE TABLE history_old (seq INTEGER PRIMARY KEY AUTOINCREMENT, memory_id TEXT NOT NULL, event TEXT NOT NULL, version INTEGER NOT NULL,
    previous_text TEXT, text TEXT, at INTEGER NOT NULL);
  INSERT INTO history_old SELECT seq, memory_id, event, version, previous_text, text, at FROM history
    UNION ALL SELECT added, id, 'ADD', 1, NULL, NULL, created_at FROM memories WHERE added IS NOT NULL ORDER BY 1;
  CREATE TEMP TABLE counters AS SELECT name, seq FROM sqlite_sequence WHERE name IN ('memories', 'memory_versions');
  DROP TABLE memories; DROP TABLE memory_versions; DROP TABLE history;
  ALTER TABLE memories_old RENAME TO memories; ALTER TABLE versions_old RENAME TO memory_versions; ALTER TABLE history_old RENAME TO history;
  DELETE FROM sqlite_sequence WHERE name IN ('memories', 'memory_versions');
  INSERT INTO sqlite_sequence (name, seq) SELECT name, seq FROM counters;
  DELETE FROM meta WHERE key = 'history_seq';
  CREATE INDEX memories_session ON memories (session_node, seq) WHERE current_row IS NOT NULL;
  CREATE INDEX memories_current ON memories (current_row) WHERE current_row IS NOT NULL;
  CREATE INDEX versions_user_time ON memory_versions (user_id, event_time) WHERE valid_to IS NULL;
  CREATE INDEX versions_agent_time ON memory_versions (agent_id, event_time) WHERE valid_to IS NULL;
  CREATE INDEX versions_asof ON memory_versions (valid_from, valid_to);
  CREATE INDEX history_memory ON history (memory_id, seq);
  CREATE TABLE edges_old (from_n INTEGER NOT NULL, to_n INTEGER NOT NULL, type TEXT NOT NULL, weight REAL NOT NULL, label TEXT, created_at INTEGER NOT NULL,
    live INTEGER NOT NULL DEFAULT 1, seq INTEGER NOT NULL, PRIMARY KEY (from_n, to_n, type)) WITHOUT ROWID;
  INSERT INTO edges_old SELECT from_n, to_n, ${EDGE_TYPE_NAME_SQL('type')}, weight, label, created_at, live, seq FROM edges;
  DROP TABLE edges; ALTER TABLE edges_old RENAME TO edges;
  CREATE INDEX edges_in ON edges (to_n, live, from_n, type, weight, seq);
  CREATE VIRTUAL TABLE memory_text USING fts5(text, owner, content = '', contentless_delete = 1, tokenize = 'porter unicode61 remove_diacritics 2');
  INSERT INTO memory_text (rowid, text, owner) SELECT row_id, text, coalesce('u' || hex(user_id), 'a' || hex(agent_id), '') FROM memory_versions WHERE valid_to IS NULL;
  INSERT INTO owner_words (owner_words) VALUES ('delete-all'); UPDATE text_owners SET docs = 0, words = 0;
  CREATE TRIGGER memory_text_add AFTER INSERT ON memory_versions WHEN new.valid_to IS NULL BEGIN
    INSERT INTO memory_text (rowid, text, owner) VALUES (new.row_id, new.text, coalesce('u' || hex(new.user_id), 'a' || hex(new.agent_id), ''));
  END;
  CREATE TRIGGER memory_text_close AFTER UPDATE OF valid_to ON memory_versions WHEN new.valid_to IS NOT NULL BEGIN
    DELETE FROM memory_text WHERE rowid = old.row_id;
  END;
  CREATE TRIGGER memory_text_drop AFTER DELETE ON memory_versions BEGIN
    DELETE FROM memory_text WHERE rowid = old.row_id;
  END;
  ${CURRENT_COUNT_SQL}`;

/**
 * SQL that turns a current file's mentions back into schema 11-14's: a rowid table in write order
 * with each mention's owner key and an index by memory. Run before `RECORDS_BEFORE_SCHEMA_13`.
 */
export const MENTIONS_BEFORE_SCHEMA_15 = `
  CREATE TABLE mentions_old (entity TEXT NOT NULL, owner_key TEXT NOT NULL, seq INTEGER NOT NULL);
  INSERT INTO mentions_old SELECT em.entity, json_array(v.user_id, v.agent_id), em.seq
    FROM entity_mentions em JOIN memory_versions v ON v.memory = em.seq AND v.version = 1 ORDER BY em.seq, em.ord;
  DROP TABLE entity_mentions; ALTER TABLE mentions_old RENAME TO entity_mentions; CREATE INDEX mentions_seq ON entity_mentions (seq);`;

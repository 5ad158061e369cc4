import type { Scale } from '@neuromem/core';

/** Bumped when the tables change; `migratePostgresStore` brings an older schema up to it. */
export const SCHEMA_VERSION = 2;

const userStateSql = (s: string) => `
CREATE TABLE IF NOT EXISTS ${s}.user_state (
  user_id text NOT NULL,
  key text NOT NULL,
  value text NOT NULL,
  PRIMARY KEY (user_id, key)
);`;

/** Statements that turn schema `n - 1` into `n`. */
export const MIGRATIONS: Readonly<Record<number, (schema: string) => string>> = {
  // Version 2: per-user documents (capability userState).
  2: (schema) => userStateSql(`"${schema}"`),
};

/**
 * The tables of one memory, all inside its own schema (several memories can share a database).
 *
 * - `memories`: one row per memory id; `seq` orders writes; `session_node` chains a session's turns.
 * - `versions`: every version of every memory, never updated except to close it (`valid_to`); the
 *   current version of a live memory is the one with `valid_to IS NULL`. `words` feeds BM25.
 * - `vectors_<scale>`: pgvector rows of the current version, HNSW-indexed by cosine distance, with
 *   the same float32 values as bytes (`raw`): reading hundreds of vectors as text would cost more than
 *   the search that needs them.
 * - `sessions`: session nodes with their (replaced, never appended) session vector.
 * - `edges`, `entity_mentions`: the graph; an edge is walked while both ends are live.
 * - `history`: the append-only event log; `terms`: each current text's postings (Porter2 stems).
 * - `user_state`: small JSON documents per user and key (capability `userState`).
 */
export function schemaSql(schema: string, vectorScales: Readonly<Partial<Record<Scale, number>>>): string {
  const s = `"${schema}"`;
  const memoryScales = (Object.keys(vectorScales) as Scale[]).filter((scale) => scale !== 'session' && scale !== 'token');
  return `
CREATE SCHEMA IF NOT EXISTS ${s};
CREATE TABLE IF NOT EXISTS ${s}.meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE IF NOT EXISTS ${s}.memories (
  id text PRIMARY KEY,
  seq bigserial UNIQUE,
  session_node text,
  created_at bigint NOT NULL,
  access_count integer NOT NULL DEFAULT 0,
  last_accessed_at bigint
);
CREATE INDEX IF NOT EXISTS memories_session ON ${s}.memories (session_node, seq);
CREATE TABLE IF NOT EXISTS ${s}.versions (
  id text NOT NULL REFERENCES ${s}.memories (id) ON DELETE CASCADE,
  version integer NOT NULL,
  text text NOT NULL,
  kind text NOT NULL,
  scale text NOT NULL,
  user_id text,
  agent_id text,
  session_id text,
  role text,
  event_time bigint NOT NULL,
  valid_from bigint NOT NULL,
  valid_to bigint,
  importance double precision NOT NULL,
  source jsonb,
  metadata jsonb NOT NULL,
  hash text NOT NULL,
  words integer NOT NULL,
  PRIMARY KEY (id, version)
);
CREATE INDEX IF NOT EXISTS versions_current_user ON ${s}.versions (user_id, event_time) WHERE valid_to IS NULL;
CREATE INDEX IF NOT EXISTS versions_current_agent ON ${s}.versions (agent_id, event_time) WHERE valid_to IS NULL;
CREATE INDEX IF NOT EXISTS versions_current_session ON ${s}.versions (session_id) WHERE valid_to IS NULL;
CREATE UNIQUE INDEX IF NOT EXISTS versions_current ON ${s}.versions (id) WHERE valid_to IS NULL;
${memoryScales
  .map(
    (scale) => `CREATE TABLE IF NOT EXISTS ${s}.vectors_${scale} (
  memory_id text PRIMARY KEY REFERENCES ${s}.memories (id) ON DELETE CASCADE,
  embedding vector(${vectorScales[scale]}) NOT NULL,
  raw bytea NOT NULL
);
CREATE INDEX IF NOT EXISTS vectors_${scale}_hnsw ON ${s}.vectors_${scale} USING hnsw (embedding vector_cosine_ops);`,
  )
  .join('\n')}
CREATE TABLE IF NOT EXISTS ${s}.sessions (
  node_id text PRIMARY KEY,
  user_id text,
  agent_id text,
  session_id text NOT NULL,
  created_at bigint NOT NULL${vectorScales.session ? `,\n  embedding vector(${vectorScales.session})` : ''}
);
CREATE INDEX IF NOT EXISTS sessions_owner ON ${s}.sessions (user_id, agent_id);
CREATE TABLE IF NOT EXISTS ${s}.edges (
  from_id text NOT NULL,
  to_id text NOT NULL,
  type text NOT NULL,
  weight double precision NOT NULL,
  label text,
  created_at bigint NOT NULL,
  seq bigserial,
  PRIMARY KEY (from_id, to_id, type)
);
CREATE INDEX IF NOT EXISTS edges_to ON ${s}.edges (to_id);
CREATE TABLE IF NOT EXISTS ${s}.entity_mentions (
  owner_key text NOT NULL,
  entity text NOT NULL,
  memory_id text NOT NULL REFERENCES ${s}.memories (id) ON DELETE CASCADE,
  seq bigint NOT NULL,
  position integer NOT NULL,
  PRIMARY KEY (owner_key, entity, seq)
);
CREATE INDEX IF NOT EXISTS mentions_memory ON ${s}.entity_mentions (memory_id);
CREATE TABLE IF NOT EXISTS ${s}.history (
  seq bigserial PRIMARY KEY,
  memory_id text NOT NULL,
  event text NOT NULL,
  version integer NOT NULL,
  previous_text text,
  text text,
  at bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS history_memory ON ${s}.history (memory_id, seq);
CREATE TABLE IF NOT EXISTS ${s}.token_vectors (
  memory_id text PRIMARY KEY REFERENCES ${s}.memories (id) ON DELETE CASCADE,
  dims integer NOT NULL,
  data bytea NOT NULL
);
CREATE TABLE IF NOT EXISTS ${s}.terms (
  term text NOT NULL,
  memory_id text NOT NULL REFERENCES ${s}.memories (id) ON DELETE CASCADE,
  tf integer NOT NULL,
  PRIMARY KEY (term, memory_id)
);
CREATE INDEX IF NOT EXISTS terms_memory ON ${s}.terms (memory_id);
${userStateSql(s)}
`;
}

/** Every table of the schema, children first (the order `reset` empties them in). */
export const TABLES = ['user_state', 'terms', 'token_vectors', 'history', 'entity_mentions', 'edges', 'sessions', 'versions', 'memories'] as const;

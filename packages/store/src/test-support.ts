import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { createManualClock, type EdgeType } from '@neuromem/core';
import { createTempDir, randomUnitVectors } from '@neuromem/core/testing';
import { createSqliteStore } from './create-sqlite-store';
import type { SqliteStoreOptions } from './sqlite-store-options';
import { createMemoryGraph, type MemoryGraph } from './memory-graph';
import { INDEXES_AFTER_MIGRATION_SQL, NODE_OF, SCHEMA_SQL } from './schema';

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
  for (const [from, to, type = 'related', weight = 1] of edges) addEdge.run({ from, to, type, weight });
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

import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { createErrorFactory } from '@neuromem/core';
import { INDEXES_AFTER_MIGRATION_SQL, SCHEMA_SQL, SCHEMA_VERSION } from './schema';
import {
  CODE_EDGE_TYPES_SQL,
  DROP_MEMORY_TEXT_SQL,
  DROP_OLD_RECORD_INDEXES_SQL,
  FOLD_ADD_EVENTS_SQL,
  FOLD_EDGES_SQL,
  FOLD_MENTIONS_SQL,
  FOLD_SESSIONS_SQL,
  MIGRATIONS,
  SEGMENT_OWNER_VECTORS_SQL,
  SLIM_RECORDS_SQL,
  UNKEY_MENTIONS_SQL,
} from './schema-migrations';
import { createMentionRows, ownerKeyOf, SLIM_MENTIONS_SQL } from './entity-mention-index';
import { createOwnerVectorRows } from './owner-vector-rows';
import { createOwnerTextRows } from './owner-text-index';
import { walBackfill } from './wal-backfill';

const fail = createErrorFactory('store');

/** When `openDatabase` runs SQLite's `quick_check` over the whole file. */
export type IntegrityCheck = 'after-crash' | 'always' | 'never';

export interface OpenedDatabase {
  db: Database;
  /** Set when the file was checked: how long `quick_check` took. */
  checkedMs?: number;
}

/**
 * Opens (or creates) the SQLite file in WAL mode and brings its schema up to date in one
 * transaction: a newer file is refused, an older one migrated.
 *
 * A WAL left non-empty means the last process did not close cleanly. SQLite replays it, which is
 * safe after a crash; but when a checkpoint had already copied some of its frames into the file, a
 * WAL damaged afterwards (cut short, half-copied) replays old pages over newer ones and corrupts the
 * file without an error. So in that case (or when the WAL-index cannot tell) the whole file is
 * checked first (`quick_check`, about 1-2 s per GiB) and a damaged one is refused with advice.
 */
/** Re-extracts a memory's entity keys when an old file is migrated (the store itself runs no NLP). */
export type EntityExtractor = (text: string, options: { eventTime: number }) => string[];

export function openDatabase(file: string, durability: 'full' | 'normal', integrityCheck: IntegrityCheck = 'after-crash', extractEntities?: EntityExtractor): OpenedDatabase {
  // Read before SQLite opens the file: opening replays the WAL and rewrites its index.
  const risky = file !== ':memory:' && fileSize(`${file}-wal`) > 0 && walBackfill(`${file}-shm`) !== 0;
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // 64 MiB of page cache (SQLite's default is 2 MiB): a search reads a user's rows, vectors and graph
  // neighbourhood from pages scattered through a large file.
  db.pragma('cache_size = -65536');
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    db.close();
    throw fail('STORAGE', `${file} was written by a newer NeuroMem (schema ${version} > ${SCHEMA_VERSION}); upgrade @neuromem/store.`);
  }
  db.transaction(() => {
    db.exec(SCHEMA_SQL);
    if (version > 0) {
      for (let next = version + 1; next <= SCHEMA_VERSION; next++) if (MIGRATIONS[next]) db.exec(MIGRATIONS[next]!);
      // Schema 2 also typed entity keys ("name:caroline"); re-extract, so new memories link to old ones.
      if (version < 2 && extractEntities) reextractEntities(db, extractEntities);
      // Schema 4 keeps each user's vectors again as int8, clustered by user (owner segments read them).
      if (version < 4) createOwnerVectorRows(db).refill();
      // Schema 8 numbers sessions, then edges join node numbers, clustered by their key (see
      // FOLD_EDGES_SQL): a few seconds per million edges, once.
      if (version < 8 && !hasColumn(db, 'sessions', 'seq')) db.exec(FOLD_SESSIONS_SQL);
      if (version < 8 && hasColumn(db, 'edges', 'from_id')) db.exec(FOLD_EDGES_SQL(hasRowids(db, 'edges') ? 'rowid' : 'seq'));
      // Schema 7 keeps an int8 vector with a user once, in its owner row (new writes; older rows stay copies).
      if (version < 7 && !hasColumn(db, 'owner_vectors', 'length')) db.exec('ALTER TABLE owner_vectors ADD COLUMN length REAL');
      if (version < 7 && hasColumn(db, 'entity_mentions', 'memory_id')) db.exec(FOLD_MENTIONS_SQL);
      // Schemas 5-9 kept each user's text postings in a B-tree; schema 10 in an FTS5 index of its own
      // (filled again below).
      if (version < 10) db.exec('DROP TABLE IF EXISTS owner_terms');
      // Schema 11 finds the latest memories that mention an entity through an FTS5 index instead of
      // a B-tree keyed by owner and entity, whose pages took 41 % of a commit's writes at 1M memories.
      // (Filled after schema 15's steps below, whose layouts the refill reads.)
      if (version < 11 && hasKey(db, 'entity_mentions')) db.exec(UNKEY_MENTIONS_SQL);
      // Schema 12 clusters owner rows by rowid, a range per owner segment (owner rows 14-23 % smaller).
      if (version < 12 && !hasRowids(db, 'owner_vectors')) db.exec(SEGMENT_OWNER_VECTORS_SQL);
      // Schema 13 names memories and sessions by number inside records, keeps hashes as bytes and
      // clusters the log by memory (see SLIM_RECORDS_SQL). Schemas 13 and 14 together: 5.0 s to open
      // a 50,000-memory schema-12 file, once; 15 and 16 another 0.8 s.
      if (version < 13 && hasColumn(db, 'memory_versions', 'id')) db.exec(SLIM_RECORDS_SQL);
      // Schema 13 also codes edge types as numbers (a copy of the edges table, once).
      if (version < 13) db.exec(CODE_EDGE_TYPES_SQL);
      // Schema 14 keeps one lexical index, the owner postings, with each word's stem first and texts
      // without a user in it too: the store-wide FTS5 index goes and the postings are made again from
      // the current versions (as schema 10's refill: about a minute per million memories, once).
      if (version < 14) {
        db.exec(DROP_MEMORY_TEXT_SQL);
        createOwnerTextRows(db).refill();
      }
      // Schema 15 keeps each memory's ADD event in its row (a file from schema 13 or 14 gains the column).
      if (version < 15) {
        if (!hasColumn(db, 'memories', 'added')) db.exec('ALTER TABLE memories ADD COLUMN added INTEGER');
        db.exec(FOLD_ADD_EVENTS_SQL);
        // Mentions clustered by memory, without the owner key the memory's version tells.
        if (hasColumn(db, 'entity_mentions', 'owner_key')) db.exec(SLIM_MENTIONS_SQL);
      }
      if (version < 11) createMentionRows(db).refillWords();
      // Schema 16 indexes versions by owner, current or not, and no more by validity or current row.
      if (version < 16) db.exec(DROP_OLD_RECORD_INDEXES_SQL);
      // Schema 17 counts each kind of a user's texts apart: a file whose current texts are all
      // statements (no sleep, no other kind added) is right as it is; otherwise the postings are made
      // again (schema 14's refill ran already when the file was older than that).
      if (version >= 14 && version < 17 && db.prepare("SELECT 1 FROM memory_versions WHERE valid_to IS NULL AND kind != 'episodic' LIMIT 1").get()) createOwnerTextRows(db).refill();
    }
    db.exec(INDEXES_AFTER_MIGRATION_SQL);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
  if (integrityCheck === 'never' || (integrityCheck === 'after-crash' && !risky)) return { db };
  const started = performance.now();
  const problems = (db.pragma('quick_check(8)') as Array<{ quick_check: string }>).flatMap((row) => row.quick_check.split('\n')).filter((line) => line !== 'ok' && !line.startsWith('***'));
  if (problems.length > 0) {
    db.close();
    throw fail(
      'STORAGE',
      `${file} is damaged (${problems.slice(0, 2).join('; ')}). Restore it from a backup, or salvage it with \`sqlite3 memory.db ".recover" | sqlite3 recovered.db\`; the index-*.usearch files beside it are derived and can be deleted.`,
      { details: { path: file, code: 'SQLITE_CORRUPT', problems } },
    );
  }
  return { db, checkedMs: performance.now() - started };
}

function hasColumn(db: Database, table: string, column: string): boolean {
  return (db.pragma(`table_info(${table})`) as Array<{ name: string }>).some((row) => row.name === column);
}

const tableSql = (db: Database, table: string): string | undefined => db.prepare<[string], { sql: string }>("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?").get(table)?.sql;

/** Whether a table is a rowid table (not declared WITHOUT ROWID). */
function hasRowids(db: Database, table: string): boolean {
  const sql = tableSql(db, table);
  return sql !== undefined && !/WITHOUT\s+ROWID\s*$/i.test(sql.trim());
}

/** Whether a table has the index SQLite makes for a PRIMARY KEY or UNIQUE constraint. */
const hasKey = (db: Database, table: string): boolean => db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'index' AND tbl_name = ? AND name LIKE 'sqlite_autoindex_%'").get(table) !== undefined;

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function reextractEntities(db: Database, extractEntities: EntityExtractor): void {
  // A schema-1 file's mentions still name their memory by id too (schema 7 folds that column away).
  const insert = hasColumn(db, 'entity_mentions', 'memory_id')
    ? db.prepare<[string, string, number, string]>('INSERT OR IGNORE INTO entity_mentions (entity, owner_key, seq, memory_id) VALUES (?, ?, ?, ?)')
    : db.prepare<[string, string, number, string]>('INSERT OR IGNORE INTO entity_mentions (entity, owner_key, seq) SELECT ?, ?, ? WHERE ? IS NOT NULL');
  db.exec('DELETE FROM entity_mentions');
  const rows = db
    .prepare<[], { id: string; seq: number; text: string; event_time: number; user_id: string | null; agent_id: string | null }>(
      'SELECT m.id, m.seq, v.text, v.event_time, v.user_id, v.agent_id FROM memories m JOIN memory_versions v ON v.row_id = m.current_row',
    )
    .all();
  for (const row of rows) {
    const owner = ownerKeyOf({ userId: row.user_id, agentId: row.agent_id });
    for (const entity of extractEntities(row.text, { eventTime: row.event_time })) insert.run(entity, owner, row.seq, row.id);
  }
}

export function ensureInstanceId(db: Database): string {
  const row = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'instance_id'").get();
  if (row) return row.value;
  const id = randomUUID();
  db.prepare("INSERT INTO meta (key, value) VALUES ('instance_id', ?)").run(id);
  return id;
}

import { randomUUID } from 'node:crypto';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { createErrorFactory } from '@neuromem/core';
import { extractEntities } from './extract-entities';
import { MIGRATIONS, SCHEMA_SQL, SCHEMA_VERSION } from './schema';
import { ownerKey } from './write-operations';

const fail = createErrorFactory('store');

/**
 * Opens (or creates) the SQLite file in WAL mode and brings its schema up to date in one
 * transaction: a newer file is refused, an older one migrated.
 */
export function openDatabase(file: string, durability: 'full' | 'normal'): Database {
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
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
      if (version < 2) reextractEntities(db);
    }
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
  return db;
}

function reextractEntities(db: Database): void {
  const insert = db.prepare('INSERT OR IGNORE INTO entity_mentions (entity, owner_key, memory_id, seq) VALUES (?, ?, ?, ?)');
  db.exec('DELETE FROM entity_mentions');
  const rows = db
    .prepare<[], { id: string; seq: number; text: string; event_time: number; user_id: string | null; agent_id: string | null }>(
      'SELECT m.id, m.seq, v.text, v.event_time, v.user_id, v.agent_id FROM memories m JOIN memory_versions v ON v.row_id = m.current_row',
    )
    .all();
  for (const row of rows) {
    const owner = ownerKey({ ...(row.user_id !== null ? { userId: row.user_id } : {}), ...(row.agent_id !== null ? { agentId: row.agent_id } : {}) });
    for (const entity of extractEntities(row.text, { eventTime: row.event_time })) insert.run(entity, owner, row.id, row.seq);
  }
}

export function ensureInstanceId(db: Database): string {
  const row = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'instance_id'").get();
  if (row) return row.value;
  const id = randomUUID();
  db.prepare("INSERT INTO meta (key, value) VALUES ('instance_id', ?)").run(id);
  return id;
}

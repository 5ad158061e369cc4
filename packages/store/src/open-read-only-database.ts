import { existsSync } from 'node:fs';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { createErrorFactory } from '@neuromem/core';
import { SCHEMA_VERSION } from './schema';

const fail = createErrorFactory('store');

/**
 * Opens an existing `memory.db` for reading only, beside the process that may be writing it.
 *
 * SQLite's WAL mode lets a reader see every commit the writer made without blocking it; the reader
 * shares the writer's `-wal` and `-shm` files (and creates them, empty, when no writer has them
 * open). `query_only` makes any statement that would write fail even if a bug tried one. Nothing is
 * migrated: a file of an older schema is refused with `details.needsUpgrade`, so a caller can open
 * it once for writing instead.
 */
export function openReadOnlyDatabase(file: string): Database {
  if (!existsSync(file)) {
    throw fail('NOT_FOUND', `there is no memory at ${file}: a read-only open needs an existing database; open it without readOnly to create one.`, { details: { path: file } });
  }
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('query_only = ON');
    // A reader waits only while a crashed writer's WAL is being recovered.
    db.pragma('busy_timeout = 5000');
    db.pragma('cache_size = -65536');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version === 0) {
      throw fail('STORAGE', `${file} holds no NeuroMem memory (no schema); check the path.`, { details: { path: file } });
    }
    if (version > SCHEMA_VERSION) {
      throw fail('STORAGE', `${file} was written by a newer NeuroMem (schema ${version} > ${SCHEMA_VERSION}); upgrade @neuromem/store.`, { details: { path: file, schema: version } });
    }
    if (version < SCHEMA_VERSION) {
      throw fail('STORAGE', `${file} was written by an older NeuroMem (schema ${version} < ${SCHEMA_VERSION}); open it once without readOnly to upgrade it.`, {
        details: { path: file, schema: version, needsUpgrade: true },
      });
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** The database's instance id, written by the first writable open; '' (matching no snapshot) when missing. */
export function readInstanceId(db: Database): string {
  return db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'instance_id'").get()?.value ?? '';
}

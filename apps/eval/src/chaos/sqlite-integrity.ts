import { createRequire } from 'node:module';

type SqliteDatabase = new (file: string, options: { readonly: boolean }) => { pragma(sql: string, options: { simple: true }): unknown; close(): void };

/**
 * SQLite's own `integrity_check` of a closed database file: 'ok', or what it found. better-sqlite3
 * is loaded through @neuromem/store, whose dependency it is.
 */
export function sqliteIntegrity(file: string): string {
  const fromStore = createRequire(createRequire(import.meta.url).resolve('@neuromem/store/package.json'));
  const Database = fromStore('better-sqlite3') as SqliteDatabase;
  const db = new Database(file, { readonly: true });
  try {
    return String(db.pragma('integrity_check', { simple: true }));
  } finally {
    db.close();
  }
}

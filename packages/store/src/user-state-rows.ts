import type { Database } from 'better-sqlite3';

/** The `user_state` table's statements, prepared once: a user's search reads its document every time it is not cached. */
export function createUserStateRows(db: Database) {
  const select = db.prepare<[string, string], { value: string }>('SELECT value FROM user_state WHERE user_id = ? AND key = ?');
  const remove = db.prepare('DELETE FROM user_state WHERE user_id = ? AND key = ?');
  const upsert = db.prepare('INSERT INTO user_state (user_id, key, value) VALUES (?, ?, ?) ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value');
  const swapInTransaction = db.transaction((userId: string, key: string, was: string | null, json: string | null): boolean => {
    if ((select.get(userId, key)?.value ?? null) !== was) return false;
    if (json === null) remove.run(userId, key);
    else upsert.run(userId, key, json);
    return true;
  });
  return {
    /** The document's JSON text, or undefined when there is none. */
    read: (userId: string, key: string): string | undefined => select.get(userId, key)?.value,
    /** Replaces the document; null removes it. */
    write(userId: string, key: string, json: string | null): void {
      if (json === null) remove.run(userId, key);
      else upsert.run(userId, key, json);
    },
    /** Replaces the document only if it still holds `was` (undefined: none), in one transaction; true when it did. */
    swap(userId: string, key: string, was: string | null, json: string | null): boolean {
      return swapInTransaction(userId, key, was, json);
    },
  };
}

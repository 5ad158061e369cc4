import type { Database } from 'better-sqlite3';
import { parseUserState, serializeUserState, validateUserStateKey, type JsonValue } from '@neuromem/core';
import { storageFailure } from './storage-error';
import { createUserStateRows } from './user-state-rows';

interface SqliteUserStateContext {
  db: Database;
  /** The store's write queue: a document is written between commits, never inside one. */
  queue: { run<T>(work: () => T | Promise<T>): Promise<T> };
  ensureOpen: () => void;
  /** Checkpoints the WAL when it has grown (as every write of the store does). */
  foldWal: () => void;
}

/**
 * Capabilities `userState` and `userStateSwap` on SQLite: one row per user and key in `user_state`.
 * A swap reads and writes in one transaction, and one process holds the file: it is atomic.
 */
export function createSqliteUserState({ db, queue, ensureOpen, foldWal }: SqliteUserStateContext) {
  const rows = createUserStateRows(db);
  /** Runs a write of the table in the queue, as a storage failure if SQLite refuses it. */
  const written = <T>(write: () => T): Promise<T> =>
    queue.run(() => {
      ensureOpen();
      let result: T;
      try {
        result = write();
      } catch (error) {
        throw storageFailure(error, 'writing the user state');
      }
      foldWal();
      return result;
    });

  return {
    async readUserState(userId: string, key: string): Promise<JsonValue | null> {
      ensureOpen();
      validateUserStateKey(userId, key);
      const json = rows.read(userId, key);
      return json === undefined ? null : parseUserState(json, userId, key);
    },
    async writeUserState(userId: string, key: string, value: JsonValue | null): Promise<void> {
      const json = serializeUserState(userId, key, value);
      return written(() => rows.write(userId, key, json));
    },
    async swapUserState(userId: string, key: string, expected: JsonValue | null, next: JsonValue | null): Promise<boolean> {
      const was = serializeUserState(userId, key, expected);
      const json = serializeUserState(userId, key, next);
      return written(() => rows.swap(userId, key, was, json));
    },
  };
}

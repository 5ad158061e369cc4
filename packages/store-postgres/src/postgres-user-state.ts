import { parseUserState, serializeUserState, validateUserStateKey, type JsonValue } from '@neuromem/core';
import type { PostgresConnection } from './postgres-connection';

/**
 * Capability `userState` on PostgreSQL: one row per user and key in `<schema>.user_state`, the
 * document kept as JSON text (not jsonb, which would reorder keys and drop duplicate ones).
 */
export function createPostgresUserState({ db, schema, open }: { db: PostgresConnection; schema: string; open: () => void }) {
  const table = `"${schema}".user_state`;
  return {
    async readUserState(userId: string, key: string): Promise<JsonValue | null> {
      open();
      validateUserStateKey(userId, key);
      const [row] = await db.query<{ value: string }>(`SELECT value FROM ${table} WHERE user_id = $1 AND key = $2`, [userId, key]);
      return row === undefined ? null : parseUserState(row.value, userId, key);
    },
    async writeUserState(userId: string, key: string, value: JsonValue | null): Promise<void> {
      open();
      const json = serializeUserState(userId, key, value);
      await db.transaction((client) =>
        json === null
          ? client.query(`DELETE FROM ${table} WHERE user_id = $1 AND key = $2`, [userId, key])
          : client.query(`INSERT INTO ${table} (user_id, key, value) VALUES ($1, $2, $3) ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value`, [userId, key, json]),
      );
    },
    /** One statement each way, so the row lock (or the key's uniqueness) makes it atomic between connections. */
    async swapUserState(userId: string, key: string, expected: JsonValue | null, next: JsonValue | null): Promise<boolean> {
      open();
      const was = serializeUserState(userId, key, expected);
      const json = serializeUserState(userId, key, next);
      const changed = await db.transaction(async (client) => {
        if (was === null) {
          if (json === null) return (await client.query(`SELECT 1 FROM ${table} WHERE user_id = $1 AND key = $2`, [userId, key])).rows.length === 0 ? 1 : 0;
          return (await client.query(`INSERT INTO ${table} (user_id, key, value) VALUES ($1, $2, $3) ON CONFLICT (user_id, key) DO NOTHING RETURNING 1`, [userId, key, json])).rows.length;
        }
        if (json === null) return (await client.query(`DELETE FROM ${table} WHERE user_id = $1 AND key = $2 AND value = $3 RETURNING 1`, [userId, key, was])).rows.length;
        return (await client.query(`UPDATE ${table} SET value = $4 WHERE user_id = $1 AND key = $2 AND value = $3 RETURNING 1`, [userId, key, was, json])).rows.length;
      });
      return changed === 1;
    },
  };
}

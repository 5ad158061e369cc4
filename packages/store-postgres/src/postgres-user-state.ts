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
  };
}

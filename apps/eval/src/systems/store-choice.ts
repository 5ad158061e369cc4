import { createErrorFactory } from '@neuromem/core';
import { createPostgresStore } from '@neuromem/store-postgres';
import type { StoreOpener } from 'neuromem';
import pg from 'pg';

const fail = createErrorFactory('eval');

/** Which store NeuroMem runs on in an eval (`--store`): the embedded SQLite default, or PostgreSQL. */
export interface StoreChoice {
  readonly name: 'sqlite' | 'postgres';
  /** Opens a fresh, empty store for one run (a conversation, a variant); undefined = the SQLite default. */
  opener(label: string): StoreOpener | undefined;
  close(): Promise<void>;
}

export const SQLITE: StoreChoice = { name: 'sqlite', opener: () => undefined, close: async () => undefined };

/**
 * `sqlite` (default); `postgres`: PostgreSQL 18 with pgvector in-process (PGlite, WebAssembly: real
 * PostgreSQL code, slower than a server); or a `postgres://` URL of any server with pgvector. Each
 * run gets its own schema, dropped when the eval ends.
 */
export function parseStoreChoice(value: string | undefined): StoreChoice {
  if (value === undefined || value === 'sqlite') return SQLITE;
  const url = /^postgres(ql)?:\/\//.test(value) ? value : undefined;
  if (value !== 'postgres' && !url) throw fail('INVALID_INPUT', `--store must be sqlite, postgres (in-process PGlite) or a postgres:// URL, got ${JSON.stringify(value)}.`);
  let pool: Promise<{ pool: pg.Pool; close: () => Promise<void> }> | undefined;
  const schemas: string[] = [];
  const connect = () =>
    (pool ??= (async () => {
      if (url) {
        const server = new pg.Pool({ connectionString: url, max: 4 });
        return { pool: server, close: () => server.end() };
      }
      const [{ PGlite }, { vector }, { createPgConfig }] = await Promise.all([import('@electric-sql/pglite'), import('@electric-sql/pglite-pgvector'), import('@electric-sql/pglite/node-postgres')]);
      const db = await PGlite.create({ extensions: { vector } });
      const local = new pg.Pool(createPgConfig(db) as unknown as pg.PoolConfig);
      return { pool: local, close: async () => (await local.end(), await db.close()) };
    })());
  return {
    name: 'postgres',
    opener(label) {
      const schema = `eval_${label
        .toLowerCase()
        .replace(/[^a-z0-9_]+/g, '_')
        .slice(0, 40)}_${process.pid}_${schemas.length}`;
      schemas.push(schema);
      return async ({ vectorScales }) => createPostgresStore({ pool: (await connect()).pool, schema, vectorScales });
    },
    async close() {
      if (!pool) return;
      const { pool: open, close } = await pool;
      for (const schema of schemas) await open.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
      await close();
    },
  };
}

import { createHash } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';

/**
 * Real PostgreSQL for the tests: PGlite (PostgreSQL compiled to WebAssembly) with pgvector, reached
 * either in-process through node-postgres or over the wire protocol on a loopback port. Not exported.
 */
export interface TestPostgres {
  pool: pg.Pool;
  /** `postgres://` URL of the loopback server (socket mode only). */
  url?: string;
  stop(): Promise<void>;
}

export async function startTestPostgres(mode: 'in-process' | 'socket'): Promise<TestPostgres> {
  const db = await PGlite.create({ extensions: { vector } });
  if (mode === 'in-process') {
    const pool = new pg.Pool(createPgConfig(db) as unknown as pg.PoolConfig);
    return { pool, stop: async () => (await pool.end(), await db.close()) };
  }
  const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 20 });
  await server.start();
  const port = (server as unknown as { port: number }).port;
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  return { pool, url, stop: async () => (await pool.end(), await server.stop(), await db.close()) };
}

/** A schema per test directory: the conformance suite reopens a "directory" to test persistence. */
export const schemaFor = (directory: string) => `t_${createHash('sha1').update(directory).digest('hex').slice(0, 16)}`;

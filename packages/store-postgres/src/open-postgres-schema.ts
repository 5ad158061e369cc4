import { createErrorFactory, type Scale } from '@neuromem/core';
import pg, { type Pool } from 'pg';
import { createPostgresConnection, type PostgresConnection } from './postgres-connection';
import { MIGRATIONS, SCHEMA_VERSION, schemaSql } from './postgres-schema';
import { SCHEMA_NAME } from './sql-params';

const fail = createErrorFactory('store-postgres');

/**
 * Creates the schema on first use (once, whichever process gets there first) and checks an
 * existing one: written by this version, with these vector dimensions.
 */
export async function openSchema(db: PostgresConnection, schema: string, vectorScales: Readonly<Partial<Record<Scale, number>>>): Promise<void> {
  const s = `"${schema}"`;
  await db.transaction(async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`neuromem-schema:${schema}`]);
    const installed = (await client.query(`SELECT 1 FROM pg_extension WHERE extname = 'vector'`)).rowCount;
    if (!installed) {
      await client.query('CREATE EXTENSION IF NOT EXISTS vector').catch((error: Error) => {
        throw fail(
          'STORAGE',
          `pgvector is not installed in this database and could not be (${error.message}); run CREATE EXTENSION vector as a superuser, or use a server with pgvector (Supabase, Neon, RDS and the pgvector/pgvector Docker image have it).`,
          { cause: error },
        );
      });
    }
    const hasMeta = (await client.query(`SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'meta'`, [schema])).rowCount;
    if (!hasMeta) {
      await client.query(schemaSql(schema, vectorScales));
      await client.query(`INSERT INTO ${s}.meta (key, value) VALUES ('schema_version', $1), ('vector_scales', $2)`, [String(SCHEMA_VERSION), JSON.stringify(vectorScales)]);
      return;
    }
    const meta = new Map((await client.query<{ key: string; value: string }>(`SELECT key, value FROM ${s}.meta`)).rows.map((row) => [row.key, row.value]));
    const version = Number(meta.get('schema_version'));
    if (version > SCHEMA_VERSION)
      throw fail('STORAGE', `schema "${schema}" was written by a newer NeuroMem (schema ${version} > ${SCHEMA_VERSION}); upgrade @neuromem/store-postgres.`, { details: { schema, version } });
    if (version < SCHEMA_VERSION) {
      throw fail(
        'STORAGE',
        `schema "${schema}" is at version ${version}, this NeuroMem needs ${SCHEMA_VERSION}; back it up, then run migratePostgresStore({ connectionString, schema: '${schema}' }) once.`,
        { details: { schema, version } },
      );
    }
    const stored = JSON.parse(meta.get('vector_scales') ?? '{}') as Record<string, number>;
    const same = Object.keys(stored).length === Object.keys(vectorScales).length && Object.entries(vectorScales).every(([scale, dims]) => stored[scale] === dims);
    if (!same) {
      throw fail(
        'DIMENSION_MISMATCH',
        `schema "${schema}" keeps vectors of ${JSON.stringify(stored)}, not ${JSON.stringify(vectorScales)}; open it with the embedder that wrote it, or use another schema.`,
        { details: { schema, stored, given: vectorScales } },
      );
    }
  });
}

/** Brings a schema written by an older version up to this one, in one transaction. */
export async function migratePostgresStore(options: { pool?: Pool; connectionString?: string; schema?: string }): Promise<{ from: number; to: number }> {
  const schema = options.schema ?? 'neuromem';
  if (!SCHEMA_NAME.test(schema)) throw fail('INVALID_INPUT', `schema must be 1-63 lower-case letters, digits or "_", got ${JSON.stringify(schema)}.`);
  const pool = options.pool ?? new pg.Pool({ ...(options.connectionString !== undefined ? { connectionString: options.connectionString } : {}), max: 1 });
  try {
    return await createPostgresConnection(pool, { retries: 3 }).transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`neuromem-schema:${schema}`]);
      const [row] = (await client.query<{ value: string }>(`SELECT value FROM "${schema}".meta WHERE key = 'schema_version'`)).rows;
      const from = Number(row?.value);
      if (!Number.isInteger(from)) throw fail('NOT_FOUND', `schema "${schema}" holds no NeuroMem memory.`, { details: { schema } });
      for (let next = from + 1; next <= SCHEMA_VERSION; next++) if (MIGRATIONS[next]) await client.query(MIGRATIONS[next]!(schema));
      await client.query(`UPDATE "${schema}".meta SET value = $1 WHERE key = 'schema_version'`, [String(Math.max(from, SCHEMA_VERSION))]);
      return { from, to: Math.max(from, SCHEMA_VERSION) };
    });
  } finally {
    if (!options.pool) await pool.end();
  }
}

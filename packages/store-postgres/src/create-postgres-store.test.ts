import pg from 'pg';
import { testMemoryStore } from '@neuromem/core/testing';
import { createPostgresStore } from './create-postgres-store';
import { schemaFor, startTestPostgres, type TestPostgres } from './test-support';

const capabilities = {
  persistent: true,
  textSearch: true,
  graphActivation: false,
  sessionSearch: true,
  tokenVectors: true,
  batchNeighbors: true,
  neighborIds: false,
  userState: true,
  vectorTiers: true,
  compaction: true,
  userStateSwap: true,
};

/** A PostgreSQL server with pgvector to run the suite against too (its schemas are dropped after). */
const SERVER_URL = process.env.NEUROMEM_TEST_POSTGRES_URL;

for (const mode of ['in-process', 'socket', 'server'] as const) {
  const run = mode !== 'server' || SERVER_URL ? describe : describe.skip;
  run(`PostgreSQL (${mode === 'server' ? 'a server at NEUROMEM_TEST_POSTGRES_URL' : `PGlite + pgvector, ${mode}`})`, () => {
    let postgres: TestPostgres;
    const schemas = new Set<string>();
    beforeAll(async () => {
      if (mode !== 'server') postgres = await startTestPostgres(mode);
      else {
        const pool = new pg.Pool({ connectionString: SERVER_URL, max: 4 });
        postgres = { pool, stop: () => pool.end() };
      }
    }, 60_000);
    afterAll(async () => {
      for (const schema of schemas) await postgres.pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await postgres.stop();
    });

    testMemoryStore({
      name: `Postgres store (${mode})`,
      create: ({ dimensions, directory, clock }) => {
        const schema = schemaFor(directory);
        schemas.add(schema);
        return createPostgresStore({ pool: postgres.pool, schema, vectorScales: { turn: dimensions, session: dimensions, token: dimensions }, clock });
      },
      capabilities,
    });
  });
}

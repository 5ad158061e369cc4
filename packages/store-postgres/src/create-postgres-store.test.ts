import { testMemoryStore } from '@neuromem/core/testing';
import { createPostgresStore } from './create-postgres-store';
import { schemaFor, startTestPostgres, type TestPostgres } from './test-support';

const capabilities = { persistent: true, textSearch: true, graphActivation: false, sessionSearch: true, tokenVectors: true, batchNeighbors: true };

for (const mode of ['in-process', 'socket'] as const) {
  describe(`PostgreSQL (PGlite + pgvector, ${mode})`, () => {
    let postgres: TestPostgres;
    beforeAll(async () => {
      postgres = await startTestPostgres(mode);
    }, 60_000);
    afterAll(() => postgres.stop());

    testMemoryStore({
      name: `Postgres store (${mode})`,
      create: ({ dimensions, directory, clock }) =>
        createPostgresStore({ pool: postgres.pool, schema: schemaFor(directory), vectorScales: { turn: dimensions, session: dimensions, token: dimensions }, clock }),
      capabilities,
    });
  });
}

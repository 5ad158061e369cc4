import { createReferenceStore, isNeuroMemError, requireCapability } from '@neuromem/core';
import { randomUnitVectors } from '@neuromem/core/testing';
import type pg from 'pg';
import { createPostgresStore } from './create-postgres-store';
import { migratePostgresStore } from './open-postgres-schema';
import { startTestPostgres, type TestPostgres } from './test-support';

const dimensions = 4;
const vectorScales = { turn: dimensions };
const vectors = randomUnitVectors(50, dimensions, 3);
const memory = (text: string, i = 0) => ({ text, scope: { userId: 'u', sessionId: 's' }, vectors: { turn: vectors[i % 50]! } });

/**
 * The pool, except that the first `times` statements matching `at` cut their connection first (the
 * server sees the socket close mid-transaction), so they fail as a real dropped connection does.
 */
function cuttingPool(pool: pg.Pool, at: RegExp, times: number): pg.Pool {
  let cuts = 0;
  return {
    options: pool.options,
    on: () => undefined,
    query: (sql: string, params?: unknown[]) => pool.query(sql, params),
    connect: async () => {
      const client = await pool.connect();
      const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
      return Object.assign(client, {
        query: (...args: unknown[]) => {
          if (typeof args[0] === 'string' && at.test(args[0]) && cuts < times) {
            cuts++;
            (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
          }
          return query(...args);
        },
      });
    },
  } as unknown as pg.Pool;
}

describe('Postgres store faults (PGlite over the wire protocol)', () => {
  let postgres: TestPostgres;
  let n = 0;
  const schema = () => `faults_${++n}`;
  beforeAll(async () => {
    postgres = await startTestPostgres('socket');
  }, 60_000);
  afterAll(() => postgres.stop());

  it('should fail with a typed STORAGE error naming the server when PostgreSQL is unreachable, after bounded retries', async () => {
    const started = Date.now();
    const error = await createPostgresStore({ connectionString: 'postgres://postgres@127.0.0.1:9/memories', vectorScales, retries: 2 }).catch((e: unknown) => e);
    expect(isNeuroMemError(error, 'STORAGE')).toBe(true);
    expect(error).toMatchObject({ details: { target: '127.0.0.1:9/memories' } });
    expect((error as Error).message).toMatch(/cannot be reached.*Nothing was written/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('should write nothing half when the connection drops mid-transaction, and land a retried write exactly once', async () => {
    const name = schema();
    const store = await createPostgresStore({ pool: cuttingPool(postgres.pool, /INSERT INTO \S+\.versions/, 1), schema: name, vectorScales });
    const [saved] = await store.put([memory('written once, though its first transaction was cut')]);
    expect(await store.count()).toBe(1);
    expect((await store.history(saved!.id)).map((h) => h.event)).toEqual(['ADD']);
    await store.close();

    const failing = await createPostgresStore({ pool: cuttingPool(postgres.pool, /INSERT INTO \S+\.history/, 100), schema: name, vectorScales, retries: 2 });
    await expect(failing.put([memory('never lands', 1), memory('nor this', 2)])).rejects.toMatchObject({ code: 'STORAGE' });
    const reader = await createPostgresStore({ pool: postgres.pool, schema: name, vectorScales });
    expect((await reader.list({})).map((r) => r.text)).toEqual(['written once, though its first transaction was cut']);
    expect((await reader.stats()).historyEvents).toBe(1);
    await reader.close();
  });

  it('should put every concurrent update of one memory into its history in one total order', async () => {
    const store = await createPostgresStore({ pool: postgres.pool, schema: schema(), vectorScales });
    const [saved] = await store.put([memory('version 1')]);
    await Promise.all(Array.from({ length: 12 }, (_, i) => store.update(saved!.id, { importance: (i + 1) / 20 })));
    const events = await store.history(saved!.id);
    expect(events.map((e) => e.version)).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    expect(events.every((e, i) => i === 0 || e.seq > events[i - 1]!.seq)).toBe(true);
    expect((await store.get(saved!.id))!.version).toBe(13);
    await store.close();
  });

  it('should refuse a schema of another version with the command that migrates it, and other vector sizes', async () => {
    const name = schema();
    await (await createPostgresStore({ pool: postgres.pool, schema: name, vectorScales })).close();
    await postgres.pool.query(`UPDATE "${name}".meta SET value = '99' WHERE key = 'schema_version'`);
    await expect(createPostgresStore({ pool: postgres.pool, schema: name, vectorScales })).rejects.toMatchObject({ code: 'STORAGE', message: expect.stringContaining('newer NeuroMem') });
    await postgres.pool.query(`UPDATE "${name}".meta SET value = '0' WHERE key = 'schema_version'`);
    await expect(createPostgresStore({ pool: postgres.pool, schema: name, vectorScales })).rejects.toMatchObject({ code: 'STORAGE', message: expect.stringContaining('migratePostgresStore') });
    expect(await migratePostgresStore({ pool: postgres.pool, schema: name })).toEqual({ from: 0, to: 2 });
    await (await createPostgresStore({ pool: postgres.pool, schema: name, vectorScales })).close();
    await expect(createPostgresStore({ pool: postgres.pool, schema: name, vectorScales: { turn: 8 } })).rejects.toMatchObject({ code: 'DIMENSION_MISMATCH' });
    await expect(createPostgresStore({ pool: postgres.pool, schema: 'Bad-Name', vectorScales })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('should migrate a version 1 schema to keep user state', async () => {
    const name = schema();
    await (await createPostgresStore({ pool: postgres.pool, schema: name, vectorScales })).close();
    await postgres.pool.query(`DROP TABLE "${name}".user_state`);
    await postgres.pool.query(`UPDATE "${name}".meta SET value = '1' WHERE key = 'schema_version'`);
    expect(await migratePostgresStore({ pool: postgres.pool, schema: name })).toEqual({ from: 1, to: 2 });
    const store = await createPostgresStore({ pool: postgres.pool, schema: name, vectorScales });
    const withState = requireCapability(store, 'userState');
    await withState.writeUserState('alice', 'model', { weights: [1] });
    expect(await withState.readUserState('alice', 'model')).toEqual({ weights: [1] });
    await store.close();
  });

  it('should answer UNSUPPORTED naming a capability it lacks, and serve those it has', async () => {
    const store = await createPostgresStore({ pool: postgres.pool, schema: schema(), vectorScales });
    expect(() => requireCapability(store, 'graphActivation')).toThrow(expect.objectContaining({ code: 'UNSUPPORTED', details: { capability: 'graphActivation', method: 'spreadActivation' } }));
    expect(requireCapability(store, 'textSearch')).toBe(store);
    expect(() => requireCapability(createReferenceStore({ vectorScales }), 'textSearch')).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
    await store.close();
  });

  it("should keep two stores on one database apart, and never show one user another user's memories", async () => {
    const [a, b] = await Promise.all([createPostgresStore({ pool: postgres.pool, schema: schema(), vectorScales }), createPostgresStore({ pool: postgres.pool, schema: schema(), vectorScales })]);
    await a.put([memory('in store a')]);
    await b.put([{ ...memory('bob in store b'), scope: { userId: 'bob' } }]);
    expect(await a.count()).toBe(1);
    expect(await b.searchText({ text: 'store', k: 5, filter: { scope: { userId: 'u' } } })).toEqual([]);
    expect(await b.searchVectors({ scale: 'turn', vector: vectors[0]!, k: 5, filter: { scope: { userId: 'u' } } })).toEqual([]);
    await Promise.all([a.close(), b.close()]);
  });
});

import type { FastifyInstance } from 'fastify';
import { NeuroMemError } from '@neuromem/core';
import { createMemory } from '../create-memory';
import type { Memory } from '../memory';
import { createMemoryServer, type MemoryServerOptions } from './create-memory-server';
import { everyRoute, type HttpAnswer, type HttpCall, listenForTests } from './http-test-client';

const TOKEN = 'errors-token-0123456789abcdef';

/** A server over `memory` with some of its methods replaced, listening on loopback. */
async function serveWith(memory: Memory, overrides: Partial<Memory>, options: Partial<MemoryServerOptions> = {}) {
  const server = await createMemoryServer({ memory: Object.assign(Object.create(memory), overrides), ...options });
  return { server, call: await listenForTests(server) };
}

describe('memory server errors', () => {
  let memory: Memory;
  let server: FastifyInstance;
  let call: (method: string, path: string, options?: HttpCall) => Promise<HttpAnswer>;
  const as = (method: string, path: string, options: HttpCall = {}) => call(method, path, { token: TOKEN, ...options });
  let aliceId: string;

  beforeAll(async () => {
    memory = await createMemory({ requireScope: true });
    server = await createMemoryServer({ memory, tokens: [TOKEN], bodyLimit: 16 * 1024 });
    call = await listenForTests(server);
  });
  beforeEach(async () => {
    aliceId = (await memory.add('My locker code is 4512', { userId: 'alice', agentId: 'gym' })).results[0]!.id;
  });
  afterAll(async () => {
    await server.close();
    await memory.close();
  });

  it('should answer 400 with a typed body on every route that names no user', async () => {
    for (const route of everyRoute(aliceId, 'alice')) {
      const { body } = route.call as { body?: Record<string, unknown> };
      const anonymous = body ? { body: { ...body, user_id: undefined, agent_id: 'gym' } } : { query: { agent_id: 'gym' } };
      const answer = await as(route.method, route.path, anonymous);
      expect({ route: route.name, status: answer.status, body: answer.body }).toEqual({
        route: route.name,
        status: 400,
        body: { error: { code: 'INVALID_INPUT', message: `${body ? 'body' : 'querystring'} must have required property 'user_id'` } },
      });
    }
    expect((await memory.get(aliceId, { userId: 'alice' }))?.memory).toBe('My locker code is 4512');
  });

  it('should answer 400 for wrong types, unknown fields, bad JSON and what the memory itself refuses', async () => {
    const cases: Array<[HttpCall, string, RegExp]> = [
      [{ body: { query: 'tea', user_id: 'alice', top_k: '3' } }, '/v1/memories/search', /top_k must be integer/],
      [{ body: { query: 'tea', userId: 'alice', user_id: 'alice' } }, '/v1/memories/search', /must NOT have additional properties/],
      [{ body: '{"query": "tea", ' }, '/v1/memories/search', /JSON/],
      [{ body: { query: 'tea', user_id: 'alice', reference_date: 'not a date' } }, '/v1/memories/search', /reference_date "not a date" is not a valid date/],
      [{ body: { messages: 'x', user_id: 'alice', timestamp: null } }, '/v1/memories', /timestamp/],
    ];
    for (const [request, path, message] of cases) {
      const answer = await as('POST', path, request);
      expect(answer).toMatchObject({ status: 400, body: { error: { code: 'INVALID_INPUT', message: expect.stringMatching(message) } } });
      expect(answer.body.error.message).not.toMatch(/^\[neuromem\]/);
      expect(Object.keys(answer.body)).toEqual(['error']);
    }
    expect(await as('PUT', `/v1/memories/${aliceId}`, { body: { user_id: 'alice' } })).toMatchObject({ status: 400, body: { error: { code: 'INVALID_INPUT' } } });
    expect(await as('GET', '/v1/memories', { query: { user_id: 'alice', limit: 'ten' } })).toMatchObject({ status: 400, body: { error: { code: 'INVALID_INPUT' } } });
  });

  it("should answer another user's id exactly as an unknown id, and never with the memory", async () => {
    const byId = everyRoute(aliceId, 'bob').filter((route) => route.path.startsWith(`/v1/memories/${aliceId}`));
    expect(byId.map((route) => route.name)).toEqual(['get', 'update', 'delete', 'history', 'feedback']);
    for (const route of byId) {
      // Bob in Alice's own agent: only the user differs.
      const withAgent = route.call.body ? { body: { ...route.call.body, agent_id: 'gym' } } : { query: { ...route.call.query, agent_id: 'gym' } };
      const foreign = await as(route.method, route.path, withAgent);
      const unknown = await as(route.method, route.path.replace(aliceId, 'no-such-id'), withAgent);
      expect({ route: route.name, status: foreign.status }).toEqual({ route: route.name, status: 404 });
      expect(JSON.stringify(foreign.body).split(aliceId).join('<id>')).toBe(JSON.stringify(unknown.body).split('no-such-id').join('<id>'));
      expect(JSON.stringify(foreign.body)).not.toContain('4512');
    }
    for (const path of ['/v1/memories/search', '/v1/memories/context']) {
      const answer = await as('POST', path, { body: { query: 'locker code', user_id: 'bob', ...(path.endsWith('context') ? { gate: false } : {}) } });
      expect(answer.status).toBe(200);
      expect(JSON.stringify(answer.body)).not.toContain('4512');
    }
    expect((await as('GET', '/v1/memories', { query: { user_id: 'bob' } })).body.results).toEqual([]);
    expect((await memory.history(aliceId, { userId: 'alice' })).map((row) => row.action)).toEqual(['ADD']);
  });

  it('should answer 404 in the same shape for a route that does not exist', async () => {
    expect(await as('GET', '/v1/nothing')).toEqual({ status: 404, headers: expect.anything(), body: { error: { code: 'NOT_FOUND', message: expect.stringContaining('/openapi.json') } } });
  });

  it('should answer 413 for a body over the limit', async () => {
    const answer = await as('POST', '/v1/memories', { body: { messages: 'x'.repeat(20 * 1024), user_id: 'alice' } });
    expect(answer).toMatchObject({ status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('16384 bytes') } } });
  });

  it('should answer 429 with Retry-After past the rate limit, and keep health out of it', async () => {
    const limited = await serveWith(memory, {}, { rateLimit: { max: 2, timeWindowMs: 60_000 } });
    try {
      for (let i = 0; i < 2; i++) expect((await limited.call('GET', '/v1/memories', { query: { user_id: 'alice' } })).status).toBe(200);
      const refused = await limited.call('GET', '/v1/memories', { query: { user_id: 'alice' } });
      expect(refused).toMatchObject({ status: 429, body: { error: { code: 'RATE_LIMITED', message: expect.stringContaining('retry in') } } });
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await limited.call('GET', '/health')).status).toBe(200);
    } finally {
      await limited.server.close();
    }
  });

  it('should count requests with a wrong token against the rate limit, so tokens cannot be guessed at speed', async () => {
    const limited = await serveWith(memory, {}, { tokens: [TOKEN], rateLimit: { max: 2, timeWindowMs: 60_000 } });
    try {
      for (const guess of ['guess-0123456789abcdef-1', 'guess-0123456789abcdef-2']) {
        expect((await limited.call('GET', '/v1/memories', { query: { user_id: 'alice' }, token: guess })).status).toBe(401);
      }
      expect(await limited.call('GET', '/v1/memories', { query: { user_id: 'alice' }, token: TOKEN })).toMatchObject({ status: 429, body: { error: { code: 'RATE_LIMITED' } } });
    } finally {
      await limited.server.close();
    }
  });

  it("should answer a failure on the server's side without its cause, and a busy memory with Retry-After", async () => {
    const failing = await serveWith(memory, {
      search: async () => {
        throw new Error('ENOENT /srv/secret/path');
      },
      getAll: async () => {
        throw new NeuroMemError('LOCKED', '/srv/secret/db is in use by pid 42', { module: 'store' });
      },
      get: async () => {
        throw new NeuroMemError('STORAGE', 'disk full at /srv/secret/db', { module: 'store' });
      },
    });
    try {
      const crashed = await failing.call('POST', '/v1/memories/search', { body: { query: 'tea', user_id: 'alice' } });
      expect(crashed).toMatchObject({ status: 500, body: { error: { code: 'INTERNAL', message: expect.any(String) } } });
      const busy = await failing.call('GET', '/v1/memories', { query: { user_id: 'alice' } });
      expect(busy).toMatchObject({ status: 503, body: { error: { code: 'LOCKED' } } });
      expect(busy.headers.get('retry-after')).toBe('1');
      const storage = await failing.call('GET', `/v1/memories/${aliceId}`, { query: { user_id: 'alice' } });
      expect(storage).toMatchObject({ status: 500, body: { error: { code: 'STORAGE' } } });
      for (const answer of [crashed, busy, storage]) expect(JSON.stringify(answer.body)).not.toMatch(/secret|stack|at /);
    } finally {
      await failing.server.close();
    }
  });

  it('should answer the requests in flight when closing, then refuse new connections', async () => {
    let release!: () => void;
    let started!: () => void;
    const inHandler = new Promise<void>((resolve) => (started = resolve));
    const slow = await serveWith(memory, {
      getAll: async (options) => {
        started();
        await new Promise<void>((resolve) => (release = resolve));
        return memory.getAll(options);
      },
    });
    const inFlight = slow.call('GET', '/v1/memories', { query: { user_id: 'alice' } });
    await inHandler;
    let closed = false;
    const closing = slow.server.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(false);
    release();
    expect(await inFlight).toMatchObject({ status: 200, body: { results: expect.arrayContaining([expect.objectContaining({ memory: 'My locker code is 4512' })]) } });
    await closing;
    await expect(slow.call('GET', '/health')).rejects.toThrow();
  });
});

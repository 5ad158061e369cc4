import { networkInterfaces } from 'node:os';
import type { FastifyInstance } from 'fastify';
import { createMemory } from '../create-memory';
import type { Memory } from '../memory';
import { createMemoryServer } from './create-memory-server';
import { everyRoute, type HttpAnswer, type HttpCall, listenForTests, requestJson } from './http-test-client';
import { serveMemory } from './serve-memory';

const ADMIN = 'admin-token-0123456789abcdef';
const ALICE = 'alice-token-0123456789abcdef';

// The open server's refusal can only be seen from an address other machines reach.
const external = Object.values(networkInterfaces())
  .flat()
  .find((address) => address && !address.internal && address.family === 'IPv4')?.address;
const itWithExternalAddress = external ? it : it.skip;

describe('memory server authentication', () => {
  let memory: Memory;
  let server: FastifyInstance;
  let call: (method: string, path: string, options?: HttpCall) => Promise<HttpAnswer>;
  let aliceId: string;

  beforeAll(async () => {
    memory = await createMemory({ requireScope: true });
    aliceId = (await memory.add('My locker code is 4512', { userId: 'alice' })).results[0]!.id;
    server = await createMemoryServer({ memory, tokens: [ADMIN, { token: ALICE, userId: 'alice' }] });
    call = await listenForTests(server);
  });
  afterAll(async () => {
    await server.close();
    await memory.close();
  });

  it('should answer 401 on every memory route without a token, with a wrong one or a malformed header', async () => {
    for (const route of everyRoute(aliceId, 'alice')) {
      for (const headers of [{} as Record<string, string>, { authorization: `Bearer ${ADMIN}x` }, { authorization: ADMIN }, { authorization: `Basic ${ADMIN}` }]) {
        const answer = await call(route.method, route.path, { ...route.call, headers });
        expect({ route: route.name, status: answer.status, body: answer.body }).toEqual({
          route: route.name,
          status: 401,
          body: { error: { code: 'UNAUTHORIZED', message: expect.any(String) } },
        });
        expect(answer.headers.get('www-authenticate')).toBe('Bearer');
      }
    }
    expect((await memory.get(aliceId, { userId: 'alice' }))?.memory).toBe('My locker code is 4512');
  });

  it("should answer 403 on every memory route when a user's token names another user", async () => {
    for (const route of everyRoute(aliceId, 'bob')) {
      const answer = await call(route.method, route.path, { ...route.call, token: ALICE });
      expect({ route: route.name, status: answer.status, code: answer.body.error.code }).toEqual({ route: route.name, status: 403, code: 'FORBIDDEN' });
      expect(JSON.stringify(answer.body)).not.toContain('4512');
    }
    expect((await memory.get(aliceId, { userId: 'alice' }))?.memory).toBe('My locker code is 4512');
  });

  it("should let a user's token reach that user's memories, and an unrestricted token any user's", async () => {
    expect(await call('GET', `/v1/memories/${aliceId}`, { query: { user_id: 'alice' }, token: ALICE })).toMatchObject({ status: 200, body: { memory: 'My locker code is 4512' } });
    expect(await call('GET', `/v1/memories/${aliceId}`, { query: { user_id: 'alice' }, token: ADMIN })).toMatchObject({ status: 200, body: { memory: 'My locker code is 4512' } });
    expect(await call('GET', '/v1/memories', { query: { user_id: 'bob' }, token: ADMIN })).toMatchObject({ status: 200, body: { results: [] } });
  });

  it('should serve a server without tokens on loopback to anyone on this machine', async () => {
    const open = await createMemoryServer({ memory });
    const openCall = await listenForTests(open);
    try {
      expect(await openCall('GET', `/v1/memories/${aliceId}`, { query: { user_id: 'alice' } })).toMatchObject({ status: 200, body: { memory: 'My locker code is 4512' } });
      const document = (await openCall('GET', '/openapi.json')).body;
      expect(document.security).toEqual([]);
    } finally {
      await open.close();
    }
  });

  it('should refuse to serve without a token on an address other machines reach', async () => {
    for (const host of ['0.0.0.0', '::', '192.0.2.10']) {
      await expect(serveMemory({ memory, host, port: 0 })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining(`refusing to serve on ${host} without a token`) });
    }
    const running = await serveMemory({ memory, host: '0.0.0.0', port: 0, tokens: [ADMIN] });
    try {
      expect(running.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
      const port = new URL(running.url).port;
      expect(await requestJson(`http://127.0.0.1:${port}`, 'GET', '/v1/memories', { query: { user_id: 'alice' }, token: ADMIN })).toMatchObject({ status: 200 });
    } finally {
      await running.close();
    }
  });

  itWithExternalAddress('should answer 403 to a connection from another address when a server without tokens listens on every address', async () => {
    const open = await createMemoryServer({ memory });
    await open.listen({ host: '0.0.0.0', port: 0 });
    try {
      const { port } = open.server.address() as { port: number };
      const remote = await requestJson(`http://${external}:${port}`, 'GET', `/v1/memories/${aliceId}`, { query: { user_id: 'alice' } });
      expect(remote).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN', message: expect.stringContaining('no token') } } });
      expect(await requestJson(`http://127.0.0.1:${port}`, 'GET', `/v1/memories/${aliceId}`, { query: { user_id: 'alice' } })).toMatchObject({ status: 200 });
    } finally {
      await open.close();
    }
  });

  it('should refuse weak, repeated or malformed tokens before starting', async () => {
    for (const tokens of [['short'], ['has spaces in the token !!'], [ADMIN, ADMIN], [{ token: ADMIN, userId: '' }]]) {
      await expect(createMemoryServer({ memory, tokens })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('tokens') });
    }
  });
});

import type { FastifyInstance } from 'fastify';
import { createMemory } from '../create-memory';
import type { Memory } from '../memory';
import { createMemoryServer } from './create-memory-server';
import { type HttpAnswer, type HttpCall, listenForTests } from './http-test-client';

const TOKEN = 'test-token-0123456789abcdef';
const alice = { user_id: 'alice' };

describe('createMemoryServer routes', () => {
  let memory: Memory;
  let server: FastifyInstance;
  let call: (method: string, path: string, options?: HttpCall) => Promise<HttpAnswer>;
  const as = (method: string, path: string, options: HttpCall = {}) => call(method, path, { token: TOKEN, ...options });

  beforeAll(async () => {
    memory = await createMemory({ requireScope: true });
    server = await createMemoryServer({ memory, tokens: [TOKEN] });
    call = await listenForTests(server);
  });
  afterAll(async () => {
    await server.close();
    await memory.close();
  });

  const add = async (text: string, user = 'alice') => {
    const answer = await as('POST', '/v1/memories', { body: { messages: text, user_id: user, timestamp: '2024-06-01T10:00:00Z' } });
    expect(answer.status).toBe(201);
    return answer.body.results[0].id as string;
  };

  it('should list the consolidated facts a sleep wrote only when asked with facts=true', async () => {
    const post = (text: string, timestamp: string) => as('POST', '/v1/memories', { body: { messages: text, user_id: 'fay', timestamp } });
    await post('I work as a nurse at the Royal Infirmary, mostly night shifts.', '2024-01-05T10:00:00Z');
    await post('I left the Royal Infirmary: no more night shifts as a nurse, I work as a teacher now.', '2024-09-01T10:00:00Z');
    await memory.sleep({ userId: 'fay', budgetMs: 10_000 });
    const plain = await as('GET', '/v1/memories', { query: { user_id: 'fay' } });
    const withFacts = await as('GET', '/v1/memories', { query: { user_id: 'fay', facts: 'true' } });
    expect(plain.body.results).toHaveLength(2);
    expect(withFacts.body.results).toHaveLength(3);
    expect(withFacts.body.results.filter((item: { metadata: Record<string, unknown> }) => item.metadata.consolidation)).toHaveLength(1);
    expect((await as('GET', '/v1/memories', { query: { user_id: 'fay', facts: 'yes' } })).status).toBe(400);
  });

  it('should add a text and chat messages, and get them back by id and for the owner', async () => {
    const added = await as('POST', '/v1/memories', {
      body: { messages: [{ role: 'user', content: 'I adopted a beagle named Biscuit' }], user_id: 'ana', run_id: 'chat-1', metadata: { topic: 'pets' }, timestamp: 1717236000000 },
    });
    expect(added.status).toBe(201);
    expect(added.body.results).toEqual([expect.objectContaining({ memory: 'I adopted a beagle named Biscuit', userId: 'ana', runId: 'chat-1', metadata: { topic: 'pets' }, event: 'ADD' })]);
    const id = added.body.results[0].id;
    const got = await as('GET', `/v1/memories/${id}`, { query: { user_id: 'ana' } });
    expect(got).toMatchObject({ status: 200, body: { id, memory: 'I adopted a beagle named Biscuit', eventTime: '2024-06-01T10:00:00.000Z' } });
    const all = await as('GET', '/v1/memories', { query: { user_id: 'ana', limit: '5' } });
    expect(all.status).toBe(200);
    expect(all.body.results.map((item: { id: string }) => item.id)).toEqual([id]);
  });

  it('should search with scores and their breakdown', async () => {
    const id = await add('My sister Ana lives in Porto', 'sam');
    await add('The weather was grey all week', 'sam');
    const found = await as('POST', '/v1/memories/search', { body: { query: 'where does my sister live?', user_id: 'sam', top_k: 1 } });
    expect(found.status).toBe(200);
    expect(found.body.results).toHaveLength(1);
    expect(found.body.results[0]).toMatchObject({ id, memory: 'My sister Ana lives in Porto' });
    expect(found.body.results[0].score).toBeGreaterThan(0);
    expect(Object.keys(found.body.results[0].scoreBreakdown.factors)).toContain('lexical');
    expect(typeof found.body.answerable).toBe('number');
    expect(found.body.candidates).toBe(2); // both of sam's memories were weighed, though one was asked for
  });

  it('should compress relevant memories into a context within the token budget', async () => {
    await add('I booked the flight to Lisbon for 14 June, it cost $420', 'kai');
    const context = await as('POST', '/v1/memories/context', { body: { query: 'when is my flight to Lisbon?', user_id: 'kai', token_budget: 60, gate: false } });
    expect(context.status).toBe(200);
    expect(context.body.text).toContain('Lisbon');
    expect(context.body.tokens).toBeLessThanOrEqual(60);
    expect(context.body.sources[0]).toMatchObject({ memory: 'I booked the flight to Lisbon for 14 June, it cost $420', spans: expect.any(Array) });
  });

  it("should prefetch a user's memories and refuse a call that names no user", async () => {
    await add('My bike is a green Dawes from 1987', 'lee');
    expect(await as('POST', '/v1/memories/prefetch', { body: { user_id: 'lee' } })).toMatchObject({ status: 200, body: { prefetched: 1 } });
    expect(await as('POST', '/v1/memories/prefetch', { body: { user_id: 'nobody-yet' } })).toMatchObject({ status: 200, body: { prefetched: 0 } });
    expect((await as('POST', '/v1/memories/prefetch', { body: {} })).status).toBe(400);
  });

  it('should update a memory and keep every version in its history', async () => {
    const id = await add('I work at Acme');
    const updated = await as('PUT', `/v1/memories/${id}`, { body: { text: 'I work at Globex', metadata: { source: 'chat' }, ...alice } });
    expect(updated).toMatchObject({ status: 200, body: { message: expect.any(String) } });
    expect((await as('GET', `/v1/memories/${id}`, { query: alice })).body).toMatchObject({ memory: 'I work at Globex', metadata: { source: 'chat' } });
    const history = await as('GET', `/v1/memories/${id}/history`, { query: alice });
    expect(history.status).toBe(200);
    expect(history.body.map((row: { action: string; new_value: string }) => [row.action, row.new_value])).toEqual([
      ['ADD', 'I work at Acme'],
      ['UPDATE', 'I work at Globex'],
    ]);
  });

  it("should learn from feedback on a user's memory", async () => {
    const id = await add('My locker code is 4512');
    const feedback = await as('POST', `/v1/memories/${id}/feedback`, { body: { query: 'locker code?', useful: true, ...alice } });
    expect(feedback).toMatchObject({ status: 200, body: { message: expect.any(String), interactions: 1 } });
  });

  it('should delete one memory, then all of an owner, leaving them in history', async () => {
    const [first, second] = [await add('I like tea', 'zoe'), await add('I like chess', 'zoe')];
    expect(await as('DELETE', `/v1/memories/${first}`, { query: { user_id: 'zoe' } })).toMatchObject({ status: 200, body: { message: expect.any(String) } });
    expect((await as('GET', `/v1/memories/${first}`, { query: { user_id: 'zoe' } })).status).toBe(404);
    expect((await as('GET', `/v1/memories/${first}/history`, { query: { user_id: 'zoe' } })).body.map((row: { action: string }) => row.action)).toEqual(['ADD', 'DELETE']);
    expect(await as('DELETE', '/v1/memories', { query: { user_id: 'zoe' } })).toMatchObject({ status: 200, body: { message: expect.any(String) } });
    expect((await as('GET', '/v1/memories', { query: { user_id: 'zoe' } })).body.results).toEqual([]);
    expect((await as('GET', `/v1/memories/${second}/history`, { query: { user_id: 'zoe' } })).body.map((row: { action: string }) => row.action)).toEqual(['ADD', 'DELETE']);
  });

  it('should answer health without a token', async () => {
    expect(await call('GET', '/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('should describe every route, its request and its responses in the OpenAPI document', async () => {
    const { status, body: document } = await call('GET', '/openapi.json');
    expect(status).toBe(200);
    expect(document.openapi).toMatch(/^3\./);
    const operations = Object.entries(document.paths as Record<string, Record<string, { operationId: string }>>).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => `${method.toUpperCase()} ${path} ${operation.operationId}`),
    );
    expect(operations.sort()).toEqual(
      [
        'POST /v1/memories add',
        'GET /v1/memories getAll',
        'DELETE /v1/memories deleteAll',
        'POST /v1/memories/search search',
        'POST /v1/memories/context context',
        'POST /v1/memories/prefetch prefetch',
        'GET /v1/memories/{id} get',
        'PUT /v1/memories/{id} update',
        'DELETE /v1/memories/{id} delete',
        'GET /v1/memories/{id}/history history',
        'POST /v1/memories/{id}/feedback feedback',
        'GET /health health',
        'GET /openapi.json openapi',
      ].sort(),
    );
    for (const [path, methods] of Object.entries(document.paths as Record<string, Record<string, Record<string, unknown>>>)) {
      if (!path.startsWith('/v1/')) continue;
      for (const operation of Object.values(methods)) {
        expect(operation.requestBody ?? operation.parameters).toBeDefined();
        expect(Object.keys(operation.responses as object)).toEqual(expect.arrayContaining(['4XX', '5XX']));
      }
    }
    expect(document.components.schemas).toEqual(expect.objectContaining({ ErrorBody: expect.any(Object), MemoryItem: expect.any(Object) }));
    expect(document.components.securitySchemes).toEqual({ bearer: { type: 'http', scheme: 'bearer' } });
  });
});

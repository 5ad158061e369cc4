import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';

/** What a test reads of an HTTP answer. */
export interface HttpAnswer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back
  body: any;
}

export interface HttpCall {
  body?: unknown;
  query?: Record<string, string>;
  token?: string;
  headers?: Record<string, string>;
}

/** Listens on 127.0.0.1 with a free port and returns a client for it: tests go over real HTTP. */
export async function listenForTests(server: FastifyInstance): Promise<(method: string, path: string, call?: HttpCall) => Promise<HttpAnswer>> {
  await server.listen({ host: '127.0.0.1', port: 0 });
  const { port } = server.server.address() as AddressInfo;
  return (method, path, call = {}) => requestJson(`http://127.0.0.1:${port}`, method, path, call);
}

export async function requestJson(base: string, method: string, path: string, call: HttpCall = {}): Promise<HttpAnswer> {
  const url = new URL(path, base);
  for (const [key, value] of Object.entries(call.query ?? {})) url.searchParams.set(key, value);
  const headers: Record<string, string> = { ...(call.token ? { authorization: `Bearer ${call.token}` } : {}), ...call.headers };
  if (call.body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  const response = await fetch(url, { method, headers, ...(call.body !== undefined ? { body: typeof call.body === 'string' ? call.body : JSON.stringify(call.body) } : {}) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
}

/** One request per memory route for `user` (with `id` in the by-id ones), valid but for what a test changes. */
export function everyRoute(id: string, user: string): Array<{ name: string; method: string; path: string; call: HttpCall }> {
  const owner = { user_id: user };
  return [
    { name: 'add', method: 'POST', path: '/v1/memories', call: { body: { messages: 'I like tea', ...owner } } },
    { name: 'search', method: 'POST', path: '/v1/memories/search', call: { body: { query: 'tea', ...owner } } },
    { name: 'context', method: 'POST', path: '/v1/memories/context', call: { body: { query: 'tea', ...owner } } },
    { name: 'prefetch', method: 'POST', path: '/v1/memories/prefetch', call: { body: owner } },
    { name: 'getAll', method: 'GET', path: '/v1/memories', call: { query: owner } },
    { name: 'deleteAll', method: 'DELETE', path: '/v1/memories', call: { query: owner } },
    { name: 'get', method: 'GET', path: `/v1/memories/${id}`, call: { query: owner } },
    { name: 'update', method: 'PUT', path: `/v1/memories/${id}`, call: { body: { text: 'I like coffee', ...owner } } },
    { name: 'delete', method: 'DELETE', path: `/v1/memories/${id}`, call: { query: owner } },
    { name: 'history', method: 'GET', path: `/v1/memories/${id}/history`, call: { query: owner } },
    { name: 'feedback', method: 'POST', path: `/v1/memories/${id}/feedback`, call: { body: { query: 'tea', useful: true, ...owner } } },
  ];
}

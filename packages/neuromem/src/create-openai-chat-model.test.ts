import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isNeuroMemError } from '@neuromem/core';
import { createOpenAIChatModel, type OpenAIChatModelOptions } from './create-openai-chat-model';

interface Received {
  url: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}
type Reply = (response: ServerResponse, request: Received) => void;

/** A loopback server that answers the n-th request with the n-th reply (the last one repeats). */
async function serve(...replies: Reply[]) {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    request.on('end', () => {
      const entry = { url: request.url ?? '', headers: request.headers, body: JSON.parse(raw) as Record<string, unknown> };
      received.push(entry);
      replies[Math.min(received.length, replies.length) - 1]!(response, entry);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  servers.push(server);
  return { baseURL, received };
}
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Reply =>
  (response) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(JSON.stringify(body));
  };
const completion = (content: string, usage?: object) => json(200, { choices: [{ index: 0, message: { role: 'assistant', content } }], ...(usage ? { usage } : {}) });
const never: Reply = () => undefined;
const user = [{ role: 'user' as const, content: 'Hi' }];
const model = (baseURL: string, options: Partial<OpenAIChatModelOptions> = {}) => createOpenAIChatModel({ baseURL, model: 'tiny', apiKey: 'sk-test', retryBaseDelayMs: 1, ...options });

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isNeuroMemError(error)) throw new Error(`expected a NeuroMemError, got ${String(error)}`);
  return error;
}

describe('createOpenAIChatModel', () => {
  it('should post the conversation to /chat/completions and return the first choice', async () => {
    const server = await serve(completion('Hello there'));
    const chat = model(`${server.baseURL}/`, { temperature: 0.3 });
    const result = await chat.chat([{ role: 'system', content: 'Be brief.' }, ...user], { maxTokens: 16 });
    expect(result.content).toBe('Hello there');
    expect(server.received[0]!.url).toBe('/v1/chat/completions');
    expect(server.received[0]!.body).toEqual({ model: 'tiny', messages: [{ role: 'system', content: 'Be brief.' }, ...user], temperature: 0.3, max_tokens: 16 });
    expect(chat.specVersion).toBe('neuromem.chat-model/v1');
  });

  it('should map usage to camelCase and leave it out when the server sends none', async () => {
    const server = await serve(completion('a', { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 }), completion('b'));
    const chat = model(server.baseURL);
    expect((await chat.chat(user)).usage).toEqual({ promptTokens: 12, completionTokens: 3 });
    expect((await chat.chat(user)).usage).toBeUndefined();
  });

  it('should send Authorization only when a key is configured', async () => {
    const saved = process.env.OPENAI_API_KEY;
    try {
      const server = await serve(completion('ok'));
      await model(server.baseURL).chat(user);
      delete process.env.OPENAI_API_KEY;
      await createOpenAIChatModel({ baseURL: server.baseURL, model: 'tiny' }).chat(user);
      process.env.OPENAI_API_KEY = 'sk-env';
      await createOpenAIChatModel({ baseURL: server.baseURL, model: 'tiny' }).chat(user);
      expect(server.received.map((r) => r.headers.authorization)).toEqual(['Bearer sk-test', undefined, 'Bearer sk-env']);
    } finally {
      if (saved === undefined) delete process.env.OPENAI_API_KEY;
      else process.env.OPENAI_API_KEY = saved;
    }
  });

  it('should retry after a 500 and return the next success', async () => {
    const server = await serve(json(500, { error: { message: 'overloaded' } }), completion('second time lucky'));
    expect((await model(server.baseURL).chat(user)).content).toBe('second time lucky');
    expect(server.received).toHaveLength(2);
  });

  it('should wait as long as Retry-After says after a 429', async () => {
    const server = await serve(json(429, { error: { message: 'slow down' } }, { 'retry-after': '1' }), completion('ok'));
    const started = performance.now();
    // A 60 s backoff would time the test out: finishing in about a second means Retry-After won.
    await model(server.baseURL, { retryBaseDelayMs: 60_000 }).chat(user);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(server.received).toHaveLength(2);
  });

  it('should not retry when Retry-After asks for more than a minute', async () => {
    const server = await serve(json(429, { error: { message: 'quota exceeded' } }, { 'retry-after': '3600' }));
    const error = await failure(model(server.baseURL).chat(user));
    expect(error.code).toBe('UPSTREAM');
    expect(error.message).toContain('retry after 3600 s');
    expect(server.received).toHaveLength(1);
  });

  it('should fail at once on a 400 with the status and the server message but never the key', async () => {
    const server = await serve(json(400, { error: { message: 'model tiny not found for key sk-test' } }));
    const error = await failure(model(server.baseURL, { maxRetries: 2 }).chat(user));
    expect(error.code).toBe('UPSTREAM');
    expect(error.details.status).toBe(400);
    expect(error.message).toContain('400');
    expect(error.message).toContain('model tiny not found');
    expect(error.message).not.toContain('sk-test');
    expect(server.received).toHaveLength(1);
  });

  it('should report UPSTREAM with the status once retries run out', async () => {
    const server = await serve((response) => (response.writeHead(503), response.end('Service Unavailable')));
    const error = await failure(model(server.baseURL, { maxRetries: 2 }).chat(user));
    expect(error.code).toBe('UPSTREAM');
    expect(error.details.status).toBe(503);
    expect(error.message).toContain('Service Unavailable');
    expect(server.received).toHaveLength(3);
  });

  it('should fail with TIMEOUT when the server does not answer in time', async () => {
    const server = await serve(never);
    const error = await failure(model(server.baseURL, { timeoutMs: 50, maxRetries: 1 }).chat(user));
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toContain('timeoutMs=50');
    expect(server.received).toHaveLength(2);
  });

  it('should retry an answer that stalls half-way and return the next one whole', async () => {
    const halfThenSilence: Reply = (response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"choices":[{"message":{"content":"par');
    };
    const server = await serve(halfThenSilence, completion('complete'));
    expect((await model(server.baseURL, { timeoutMs: 100 }).chat(user)).content).toBe('complete');
    expect(server.received).toHaveLength(2);
  });

  it('should name the URL in a typed error when the server sends garbage instead of a completion', async () => {
    const garbage: Reply = (response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html>It works!</html>');
    };
    const server = await serve(garbage, json(200, { object: 'list', data: [] }));
    const notJson = await failure(model(server.baseURL).chat(user));
    expect(notJson.code).toBe('UPSTREAM');
    expect(notJson.message).toContain(`${server.baseURL}/chat/completions`);
    expect(notJson.message).toContain('not a JSON object');
    const noChoices = await failure(model(server.baseURL).chat(user));
    expect(noChoices.message).toContain('no choices');
    // Garbage is not transient: one request each, no retries.
    expect(server.received).toHaveLength(2);
  });

  it('should say the server may not be running when nothing listens on the port', async () => {
    const server = await serve(never);
    const closed = servers.pop()!;
    await new Promise((resolve) => closed.close(resolve));
    const error = await failure(model(server.baseURL, { maxRetries: 1 }).chat(user));
    expect(error.code).toBe('UPSTREAM');
    expect(error.message).toContain(`${server.baseURL}/chat/completions`);
    expect(error.message).toContain('is the server running?');
  });

  it('should stream content deltas until [DONE], across split chunks', async () => {
    const server = await serve((response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const event = (delta: object) => `data: ${JSON.stringify({ choices: [{ index: 0, delta }] })}\n\n`;
      const wire = `: keep-alive\n\n${event({ role: 'assistant' })}${event({ content: 'Hel' })}${event({ content: 'lo' })}${event({ content: ' world' })}data: [DONE]\n\n${event({ content: 'ignored' })}`;
      response.write(wire.slice(0, 70));
      setTimeout(() => response.end(wire.slice(70)), 10);
    });
    const deltas: string[] = [];
    for await (const delta of model(server.baseURL).stream!(user)) deltas.push(delta);
    expect(deltas).toEqual(['Hel', 'lo', ' world']);
    expect(server.received[0]!.body.stream).toBe(true);
    expect(server.received[0]!.headers.accept).toBe('text/event-stream');
  });

  it('should fail a stream with TIMEOUT when the server stalls between deltas', async () => {
    const server = await serve((response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(`data: ${JSON.stringify({ choices: [{ delta: { content: 'first' } }] })}\n\n`);
    });
    const deltas: string[] = [];
    const read = async () => {
      for await (const delta of model(server.baseURL, { timeoutMs: 100 }).stream!(user)) deltas.push(delta);
    };
    expect((await failure(read())).code).toBe('TIMEOUT');
    expect(deltas).toEqual(['first']);
  });

  it('should raise UPSTREAM for a stream the server refuses', async () => {
    const server = await serve(json(404, { error: 'model "tiny" not found, try pulling it first' }));
    const stream = model(server.baseURL).stream!(user)[Symbol.asyncIterator]();
    const error = await failure(stream.next());
    expect(error.message).toContain('model "tiny" not found');
  });

  it('should stop a call when the caller aborts its signal', async () => {
    const server = await serve(never);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const started = performance.now();
    await expect(model(server.baseURL).chat(user, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('should stop a stream when the caller aborts between deltas', async () => {
    const server = await serve((response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(`data: ${JSON.stringify({ choices: [{ delta: { content: 'first' } }] })}\n\n`);
    });
    const controller = new AbortController();
    const deltas: string[] = [];
    const read = async () => {
      for await (const delta of model(server.baseURL).stream!(user, { signal: controller.signal })) {
        deltas.push(delta);
        controller.abort();
      }
    };
    await expect(read()).rejects.toMatchObject({ name: 'AbortError' });
    expect(deltas).toEqual(['first']);
  });

  it('should reject bad messages and options with INVALID_INPUT before any request', async () => {
    const server = await serve(completion('never sent'));
    const chat = model(server.baseURL);
    expect((await failure(chat.chat([]))).code).toBe('INVALID_INPUT');
    expect((await failure(chat.chat([{ role: 'tool' as 'user', content: 'x' }]))).message).toContain('messages[0].role');
    expect((await failure(chat.chat(user, { maxTokens: 0 }))).code).toBe('INVALID_INPUT');
    expect((await failure(chat.chat(user, { temperature: -1 }))).code).toBe('INVALID_INPUT');
    expect(server.received).toHaveLength(0);
    const bad: Array<Partial<OpenAIChatModelOptions>> = [{ baseURL: 'localhost:11434/v1' }, { model: ' ' }, { maxRetries: -1 }, { timeoutMs: 0 }, { temperature: 5 }];
    for (const options of bad) {
      expect(() => createOpenAIChatModel({ baseURL: server.baseURL, model: 'tiny', ...options })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    }
  });
});

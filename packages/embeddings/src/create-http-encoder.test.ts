import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cosineSimilarity, normalizeInPlace } from '@neuromem/core';
import { testEmbedder } from '@neuromem/core/testing';
import { createHttpEncoder, type HttpEncoderOptions } from './create-http-encoder';

const MODEL = 'fake-embed';
const DIMS = 64;

interface Received {
  headers: IncomingHttpHeaders;
  body: { model: string; input: string[]; dimensions?: number };
}
type Respond = (request: Received, response: ServerResponse) => void;

/** Signed char-trigram hashing: texts sharing wording share buckets. Deliberately not unit length. */
function fakeEmbedding(text: string, dims = DIMS): number[] {
  const vector = new Array<number>(dims).fill(0);
  const chars = Array.from(` ${text.toLowerCase()} `);
  for (let i = 0; i + 3 <= chars.length; i++) {
    let hash = 2166136261;
    for (const char of chars.slice(i, i + 3).join('')) hash = Math.imul(hash ^ char.codePointAt(0)!, 16777619) >>> 0;
    vector[hash % dims]! += hash & 0x80000000 ? -3 : 3;
  }
  return vector;
}

const send = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(typeof body === 'string' ? body : JSON.stringify(body));
};

/** An OpenAI-style answer; `shuffle` reverses `data` so only `index` tells which text is which. */
const embeddings =
  ({ dims = DIMS, shuffle = false } = {}): Respond =>
  ({ body }, response) => {
    const data = body.input.map((text, index) => ({ object: 'embedding', index, embedding: fakeEmbedding(text, dims) }));
    send(response, 200, { object: 'list', model: body.model, data: shuffle ? data.reverse() : data });
  };

let server: Server;
let baseURL: string;
// Initialized here too: the conformance suite's beforeAll runs before any beforeEach.
let requests: Received[] = [];
let respond: Respond = embeddings();
const savedKey = process.env.OPENAI_API_KEY;

beforeAll(async () => {
  server = createServer((request, response) => {
    let raw = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (raw += chunk));
    request.on('end', () => {
      const received = { headers: request.headers, body: JSON.parse(raw) as Received['body'] };
      requests.push(received);
      respond(received, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/`;
});

beforeEach(() => {
  requests = [];
  respond = embeddings();
  delete process.env.OPENAI_API_KEY;
});

afterAll(async () => {
  if (savedKey !== undefined) process.env.OPENAI_API_KEY = savedKey;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const create = (options: Partial<HttpEncoderOptions> = {}) => createHttpEncoder({ baseURL, model: MODEL, retryBaseDelayMs: 1, ...options });

testEmbedder({ name: 'http encoder', create: () => create() });

describe('createHttpEncoder', () => {
  it('should learn the dimensions from one probe request and name model, host and size in its id', async () => {
    const encoder = await create();
    expect(requests).toHaveLength(1);
    expect(requests[0]!.body).toEqual({ model: MODEL, input: [expect.any(String)] });
    expect(encoder.dimensions).toBe(DIMS);
    expect(encoder.id).toBe(`http:${MODEL}@${new URL(baseURL).host}:d${DIMS}`);
    expect(encoder.deterministic).toBe(true);
    expect(encoder.maxInputChars).toBe(32_000);
  });

  it('should skip the probe when dimensions are given and send them only with sendDimensions', async () => {
    const plain = await create({ dimensions: DIMS });
    expect(requests).toHaveLength(0);
    await plain.encode(['hello there']);
    expect(requests[0]!.body).not.toHaveProperty('dimensions');
    await (await create({ dimensions: DIMS, sendDimensions: true })).encode(['hello there']);
    expect(requests[1]!.body.dimensions).toBe(DIMS);
  });

  it('should split large inputs into batches and keep the order even when the server shuffles data', async () => {
    respond = embeddings({ shuffle: true });
    const encoder = await create({ dimensions: DIMS, batchSize: 64 });
    const texts = Array.from({ length: 150 }, (_, i) => `memory number ${i} about topic ${i % 7}`);
    const vectors = await encoder.encode(texts);
    expect(requests.map((r) => r.body.input.length)).toEqual([64, 64, 22]);
    expect(vectors).toHaveLength(150);
    vectors.forEach((vector, i) => {
      expect(cosineSimilarity(vector, normalizeInPlace(Float32Array.from(fakeEmbedding(texts[i]!))))).toBeGreaterThan(0.9999);
    });
  });

  it('should reject vectors of the wrong size with DIMENSION_MISMATCH naming model and sizes', async () => {
    const encoder = await create({ dimensions: 32 });
    const error = await encoder.encode(['hello there']).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DIMENSION_MISMATCH', details: { model: MODEL, expected: 32, actual: DIMS } });
    expect((error as Error).message).toMatch(/fake-embed.*64.*32/);
  });

  it.each([
    ['an Infinity', '{"data":[{"index":0,"embedding":[1e999,0.5]}]}', /non-finite value \(Infinity\)/],
    ['a null', '{"data":[{"index":0,"embedding":[null,0.5]}]}', /non-finite value \(null\)/],
    ['a Python NaN', '{"data":[{"index":0,"embedding":[NaN,0.5]}]}', /NaN or Infinity/],
    ['too few embeddings', '{"data":[]}', /0 embeddings for 1 texts/],
    ['a base64 embedding', '{"data":[{"index":0,"embedding":"AAAA"}]}', /not an array/],
  ])('should fail with UPSTREAM when the server sends %s', async (_, body, message) => {
    respond = (_request, response) => send(response, 200, body);
    const encoder = await create({ dimensions: 2 });
    await expect(encoder.encode(['hello'])).rejects.toMatchObject({ code: 'UPSTREAM', message: expect.stringMatching(message) });
  });

  it('should time out a server that never answers, after its retries', async () => {
    respond = () => undefined;
    const encoder = await create({ dimensions: DIMS, timeoutMs: 100, maxRetries: 1 });
    await expect(encoder.encode(['hello'])).rejects.toMatchObject({ code: 'TIMEOUT', message: expect.stringContaining('timeoutMs=100') });
    expect(requests).toHaveLength(2);
  });

  it('should retry a 500 and a 429 with Retry-After, then succeed', async () => {
    const failures: Respond[] = [
      (_request, response) => send(response, 500, { error: { message: 'overloaded' } }),
      (_request, response) => send(response, 429, { error: 'slow down' }, { 'retry-after-ms': '5' }),
    ];
    respond = (request, response) => (failures.shift() ?? embeddings())(request, response);
    const vectors = await (await create({ dimensions: DIMS })).encode(['hello there']);
    expect(vectors).toHaveLength(1);
    expect(requests).toHaveLength(3);
  });

  it('should not retry a 400 and report status and server message', async () => {
    respond = (_request, response) => send(response, 400, { error: { message: 'model "nope" not found' } });
    const encoder = await create({ dimensions: DIMS });
    await expect(encoder.encode(['hello'])).rejects.toMatchObject({ code: 'UPSTREAM', details: { status: 400 }, message: expect.stringMatching(/400.*model "nope" not found/) });
    expect(requests).toHaveLength(1);
  });

  it('should mask the API key in error messages', async () => {
    respond = (request, response) => send(response, 401, { error: { message: `Incorrect API key provided: ${request.headers.authorization}` } });
    const error = await create({ apiKey: 'sk-secret-123' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UPSTREAM', details: { status: 401 } });
    expect((error as Error).message).toContain('Bearer ***');
    expect((error as Error).message).not.toContain('sk-secret-123');
  });

  it('should send an Authorization header only when there is a key', async () => {
    await create({ apiKey: 'sk-test', headers: { 'x-team': 'memory' } });
    await create();
    process.env.OPENAI_API_KEY = 'sk-env';
    await create();
    expect(requests.map((r) => r.headers.authorization)).toEqual(['Bearer sk-test', undefined, 'Bearer sk-env']);
    expect(requests[0]!.headers['x-team']).toBe('memory');
  });

  it('should reject too-long or empty texts with INVALID_INPUT before sending any request', async () => {
    const encoder = await create({ dimensions: DIMS, maxInputChars: 100 });
    await expect(encoder.encode(['short', 'x'.repeat(101)])).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/texts\[1\].*maxInputChars=100.*chunks/) });
    const texts = Array.from({ length: 150 }, (_, i) => (i === 120 ? ' ' : `text ${i}`));
    await expect(encoder.encode(texts)).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { field: 'texts[120]' } });
    expect(requests).toHaveLength(0);
  });

  it('should say which URL is unreachable and ask whether the server is running', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const error = await create({ baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UPSTREAM', message: expect.stringContaining(`http://127.0.0.1:${port}/v1/embeddings`) });
    expect((error as Error).message).toContain('is the server running?');
  });

  it.each([
    [{ baseURL: 'localhost:11434/v1' }, 'baseURL'],
    [{ model: ' ' }, 'model'],
    [{ sendDimensions: true }, 'dimensions'],
    [{ batchSize: 0 }, 'batchSize'],
    [{ dimensions: 1.5 }, 'dimensions'],
  ])('should reject invalid options %j with INVALID_INPUT', async (options, field) => {
    await expect(create(options)).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { field } });
    expect(requests).toHaveLength(0);
  });
});

import type { FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions, onRequestHookHandler, preHandlerHookHandler } from 'fastify';
import type {} from '@fastify/rate-limit';
import { importOptionalPeer } from '@neuromem/core';
import type { Memory } from '../memory';
import { REST_SERVER_PEERS } from '../server-peers';
import { createTokenCheck, isLoopback, normalizeTokens, type ServerToken } from './bearer-auth';
import { errorBody, failServer, toHttpError, type HttpErrorCode } from './http-errors';
import { registerMemoryRoutes } from './memory-routes';
import { SHARED_SCHEMAS } from './route-schemas';

export interface MemoryServerOptions {
  /**
   * The memory the routes serve. The server never closes it: close it after `server.close()`.
   * Every route makes the caller name a `user_id` and passes it on, whatever `requireScope` says.
   */
  memory: Memory;
  /**
   * Bearer tokens clients must send (`Authorization: Bearer <token>`); a `{ token, userId }` reaches
   * that user's memories only (403 for another `user_id`). Default none: the server then answers
   * only connections made to a loopback address (127.0.0.1, ::1), and `serveMemory` refuses any other host.
   */
  tokens?: ReadonlyArray<string | ServerToken>;
  /** Largest request body, in bytes; a bigger one is answered 413. Default 1 MiB. */
  bodyLimit?: number;
  /**
   * Requests per client address within a window; more are answered 429 with `Retry-After`.
   * Default `{ max: 1000, timeWindowMs: 60000 }`; `false` turns it off (e.g. behind a proxy that limits).
   */
  rateLimit?: { max?: number; timeWindowMs?: number } | false;
  /** fastify's logger (pino options, or `true`). Default `false`: nothing is logged. */
  logger?: FastifyServerOptions['logger'];
}

const DEFAULT_BODY_LIMIT = 1024 * 1024;
const DEFAULT_RATE_LIMIT = { max: 1000, timeWindowMs: 60_000 };
/** Open to every caller: a load balancer's health check, and the API's description. */
const PUBLIC_ROUTES = new Set(['/health', '/openapi.json']);

const sendError = (reply: FastifyReply, status: number, code: HttpErrorCode, message: string) => reply.code(status).send(errorBody(code, message));

/**
 * The REST server over a memory, as a fastify instance that is not listening yet: `listen()` it, or
 * use `serveMemory()`, which also refuses to expose an open server beyond this machine. Routes under
 * `/v1` mirror the facade; `/openapi.json` describes them; every error is `{ error: { code, message } }`.
 */
export async function createMemoryServer(options: MemoryServerOptions): Promise<FastifyInstance> {
  const { memory } = options;
  if (typeof memory?.search !== 'function') throw failServer('INVALID_INPUT', 'createMemoryServer() needs { memory }: a memory from createMemory().', { details: { field: 'memory' } });
  const tokens = normalizeTokens(options.tokens);
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  if (!Number.isInteger(bodyLimit) || bodyLimit < 1) throw failServer('INVALID_INPUT', `bodyLimit must be a positive number of bytes, got ${bodyLimit}.`, { details: { field: 'bodyLimit' } });
  const rateLimit = options.rateLimit === false ? false : { ...DEFAULT_RATE_LIMIT, ...options.rateLimit };
  if (rateLimit && !(Number.isInteger(rateLimit.max) && rateLimit.max > 0 && rateLimit.timeWindowMs > 0)) {
    throw failServer('INVALID_INPUT', 'rateLimit takes { max, timeWindowMs }: a positive whole number of requests per window of milliseconds (or false).', { details: { field: 'rateLimit' } });
  }

  // Loaded here, not at import: an app that only creates a memory should not pay for loading a server.
  const [{ fastify }, { fastifySwagger }, { fastifyRateLimit }] = await importOptionalPeer(
    () => Promise.all([import('fastify'), import('@fastify/swagger'), import('@fastify/rate-limit')]),
    REST_SERVER_PEERS,
  );
  const app = fastify({
    bodyLimit,
    logger: options.logger ?? false,
    exposeHeadRoutes: false,
    // fastify's own 503 while closing has its own body; the onRequest hook below answers in ours.
    return503OnClosing: false,
    // Unknown fields are a 400, not silently dropped (a misspelt user_id must not pass unnoticed), and
    // types are not coerced: a JSON null must not become timestamp 0, nor a number the string "5".
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false } },
  });

  app.setErrorHandler((error, request, reply) => {
    const mapped = toHttpError(error, { bodyLimit });
    if (mapped.internal) request.log.error({ err: error }, 'request failed');
    if (mapped.retryAfter !== undefined) reply.header('retry-after', String(mapped.retryAfter));
    return sendError(reply, mapped.status, mapped.code, mapped.message);
  });
  app.setNotFoundHandler((request, reply) => sendError(reply, 404, 'NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}; GET /openapi.json lists the routes.`));

  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (_request, reply) => {
    if (closing) return sendError(reply.header('retry-after', '1'), 503, 'CLOSED', 'the server is shutting down; retry in a moment.');
  });
  // A request in flight at close() came on a connection kept alive, which would hold close() open
  // until its keep-alive timeout: its answer ends the connection instead.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    return payload;
  });

  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'NeuroMem', version: '1.0.0', description: 'Long-term memory for LLM apps: the `neuromem` facade over HTTP.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: tokens.length > 0 ? [{ bearer: [] }] : [],
    },
    // Components keep their names (MemoryItem, ErrorBody) instead of def-0, def-1.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  if (rateLimit) {
    await app.register(fastifyRateLimit, {
      max: rateLimit.max,
      timeWindow: rateLimit.timeWindowMs,
      errorResponseBuilder: (_request, context) => Object.assign(new Error(`too many requests from this address (at most ${context.max} per window); retry in ${context.after}.`), { statusCode: 429 }),
    });
  }

  // Added per route after the rate limit's hook (it too is added per route), so failed logins count against the limit.
  const authenticate = createAuthentication(tokens);
  const ownUserOnly: preHandlerHookHandler = async (request, reply) => {
    const bound = request.getDecorator<ServerToken | null>('neuromemToken')?.userId;
    const part = (request.body ?? request.query) as { user_id?: unknown } | undefined;
    if (bound !== undefined && part?.user_id !== bound) return sendError(reply, 403, 'FORBIDDEN', "this token reaches one user's memories only, and the request names another user_id.");
  };
  app.decorateRequest('neuromemToken', null);
  app.addHook('onRoute', (route) => {
    if (PUBLIC_ROUTES.has(route.url)) return;
    route.onRequest = [...toArray(route.onRequest), authenticate];
    route.preHandler = [...toArray(route.preHandler), ownUserOnly];
  });

  app.get(
    '/health',
    {
      config: { rateLimit: false },
      schema: {
        operationId: 'health',
        summary: 'Whether the server answers',
        tags: ['server'],
        security: [],
        response: { 200: { type: 'object', properties: { status: { type: 'string', enum: ['ok'] } } } },
      },
    },
    async () => ({ status: 'ok' }),
  );
  app.get(
    '/openapi.json',
    { schema: { operationId: 'openapi', summary: 'This OpenAPI document', tags: ['server'], security: [], response: { 200: { type: 'object', additionalProperties: true } } } },
    async () => app.swagger(),
  );
  registerMemoryRoutes(app, memory);
  return app;
}

const toArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** 401 without a known token; with no tokens configured, 403 for any connection not made to a loopback address. */
function createAuthentication(tokens: readonly ServerToken[]): onRequestHookHandler {
  if (tokens.length === 0) {
    return async (request: FastifyRequest, reply: FastifyReply) => {
      // No local address: not a network connection at all (fastify's inject), so from this process.
      const local = request.socket.localAddress;
      if (local !== undefined && !isLoopback(local)) {
        return sendError(reply, 403, 'FORBIDDEN', 'this server has no token, so it answers on this machine only; start it with a token (neuromem serve --token, or tokens) to serve other hosts.');
      }
    };
  }
  const check = createTokenCheck(tokens);
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const token = check(request.headers.authorization);
    if (!token) {
      const message = request.headers.authorization ? 'the bearer token is not one this server accepts.' : 'send Authorization: Bearer <token>.';
      return sendError(reply.header('www-authenticate', 'Bearer'), 401, 'UNAUTHORIZED', message);
    }
    request.setDecorator('neuromemToken', token);
  };
}

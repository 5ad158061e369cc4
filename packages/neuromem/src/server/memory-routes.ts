import type { FastifyInstance } from 'fastify';
import type { JsonPrimitive, MemoryKind, Metadata } from '@neuromem/core';
import type { Memory } from '../memory';
import type { EntityIds, Message } from '../types';
import { failServer } from './http-errors';
import { ADD_BODY, CONTEXT_BODY, FEEDBACK_BODY, ID_PARAMS, LIST_QUERY, MESSAGE_RESPONSE, SCOPE_ONLY, SEARCH_BODY, UPDATE_BODY, responses } from './route-schemas';

type TimeValue = string | number;

/** The owner a request names, in Mem0's field names. */
interface WireScope {
  user_id: string;
  agent_id?: string;
  run_id?: string;
}
interface WireSearch extends WireScope {
  query: string;
  top_k?: number;
  limit?: number;
  filters?: Record<string, JsonPrimitive>;
  threshold?: number;
  reference_date?: TimeValue;
  time_range?: { from?: TimeValue; to?: TimeValue };
  kinds?: MemoryKind[];
}
interface WireContext extends WireSearch {
  token_budget?: number;
  gate?: number | false;
}
interface WireAdd extends WireScope {
  messages: string | Message[];
  metadata?: Metadata;
  timestamp?: TimeValue;
  importance?: number;
  kind?: MemoryKind;
  infer?: boolean;
  expiration_date?: TimeValue;
}
interface WireFeedback extends WireScope {
  query: string;
  useful: boolean;
  reference_date?: TimeValue;
}
interface ById {
  Params: { id: string };
}

/** Drops the keys whose value is undefined, so the facade sees only what the request sent. */
const defined = <T extends Record<string, unknown>>(value: T): T => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

const scopeOf = (wire: WireScope): EntityIds => defined({ userId: wire.user_id, agentId: wire.agent_id, runId: wire.run_id });

const searchOptions = (wire: WireSearch) =>
  defined({
    ...scopeOf(wire),
    topK: wire.top_k,
    limit: wire.limit,
    filters: wire.filters,
    threshold: wire.threshold,
    referenceDate: wire.reference_date,
    timeRange: wire.time_range,
    kinds: wire.kinds,
  });

// The same answer the facade gives for update and delete, so an unknown id and another user's id
// cannot be told apart on any route.
const notFound = (id: string) => failServer('NOT_FOUND', `no memory with id ${id}; it was never stored or was deleted.`, { details: { id } });

/** The REST routes over the facade; every one names its owner and passes it to the memory. */
export function registerMemoryRoutes(app: FastifyInstance, memory: Memory): void {
  const tags = ['memories'];

  app.post<{ Body: WireAdd }>(
    '/v1/memories',
    { schema: { operationId: 'add', summary: 'Remember a text or chat messages', tags, body: ADD_BODY, response: responses(201, { $ref: 'SearchResult#' }, 'The memories added.') } },
    async (request, reply) => {
      const { messages, metadata, timestamp, importance, kind, infer, expiration_date } = request.body;
      const result = await memory.add(messages, defined({ ...scopeOf(request.body), metadata, timestamp, importance, kind, infer, expirationDate: expiration_date }));
      return reply.code(201).send(result);
    },
  );

  app.post<{ Body: WireSearch }>(
    '/v1/memories/search',
    { schema: { operationId: 'search', summary: 'Find the memories relevant to a query', tags, body: SEARCH_BODY, response: responses(200, { $ref: 'SearchResult#' }, 'Ranked, scored results.') } },
    async (request) => memory.search(request.body.query, searchOptions(request.body)),
  );

  app.post<{ Body: WireContext }>(
    '/v1/memories/context',
    {
      schema: {
        operationId: 'context',
        summary: 'Relevant memories compressed to a token budget, for a system prompt',
        tags,
        body: CONTEXT_BODY,
        response: responses(200, { $ref: 'MemoryContext#' }, 'The context block and its sources.'),
      },
    },
    async (request) => memory.context(request.body.query, defined({ ...searchOptions(request.body), tokenBudget: request.body.token_budget, gate: request.body.gate })),
  );

  app.post<{ Body: WireScope }>(
    '/v1/memories/prefetch',
    {
      schema: {
        operationId: 'prefetch',
        summary: "Warm what the user's next search reads: call it when their session opens",
        tags,
        body: SCOPE_ONLY,
        response: responses(200, { type: 'object', required: ['prefetched'], properties: { prefetched: { type: 'integer' } } }, 'The memories read (0: the user has none).'),
      },
    },
    async (request) => memory.prefetch(scopeOf(request.body)),
  );

  app.get<{ Querystring: WireScope & { limit?: string; facts?: 'true' | 'false' } }>(
    '/v1/memories',
    { schema: { operationId: 'getAll', summary: "The owner's memories", tags, querystring: LIST_QUERY, response: responses(200, { $ref: 'SearchResult#' }, 'The memories.') } },
    async (request) =>
      memory.getAll(
        defined({
          ...scopeOf(request.query),
          limit: request.query.limit === undefined ? undefined : Number(request.query.limit),
          facts: request.query.facts === undefined ? undefined : request.query.facts === 'true',
        }),
      ),
  );

  app.delete<{ Querystring: WireScope }>(
    '/v1/memories',
    { schema: { operationId: 'deleteAll', summary: "Delete the owner's memories (kept in history)", tags, querystring: SCOPE_ONLY, response: responses(200, MESSAGE_RESPONSE, 'Deleted.') } },
    async (request) => memory.deleteAll(scopeOf(request.query)),
  );

  app.get<ById & { Querystring: WireScope }>(
    '/v1/memories/:id',
    { schema: { operationId: 'get', summary: 'One memory', tags, params: ID_PARAMS, querystring: SCOPE_ONLY, response: responses(200, { $ref: 'MemoryItem#' }, 'The memory.') } },
    async (request) => {
      const item = await memory.get(request.params.id, scopeOf(request.query));
      if (!item) throw notFound(request.params.id);
      return item;
    },
  );

  app.put<ById & { Body: WireScope & { text?: string; metadata?: Metadata } }>(
    '/v1/memories/:id',
    {
      schema: {
        operationId: 'update',
        summary: 'Change the text or metadata of a memory (the old version stays in history)',
        tags,
        params: ID_PARAMS,
        body: UPDATE_BODY,
        response: responses(200, MESSAGE_RESPONSE, 'Updated.'),
      },
    },
    async (request) => {
      const { text, metadata } = request.body;
      if (text === undefined && metadata === undefined) throw failServer('INVALID_INPUT', 'send text, metadata or both: { "text": "...", "user_id": "..." }.', { details: { field: 'text' } });
      return memory.update(request.params.id, defined({ text, metadata }), scopeOf(request.body));
    },
  );

  app.delete<ById & { Querystring: WireScope }>(
    '/v1/memories/:id',
    { schema: { operationId: 'delete', summary: 'Delete a memory (kept in history)', tags, params: ID_PARAMS, querystring: SCOPE_ONLY, response: responses(200, MESSAGE_RESPONSE, 'Deleted.') } },
    async (request) => memory.delete(request.params.id, scopeOf(request.query)),
  );

  app.get<ById & { Querystring: WireScope }>(
    '/v1/memories/:id/history',
    {
      schema: {
        operationId: 'history',
        summary: 'Every change of a memory, oldest first',
        tags,
        params: ID_PARAMS,
        querystring: SCOPE_ONLY,
        response: responses(200, { type: 'array', items: { $ref: 'HistoryItem#' } }, 'The history.'),
      },
    },
    async (request) => {
      const history = await memory.history(request.params.id, scopeOf(request.query));
      // Every stored memory has at least its ADD: an empty history is an id this owner cannot see.
      if (history.length === 0) throw notFound(request.params.id);
      return history;
    },
  );

  app.post<ById & { Body: WireFeedback }>(
    '/v1/memories/:id/feedback',
    {
      schema: {
        operationId: 'feedback',
        summary: "Teach the user's adaptation whether a memory helped for a query",
        tags,
        params: ID_PARAMS,
        body: FEEDBACK_BODY,
        response: responses(
          200,
          {
            type: 'object',
            required: ['message', 'interactions', 'adapted'],
            properties: { message: { type: 'string' }, interactions: { type: 'integer' }, adapted: { type: 'boolean', description: "whether the user's searches now use their adaptation" } },
          },
          'Learned.',
        ),
      },
    },
    async (request) => {
      const { query, useful, reference_date } = request.body;
      return memory.feedback(defined({ memoryId: request.params.id, query, useful, ...scopeOf(request.body), userId: request.body.user_id, referenceDate: reference_date }));
    },
  );
}

// JSON schemas of the REST routes: fastify validates requests and serializes responses with them,
// and @fastify/swagger turns them into the OpenAPI document. Request fields use Mem0's REST names
// (user_id, top_k); responses are the objects the `Memory` facade returns.

const text = (description: string) => ({ type: 'string', minLength: 1, description });
const time = (description: string) => ({ anyOf: [{ type: 'number' }, { type: 'string' }], description });
const openObject = (description: string) => ({ type: 'object', additionalProperties: true, description });

export const SCOPE_PROPERTIES = {
  user_id: text('The user whose memories the call reaches (required on every call).'),
  agent_id: text('Narrows the call to memories of this agent.'),
  run_id: text('Narrows the call to one run (conversation / session).'),
};

/** A request part (body or query) that names its owner: user_id required, agent_id and run_id optional. */
export const scoped = (properties: Record<string, unknown> = {}, required: string[] = []) => ({
  type: 'object',
  additionalProperties: false,
  required: ['user_id', ...required],
  properties: { ...SCOPE_PROPERTIES, ...properties },
});

export const ID_PARAMS = { type: 'object', required: ['id'], properties: { id: text('The memory id.') } };

const SEARCH_PROPERTIES = {
  query: text('What to look for, in words.'),
  top_k: { type: 'integer', minimum: 1, description: 'How many results (default 10).' },
  limit: { type: 'integer', minimum: 1, description: "Mem0's name for top_k." },
  filters: openObject('Equality filters on metadata keys: each value a string, number, boolean or null.'),
  threshold: { type: 'number', minimum: 0, maximum: 1, description: 'Drop results whose score (probability of being useful) is below this.' },
  reference_date: time('The "now" of the question (ISO-8601 or epoch ms); default the server\'s now.'),
  time_range: { type: 'object', additionalProperties: false, properties: { from: time('Start (inclusive).'), to: time('End.') }, description: 'Only memories that happened in this window.' },
  kinds: { type: 'array', items: { type: 'string', enum: ['episodic', 'semantic', 'summary'] } },
};

export const SEARCH_BODY = scoped(SEARCH_PROPERTIES, ['query']);

export const CONTEXT_BODY = scoped(
  {
    ...SEARCH_PROPERTIES,
    token_budget: { type: 'integer', minimum: 1, description: 'Most tokens the memory block may take (default 1000).' },
    gate: {
      anyOf: [
        { type: 'number', minimum: 0, maximum: 1 },
        { type: 'boolean', enum: [false] },
      ],
      description: "Inject memories only when the probability that they answer is at least this; false always injects. Default: the relevance model's gate.",
    },
  },
  ['query'],
);

export const ADD_BODY = scoped(
  {
    messages: {
      anyOf: [
        { type: 'string', minLength: 1 },
        { type: 'array', minItems: 1, items: { $ref: 'Message#' } },
      ],
      description: 'A text, or chat messages (one memory per message; system messages are skipped).',
    },
    metadata: openObject('Kept with every memory of this call.'),
    timestamp: time('When it happened (ISO-8601 or epoch ms); default now.'),
    importance: { type: 'number', minimum: 0, maximum: 1, description: 'Default: the learned importance model.' },
    kind: { type: 'string', enum: ['episodic', 'semantic', 'summary'] },
    infer: { type: 'boolean', description: 'Accepted for Mem0 compatibility; NeuroMem never calls an LLM on add.' },
    expiration_date: time('From then on reads leave the memory out, and the next sleep tombstones it.'),
  },
  ['messages'],
);

export const UPDATE_BODY = scoped({
  text: text('The new text (re-embedded).'),
  metadata: openObject("Merged over the memory's metadata (keys given replace its own); alone it keeps the text and vectors."),
});

export const FEEDBACK_BODY = scoped(
  {
    query: text('The query the memory was returned for.'),
    useful: { type: 'boolean', description: 'Whether it helped (for a chat: whether the answer used it).' },
    reference_date: time('"Now" for the query\'s relative dates.'),
  },
  ['query', 'useful'],
);

// Types are not coerced (a JSON null must not become 0, nor a number a string), so a number in the query is a string of digits.
export const LIST_QUERY = scoped({
  limit: { type: 'string', pattern: '^[1-9][0-9]{0,6}$', description: 'Most memories returned (a whole number).' },
  facts: { type: 'string', enum: ['true', 'false'], description: 'Also the consolidated facts sleeps wrote (metadata.consolidation holds their timeline).' },
});

/** A query string or body that names its owner and nothing else. */
export const SCOPE_ONLY = scoped();

const MEMORY_ITEM_REQUIRED = ['id', 'memory', 'hash', 'createdAt', 'eventTime', 'metadata'];
const MEMORY_ITEM_PROPERTIES = {
  id: { type: 'string' },
  memory: { type: 'string', description: 'The text.' },
  hash: { type: 'string' },
  createdAt: { type: 'string', format: 'date-time' },
  updatedAt: { type: 'string', nullable: true },
  eventTime: { type: 'string', description: 'When it happened.' },
  userId: { type: 'string' },
  agentId: { type: 'string' },
  runId: { type: 'string' },
  role: { type: 'string', nullable: true },
  metadata: openObject('The metadata it was added with.'),
  score: { type: 'number', description: 'Search results: the probability that the memory is useful for the query.' },
  scoreBreakdown: openObject('Search results: each factor, what it added to the logit, and the logit.'),
  event: { type: 'string', enum: ['ADD'] },
};

/** Component schemas the routes refer to by `$id`. */
export const SHARED_SCHEMAS = [
  {
    $id: 'ErrorBody',
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: {
          code: { type: 'string', description: 'A NeuroMemError code (INVALID_INPUT, NOT_FOUND, ...) or UNAUTHORIZED, FORBIDDEN, PAYLOAD_TOO_LARGE, RATE_LIMITED, INTERNAL.' },
          message: { type: 'string', description: 'What went wrong and what to do.' },
        },
      },
    },
  },
  {
    $id: 'Message',
    type: 'object',
    additionalProperties: false,
    required: ['role', 'content'],
    properties: {
      role: { type: 'string', description: 'user, assistant, system, or a speaker.' },
      content: { type: 'string', minLength: 1 },
      name: { type: 'string', description: "The speaker's name." },
      timestamp: time("When this message was said; overrides the call's timestamp."),
      metadata: openObject("Metadata for this message only, merged over the call's."),
    },
  },
  { $id: 'MemoryItem', type: 'object', required: MEMORY_ITEM_REQUIRED, properties: MEMORY_ITEM_PROPERTIES },
  {
    $id: 'SearchResult',
    type: 'object',
    required: ['results'],
    properties: {
      results: { type: 'array', items: { $ref: 'MemoryItem#' } },
      answerable: { type: 'number', description: 'Search: the probability that the stored memories can answer the query at all.' },
      candidates: { type: 'integer', description: 'Search: how many memories the ranker weighed for this query.' },
    },
  },
  {
    $id: 'MemoryContext',
    type: 'object',
    required: ['text', 'tokens', 'sources', 'dropped', 'fullTokens'],
    properties: {
      text: { type: 'string', description: 'One line per memory, for a system prompt; empty when nothing relevant was found.' },
      tokens: { type: 'integer' },
      sources: {
        type: 'array',
        items: {
          type: 'object',
          required: MEMORY_ITEM_REQUIRED,
          properties: {
            ...MEMORY_ITEM_PROPERTIES,
            spans: { type: 'array', description: 'Character ranges of memory kept in text.', items: { type: 'object', properties: { start: { type: 'integer' }, end: { type: 'integer' } } } },
          },
        },
      },
      dropped: { type: 'array', items: { type: 'string' } },
      fullTokens: { type: 'integer' },
      notice: { type: 'string' },
      answerable: { type: 'number' },
    },
  },
  {
    $id: 'HistoryItem',
    type: 'object',
    properties: {
      id: { type: 'string' },
      memory_id: { type: 'string' },
      previous_value: { type: 'string', nullable: true },
      new_value: { type: 'string', nullable: true },
      action: { type: 'string', enum: ['ADD', 'UPDATE', 'DELETE', 'PURGE'] },
      created_at: { type: 'string' },
      updated_at: { type: 'string', nullable: true },
      is_deleted: { type: 'integer', enum: [0, 1] },
    },
  },
];

/** The responses of a route: its success, and the error body for every failure. */
export const responses = (status: number, schema: unknown, description: string) => ({
  [status]: { description, ...(schema as object) },
  '4xx': { description: "The request's fault: bad input, no or wrong token, another user, unknown id, too large, too many.", $ref: 'ErrorBody#' },
  '5xx': { description: "The server's fault, or it is busy or shutting down (503 with Retry-After).", $ref: 'ErrorBody#' },
});

export const MESSAGE_RESPONSE = { type: 'object', required: ['message'], properties: { message: { type: 'string' } } };

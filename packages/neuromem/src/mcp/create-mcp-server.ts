import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { importOptionalPeer, validateId, type Metadata } from '@neuromem/core';
import type { Memory } from '../memory';
import { MCP_SERVER_PEERS } from '../server-peers';
import type { EntityIds, MemoryItem } from '../types';
import { EXPLAIN_DEPTH, explainMemory } from './explain-memory';
import { toolAnswer } from './tool-answer';

export interface CreateMcpServerOptions {
  /** The memory the tools read and write. The server never closes it: its owner does. */
  memory: Memory;
  /**
   * The one user every tool acts for. No tool takes a user id, so an agent cannot reach another
   * user's memories whatever it passes: their ids answer as unknown ones.
   */
  userId: string;
  /** Narrows every tool to the memories of this agent (and tags what `remember` stores). Default: all of the user's memories. */
  agentId?: string;
}

const toSearchItem = (item: MemoryItem) => ({ id: item.id, text: item.memory, score: item.score ?? 0, eventTime: item.eventTime, createdAt: item.createdAt, metadata: item.metadata });
const day = (iso: string) => iso.slice(0, 10);

/**
 * An MCP server whose tools (`remember`, `recall`, `search`, `forget`, `explain`) act on one
 * user's memories. Connect it to a transport: `await (await createMcpServer({ memory, userId })).connect(new StdioServerTransport())`.
 * A tool that fails answers with `isError` and the error's message; the server goes on.
 */
export async function createMcpServer(options: CreateMcpServerOptions): Promise<McpServer> {
  const { memory } = options;
  const scope: EntityIds = { userId: validateId(options.userId, 'mcp', 'userId'), ...(options.agentId !== undefined ? { agentId: validateId(options.agentId, 'mcp', 'agentId') } : {}) };
  // Loaded on first use: the SDK and zod are slow to import, and every `import 'neuromem'` (and
  // every CLI command) would otherwise pay for them without serving MCP.
  const [{ McpServer }, { z }] = await importOptionalPeer(() => Promise.all([import('@modelcontextprotocol/sdk/server/mcp.js'), import('zod')]), MCP_SERVER_PEERS);
  const server = new McpServer({ name: 'neuromem', version: '0.1.0' });
  const searchItem = z.object({
    id: z.string(),
    text: z.string(),
    score: z.number().describe('Probability (0..1) that the memory is useful for the query.'),
    eventTime: z.string().describe('When it happened (ISO-8601).'),
    createdAt: z.string().describe('When it was stored (ISO-8601).'),
    metadata: z.record(z.string(), z.unknown()),
  });
  const memoryId = z.string().min(1).describe('The id of one of the memories, as remember, recall and search return it.');
  const query = z.string().min(1).describe('The question or topic, in natural language, e.g. "where does the user live now?".');

  server.registerTool(
    'remember',
    {
      title: 'Remember',
      description:
        'Store one thing worth remembering about the user (a fact, preference, plan, event or decision) so later conversations can recall it. ' +
        'Write it as a self-contained statement with names, numbers and dates, e.g. "Sam is allergic to peanuts".',
      inputSchema: {
        text: z.string().min(1).describe('What to remember, as one self-contained statement.'),
        metadata: z.record(z.string(), z.unknown()).optional().describe('A JSON object kept with the memory, e.g. {"topic": "travel"}.'),
        timestamp: z.string().optional().describe('When it happened (ISO-8601, e.g. "2024-06-01T10:00:00Z"); default now.'),
      },
      outputSchema: { id: z.string(), text: z.string(), eventTime: z.string(), createdAt: z.string() },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    ({ text, metadata, timestamp }) =>
      toolAnswer(async () => {
        const { results } = await memory.add(text, { ...scope, ...(metadata !== undefined ? { metadata: metadata as Metadata } : {}), ...(timestamp !== undefined ? { timestamp } : {}) });
        const item = results[0]!;
        return { text: `Remembered ${item.id}: ${item.memory}`, structured: { id: item.id, text: item.memory, eventTime: item.eventTime, createdAt: item.createdAt } };
      }),
  );

  server.registerTool(
    'recall',
    {
      title: 'Recall',
      description:
        "Get what the user's memories say about a question, compressed to a token budget, ready to use in the answer: one line per memory with its date and speaker. " +
        'Empty, with a notice, when no stored memory is likely to answer. Call it before answering anything that may depend on earlier conversations.',
      inputSchema: {
        query,
        tokenBudget: z.number().int().positive().optional().describe('Most tokens the memory block may take (default 1000).'),
        gate: z
          .union([z.number().min(0).max(1), z.literal(false)])
          .optional()
          .describe(
            "Recall only when the probability that the memories answer is at least this (default: the relevance model's); false always recalls the best memories. Pass false when the user asks in other words than they told.",
          ),
      },
      outputSchema: {
        text: z.string().describe('The memory block: one line per memory, "- [date speaker] kept words".'),
        tokens: z.number(),
        sources: z.array(z.object({ id: z.string(), score: z.number(), eventTime: z.string() })).describe('The memories behind the block, in its order.'),
        dropped: z.array(z.string()).describe('Ids retrieved but left out: near-duplicates, or no room left.'),
        answerable: z.number().optional().describe('Probability that the memories can answer the query.'),
        notice: z.string().optional(),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ query, tokenBudget, gate }) =>
      toolAnswer(async () => {
        const context = await memory.context(query, { ...scope, ...(tokenBudget !== undefined ? { tokenBudget } : {}), ...(gate !== undefined ? { gate } : {}) });
        const sources = context.sources.map((source) => ({ id: source.id, score: source.score ?? 0, eventTime: source.eventTime }));
        const structured = {
          text: context.text,
          tokens: context.tokens,
          sources,
          dropped: context.dropped,
          ...(context.answerable !== undefined ? { answerable: context.answerable } : {}),
          ...(context.notice !== undefined ? { notice: context.notice } : {}),
        };
        if (context.text === '') return { text: `No memory recalled: ${context.notice ?? 'nothing stored matches this query.'}`, structured };
        const notice = context.notice ? `\n(${context.notice})` : '';
        return { text: `${context.text}\n\n(memory ids, in order: ${sources.map((source) => source.id).join(', ')})${notice}`, structured };
      }),
  );

  server.registerTool(
    'search',
    {
      title: 'Search memories',
      description:
        "Find the user's memories about a query, best first, each with its id, full text, dates and score (probability it is useful). Use it to find a memory's id, or to read memories in full.",
      inputSchema: {
        query,
        limit: z.number().int().min(1).max(EXPLAIN_DEPTH).optional().describe('How many memories at most (default 5).'),
      },
      outputSchema: { results: z.array(searchItem), answerable: z.number().optional().describe('Probability that the memories can answer the query.') },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ query, limit }) =>
      toolAnswer(async () => {
        const { results, answerable } = await memory.search(query, { ...scope, topK: limit ?? 5 });
        const items = results.map(toSearchItem);
        const lines = items.map((item, i) => `${i + 1}. ${item.id} (score ${item.score}, ${day(item.eventTime)}): ${item.text}`);
        return {
          text: items.length === 0 ? `No memories found for "${query}".` : `${items.length} ${items.length === 1 ? 'memory' : 'memories'} for "${query}":\n${lines.join('\n')}`,
          structured: { results: items, ...(answerable !== undefined ? { answerable } : {}) },
        };
      }),
  );

  server.registerTool(
    'forget',
    {
      title: 'Forget',
      description:
        "Delete one of the user's memories by id (from search or recall), e.g. when the user asks to forget something or a fact is wrong. It never comes back from recall or search; its history records the deletion.",
      inputSchema: { memory_id: memoryId },
      outputSchema: { id: z.string(), deleted: z.boolean() },
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    ({ memory_id }) =>
      toolAnswer(async () => {
        await memory.delete(memory_id, scope);
        return { text: `Forgot ${memory_id}.`, structured: { id: memory_id, deleted: true } };
      }),
  );

  server.registerTool(
    'explain',
    {
      title: 'Explain a ranking',
      description:
        'Say why a memory ranks where it does for a query: its position, its score, and the factors (shared words, meaning, time, links, recency, importance...) that moved it most, compared with the first result.',
      inputSchema: { query, memory_id: memoryId },
      outputSchema: {
        id: z.string(),
        query: z.string(),
        rank: z.number().nullable().describe(`Position among the results (1 = first); null when not among the first ${EXPLAIN_DEPTH}.`),
        results: z.number().describe('How many results the query returned.'),
        score: z.number().optional(),
        answerable: z.number().optional(),
        why: z.string().optional(),
        factors: z.record(z.string(), z.number()).optional(),
        contributions: z.record(z.string(), z.number()).optional(),
        logit: z.number().optional(),
        first: z.object({ id: z.string(), score: z.number(), why: z.string() }).optional(),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ query, memory_id }) =>
      toolAnswer(async () => {
        const { explanation, text } = await explainMemory(memory, scope, query, memory_id);
        return { text, structured: { ...explanation } };
      }),
  );

  return server;
}

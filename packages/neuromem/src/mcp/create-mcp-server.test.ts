import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { createManualClock } from '@neuromem/core';
import { createMemory, type Memory } from '../create-memory';
import { createMcpServer } from './create-mcp-server';

const JUNE_1 = Date.UTC(2024, 5, 1);
const DAY = 86_400_000;

interface ToolResult {
  content: Array<{ type: string; text: string }>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

/** A client of the SDK talking to a server for `userId`, in this process. */
async function connect(memory: Memory, userId: string, agentId?: string) {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const server = await createMcpServer({ memory, userId, ...(agentId ? { agentId } : {}) });
  await server.connect(serverSide);
  const client = new Client({ name: 'neuromem-test', version: '1.0.0' });
  await client.connect(clientSide);
  const call = async (name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as ToolResult;
  return { client, call, close: () => client.close() };
}

const textOf = (result: ToolResult) => result.content.map((part) => part.text).join('\n');

describe('createMcpServer', () => {
  let memory: Memory;
  let ana: Awaited<ReturnType<typeof connect>>;
  let flightId: string;
  let sisterId: string;
  let benId: string;

  beforeEach(async () => {
    memory = await createMemory({ clock: createManualClock(JUNE_1 + 10 * DAY, { tick: 1 }), requireScope: true });
    const added = await memory.add(
      [
        { role: 'user', content: 'I booked the flight to Lisbon for 14 June, it cost $420.' },
        { role: 'user', content: 'My sister Ana lives in Porto, so I will take the train there on 18 June.' },
      ],
      { userId: 'ana', timestamp: JUNE_1 },
    );
    [flightId, sisterId] = added.results.map((item) => item.id) as [string, string];
    [benId] = (await memory.add('My locker code at the Lisbon gym is 9021.', { userId: 'ben', timestamp: JUNE_1 })).results.map((item) => item.id) as [string];
    ana = await connect(memory, 'ana');
  });
  afterEach(async () => {
    await ana.close();
    await memory.close();
  });

  it('should list the five tools with described input schemas, output schemas and hints', async () => {
    const { tools } = await ana.client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(['remember', 'recall', 'search', 'forget', 'explain']);
    const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]));
    expect(byName.remember!.inputSchema.required).toEqual(['text']);
    expect(byName.recall!.inputSchema.required).toEqual(['query']);
    expect(byName.search!.inputSchema.required).toEqual(['query']);
    expect(byName.forget!.inputSchema.required).toEqual(['memory_id']);
    expect(byName.explain!.inputSchema.required).toEqual(['query', 'memory_id']);
    for (const tool of tools) {
      expect(tool.description).toBeTruthy();
      expect(tool.outputSchema?.type).toBe('object');
      for (const property of Object.values(tool.inputSchema.properties ?? {})) expect((property as { description?: string }).description).toBeTruthy();
      // No tool lets the caller choose whose memories it reaches.
      expect(Object.keys(tool.inputSchema.properties ?? {})).not.toEqual(expect.arrayContaining(['userId']));
    }
    expect(byName.search!.inputSchema.properties!.limit).toMatchObject({ type: 'integer', minimum: 1, maximum: 50 });
    expect(byName.forget!.annotations).toMatchObject({ destructiveHint: true, readOnlyHint: false });
    expect(byName.recall!.annotations).toMatchObject({ readOnlyHint: true });
  });

  it('should remember a text for the served user, with its metadata and time', async () => {
    const result = await ana.call('remember', { text: 'I am allergic to peanuts.', metadata: { topic: 'health' }, timestamp: '2024-06-05T09:00:00Z' });
    expect(result.isError).toBeUndefined();
    const { id } = result.structuredContent as { id: string };
    expect(result.structuredContent).toMatchObject({ text: 'I am allergic to peanuts.', eventTime: '2024-06-05T09:00:00.000Z' });
    expect(textOf(result)).toBe(`Remembered ${id}: I am allergic to peanuts.`);
    expect(await memory.get(id, { userId: 'ana' })).toMatchObject({ memory: 'I am allergic to peanuts.', userId: 'ana', metadata: { topic: 'health' } });
    expect(await memory.get(id, { userId: 'ben' })).toBeNull();
  });

  it('should answer bad input to remember as tool errors and go on serving', async () => {
    const empty = await ana.call('remember', { text: '' });
    expect(empty.isError).toBe(true);
    expect(textOf(empty)).toMatch(/text/);
    const badTime = await ana.call('remember', { text: 'I moved to Porto.', timestamp: 'next blue moon' });
    expect(badTime).toMatchObject({ isError: true });
    expect(textOf(badTime)).toMatch(/^\[neuromem\] .*timestamp/);
    const badMetadata = await ana.call('remember', { text: 'I moved to Porto.', metadata: 'health' });
    expect(badMetadata.isError).toBe(true);
    expect((await memory.getAll({ userId: 'ana' })).results).toHaveLength(2);
    expect((await ana.call('search', { query: 'Lisbon flight' })).isError).toBeUndefined();
  });

  it('should recall a compressed block with the memories behind it', async () => {
    const result = await ana.call('recall', { query: 'When is my flight to Lisbon and what did it cost?', tokenBudget: 60 });
    expect(result.isError).toBeUndefined();
    const context = result.structuredContent as { text: string; tokens: number; sources: Array<{ id: string; score: number }> };
    expect(context.text).toMatch(/^- \[2024-06-01 user\] .*Lisbon/);
    expect(context.text).toContain('$420');
    expect(context.tokens).toBeLessThanOrEqual(60);
    expect(context.sources[0]).toMatchObject({ id: flightId, score: expect.any(Number) });
    expect(textOf(result)).toContain(context.text);
    expect(textOf(result)).toContain(`memory ids, in order: ${context.sources.map((source) => source.id).join(', ')}`);
  });

  it('should recall nothing, and say why, when no memory is likely to answer', async () => {
    const unanswerable = await ana.call('recall', { query: 'What is my favourite colour?' });
    expect(unanswerable.isError).toBeUndefined();
    expect(unanswerable.structuredContent).toMatchObject({ text: '', tokens: 0, sources: [], answerable: expect.any(Number), notice: expect.stringContaining('nothing was injected') });
    expect(textOf(unanswerable)).toBe(`No memory recalled: ${(unanswerable.structuredContent as { notice: string }).notice}`);
    // With the gate off the best memories come back all the same; a gate outside [0, 1] is refused.
    const ungated = await ana.call('recall', { query: 'What is my favourite colour?', gate: false });
    expect((ungated.structuredContent as { sources: unknown[] }).sources.length).toBeGreaterThan(0);
    expect((await ana.call('recall', { query: 'What is my favourite colour?', gate: 1.5 })).isError).toBe(true);
    const cleo = await connect(memory, 'cleo');
    const nothingStored = await cleo.call('recall', { query: 'When is my flight to Lisbon?' });
    expect(nothingStored.structuredContent).toMatchObject({ text: '', tokens: 0, sources: [] });
    expect(textOf(nothingStored)).toBe('No memory recalled: nothing stored matches this query.');
    await cleo.close();
  });

  it('should refuse a token budget that is not a positive integer', async () => {
    for (const tokenBudget of [0, -5, 2.5, 'many']) {
      const result = await ana.call('recall', { query: 'Lisbon', tokenBudget });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/tokenBudget/);
    }
  });

  it('should search with ids, texts, scores and dates, at most limit', async () => {
    const result = await ana.call('search', { query: 'train to Porto to see my sister', limit: 1 });
    const { results } = result.structuredContent as { results: Array<Record<string, unknown>> };
    expect(results).toEqual([{ id: sisterId, text: expect.stringContaining('Porto'), score: expect.any(Number), eventTime: '2024-06-01T00:00:00.000Z', createdAt: expect.any(String), metadata: {} }]);
    expect(textOf(result)).toMatch(new RegExp(`^1 memory for "train to Porto to see my sister":\\n1\\. ${sisterId} \\(score [0-9.]+, 2024-06-01\\): My sister Ana`));
    expect(((await ana.call('search', { query: 'Lisbon' })).structuredContent as { results: unknown[] }).results.length).toBeGreaterThan(0);
  });

  it('should refuse a bad search limit or an empty query', async () => {
    for (const args of [{ query: 'Lisbon', limit: 0 }, { query: 'Lisbon', limit: 51 }, { query: 'Lisbon', limit: 'five' }, { query: '' }, {}]) {
      expect(await ana.call('search', args)).toMatchObject({ isError: true });
    }
  });

  it('should forget a memory, which then never comes back', async () => {
    const result = await ana.call('forget', { memory_id: flightId });
    expect(result).toMatchObject({ structuredContent: { id: flightId, deleted: true } });
    expect(textOf(result)).toBe(`Forgot ${flightId}.`);
    const search = (await ana.call('search', { query: 'flight to Lisbon' })).structuredContent as { results: Array<{ id: string }> };
    expect(search.results.map((item) => item.id)).not.toContain(flightId);
    const again = await ana.call('forget', { memory_id: flightId });
    expect(again.isError).toBe(true);
    expect(textOf(again)).toMatch(/^\[neuromem\].*no current memory with id/);
    expect((await ana.call('forget', {})).isError).toBe(true);
  });

  it('should explain why a memory ranks where it does, against the first result', async () => {
    const first = await ana.call('explain', { query: 'flight to Lisbon', memory_id: flightId });
    expect(first.structuredContent).toMatchObject({ id: flightId, rank: 1, score: expect.any(Number), why: expect.stringMatching(/\(\+|\(−/), logit: expect.any(Number) });
    expect(first.structuredContent!.first).toBeUndefined();
    expect(textOf(first)).toMatch(new RegExp(`^Memory ${flightId} \\("I booked the flight.*"\\) ranks 1 of \\d+ for "flight to Lisbon", with score`));
    const second = await ana.call('explain', { query: 'flight to Lisbon', memory_id: sisterId });
    const explanation = second.structuredContent as { rank: number; first: { id: string }; factors: Record<string, number>; contributions: Record<string, number> };
    expect(explanation.rank).toBe(2);
    expect(explanation.first.id).toBe(flightId);
    expect(Object.keys(explanation.factors)).toEqual(expect.arrayContaining(['turnSimilarity', 'lexical', 'recency']));
    expect(Object.keys(explanation.contributions)).toEqual(Object.keys(explanation.factors));
    expect(textOf(second)).toContain(`The first result, ${flightId}`);
  });

  it('should say when a memory is not among the first results at all', async () => {
    const flights = Array.from({ length: 55 }, (_, i) => ({ role: 'user', content: `Flight ${i + 1} to Lisbon left from gate ${i + 1}.` }));
    await memory.add(flights, { userId: 'ana', timestamp: JUNE_1 });
    const { id } = (await ana.call('remember', { text: 'My favourite colour is green.' })).structuredContent as { id: string };
    const result = await ana.call('explain', { query: 'flight to Lisbon', memory_id: id });
    expect(result.structuredContent).toMatchObject({ id, rank: null, results: 50, first: { id: expect.any(String) } });
    expect(result.structuredContent!.score).toBeUndefined();
    expect(textOf(result)).toMatch(/^Memory \S+ \("My favourite colour is green\."\) is not among the first 50 results for "flight to Lisbon"/);
  });

  it('should explain without counting the memories it looked at as used', async () => {
    const before = (await memory.store.get(flightId))!.accessCount;
    await ana.call('explain', { query: 'flight to Lisbon', memory_id: flightId });
    expect((await memory.store.get(flightId))!.accessCount).toBe(before);
    await ana.call('search', { query: 'flight to Lisbon' });
    expect((await memory.store.get(flightId))!.accessCount).toBe(before + 1);
  });

  it('should refuse to explain an unknown id', async () => {
    const result = await ana.call('explain', { query: 'flight to Lisbon', memory_id: 'no-such-id' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe("[neuromem] [mcp] no memory with id no-such-id; it was never stored or was deleted. Use search to find the ids of this user's memories.");
  });

  it("should never list, recall, explain or forget another user's memory", async () => {
    const query = 'What did the Lisbon flight cost, and what is the locker code at the Lisbon gym?';
    // A user id among the arguments is not a parameter of any tool: it changes nothing.
    const search = await ana.call('search', { query, limit: 50, userId: 'ben' });
    expect((search.structuredContent as { results: unknown[] }).results).toHaveLength(2);
    const recall = await ana.call('recall', { query, userId: 'ben' });
    expect((recall.structuredContent as { sources: Array<{ id: string }> }).sources.map((source) => source.id)).toContain(flightId);
    for (const result of [search, recall]) {
      expect(JSON.stringify(result)).not.toContain('9021');
      expect(JSON.stringify(result)).not.toContain(benId);
    }
    // Ben's id is answered exactly as an id that was never stored, so it cannot even be probed.
    for (const tool of ['explain', 'forget']) {
      const foreign = await ana.call(tool, { query, memory_id: benId });
      const unknown = await ana.call(tool, { query, memory_id: 'no-such-id' });
      expect(foreign.isError).toBe(true);
      expect(textOf(foreign).split(benId).join('<id>')).toBe(textOf(unknown).split('no-such-id').join('<id>'));
    }
    expect(await memory.get(benId, { userId: 'ben' })).toMatchObject({ memory: 'My locker code at the Lisbon gym is 9021.' });
    const ben = await connect(memory, 'ben');
    expect(((await ben.call('search', { query })).structuredContent as { results: Array<{ id: string }> }).results.map((item) => item.id)).toEqual([benId]);
    await ben.close();
  });

  it("should keep an agent's server to that agent's memories of the user", async () => {
    const coach = await connect(memory, 'ana', 'coach');
    const { id } = (await coach.call('remember', { text: 'I run 10 km every Sunday morning.' })).structuredContent as { id: string };
    expect(await memory.get(id, { userId: 'ana', agentId: 'coach' })).not.toBeNull();
    const search = (await coach.call('search', { query: 'Lisbon flight and Sunday runs', limit: 10 })).structuredContent as { results: Array<{ id: string }> };
    expect(search.results.map((item) => item.id)).toEqual([id]);
    expect((await coach.call('forget', { memory_id: flightId })).isError).toBe(true);
    await coach.close();
  });

  it('should refuse to start without a valid user id', async () => {
    await expect(createMcpServer({ memory, userId: '' })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('userId') });
    await expect(createMcpServer({ memory, userId: 'ana', agentId: ' ' })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('agentId') });
  });

  it('should answer with a tool error, not a crash, once the memory is closed', async () => {
    await memory.close();
    const result = await ana.call('search', { query: 'Lisbon' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^\[neuromem\].*clos/);
    expect((await ana.client.listTools()).tools).toHaveLength(5);
  });
});

import { generateText, jsonSchema, simulateReadableStream, stepCountIs, streamText, tool, wrapLanguageModel } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { createMemory, type Memory } from 'neuromem';
import type { LanguageModelStreamPart } from './language-model-prompt';
import { neuromemMiddleware, type NeuroMemMiddlewareOptions } from './neuromem-middleware';

const usage = { inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined }, outputTokens: { total: 5, text: 5, reasoning: undefined } };
const stop = { unified: 'stop' as const, raw: undefined };
const answer = (text: string) => ({ content: [{ type: 'text' as const, text }], finishReason: stop, usage, warnings: [] });
const textChunks = (...deltas: string[]): LanguageModelStreamPart[] => [
  { type: 'text-start', id: 't1' },
  ...deltas.map((delta) => ({ type: 'text-delta' as const, id: 't1', delta })),
  { type: 'text-end', id: 't1' },
  { type: 'finish', finishReason: stop, usage },
];

const QUESTION = 'Where does my sister live?';

/** What the model was sent as system messages, in order. */
const systemMessages = (llm: MockLanguageModelV3, call = 0) =>
  (llm.doGenerateCalls[call] ?? llm.doStreamCalls[call])!.prompt.flatMap((message) => (message.role === 'system' ? [message.content] : []));
const stored = async (memory: Memory, scope: { userId: string; runId?: string }) => (await memory.getAll(scope)).results.map(({ role, memory: text }) => ({ role, text }));

describe('neuromemMiddleware', () => {
  let memory: Memory;
  let warn: jest.SpyInstance;
  beforeEach(async () => {
    memory = await createMemory();
    await memory.add('My sister Ana lives in Porto.', { userId: 'alice', runId: 'last-week' });
    await memory.add('My brother Tom lives in Oslo.', { userId: 'bob' });
    warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(async () => {
    warn.mockRestore();
    await memory.close();
  });

  const wrap = (llm: MockLanguageModelV3, options: Partial<NeuroMemMiddlewareOptions> = {}) =>
    wrapLanguageModel({ model: llm, middleware: neuromemMiddleware({ memory, userId: 'alice', ...options }) });

  it("should put the user's relevant memories into the prompt after the app's own system prompt, and store the exchange", async () => {
    const llm = new MockLanguageModelV3({ doGenerate: answer('Ana lives in Porto.') });
    const { text } = await generateText({ model: wrap(llm), system: 'Be brief.', prompt: QUESTION });

    expect(text).toBe('Ana lives in Porto.');
    const [own, block] = systemMessages(llm);
    expect(own).toBe('Be brief.');
    expect(block).toMatch(/^What you remember from earlier conversations/);
    expect(block).toContain('My sister Ana lives in Porto.');
    expect(block).not.toContain('Oslo');
    expect(llm.doGenerateCalls[0]!.prompt.at(-1)).toEqual({ role: 'user', content: [{ type: 'text', text: QUESTION }] });
    expect(await stored(memory, { userId: 'alice' })).toEqual([
      { role: 'user', text: 'My sister Ana lives in Porto.' },
      { role: 'user', text: QUESTION },
      { role: 'assistant', text: 'Ana lives in Porto.' },
    ]);
    expect(await stored(memory, { userId: 'bob' })).toHaveLength(1);
  });

  it('should add no system message when no memory is relevant, and still store the exchange', async () => {
    const llm = new MockLanguageModelV3({ doGenerate: answer('Hello!') });
    await generateText({ model: wrap(llm, { userId: 'carol' }), prompt: 'Hi, I am Carol and I play the cello.' });

    expect(systemMessages(llm)).toEqual([]);
    expect(await stored(memory, { userId: 'carol' })).toEqual([
      { role: 'user', text: 'Hi, I am Carol and I play the cello.' },
      { role: 'assistant', text: 'Hello!' },
    ]);
  });

  it('should read from all of the user’s conversations but store the exchange in its own runId', async () => {
    const llm = new MockLanguageModelV3({ doGenerate: answer('In Porto.') });
    await generateText({ model: wrap(llm, { runId: 'today' }), prompt: QUESTION });

    expect(systemMessages(llm)[0]).toContain('Ana lives in Porto');
    expect(await stored(memory, { userId: 'alice', runId: 'today' })).toEqual([
      { role: 'user', text: QUESTION },
      { role: 'assistant', text: 'In Porto.' },
    ]);
  });

  it('should take the ids from a function of the call, and leave a call alone when it gives no user', async () => {
    const model = wrap(new MockLanguageModelV3({ doGenerate: answer('Noted.') }), {
      userId: ({ providerOptions }) => providerOptions?.app?.userId as string | undefined,
    });
    await generateText({ model, prompt: 'I am allergic to peanuts.', providerOptions: { app: { userId: 'dana' } } });
    expect(await stored(memory, { userId: 'dana' })).toEqual([
      { role: 'user', text: 'I am allergic to peanuts.' },
      { role: 'assistant', text: 'Noted.' },
    ]);

    const anonymous = new MockLanguageModelV3({ doGenerate: answer('Hi.') });
    await generateText({ model: wrapLanguageModel({ model: anonymous, middleware: neuromemMiddleware({ memory, userId: () => undefined }) }), prompt: QUESTION });
    expect(systemMessages(anonymous)).toEqual([]);
    expect((await memory.getAll({ userId: 'alice' })).results).toHaveLength(1);
  });

  it('should only read when remember is false', async () => {
    const llm = new MockLanguageModelV3({ doGenerate: answer('Porto.') });
    await generateText({ model: wrap(llm, { remember: false }), prompt: QUESTION });
    expect(systemMessages(llm)[0]).toContain('Porto');
    expect(await stored(memory, { userId: 'alice' })).toHaveLength(1);
  });

  it('should stream every chunk as it comes and store the whole answer once the stream has finished', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const [start, first, ...rest] = textChunks('Ana lives ', 'in Porto.');
    const llm = new MockLanguageModelV3({
      doStream: async () => ({
        stream: new ReadableStream<LanguageModelStreamPart>({
          async start(controller) {
            controller.enqueue(start!);
            controller.enqueue(first!);
            await held;
            for (const part of rest) controller.enqueue(part);
            controller.close();
          },
        }),
      }),
    });
    const result = streamText({ model: wrap(llm, { runId: 'today' }), prompt: QUESTION });
    const reader = result.textStream[Symbol.asyncIterator]();

    expect((await reader.next()).value).toBe('Ana lives ');
    expect(await stored(memory, { userId: 'alice', runId: 'today' })).toEqual([]);
    release();
    const restOfText: string[] = [];
    for (let next = await reader.next(); !next.done; next = await reader.next()) restOfText.push(next.value);
    expect(restOfText).toEqual(['in Porto.']);

    expect(systemMessages(llm)[0]).toContain('My sister Ana lives in Porto.');
    expect(await stored(memory, { userId: 'alice', runId: 'today' })).toEqual([
      { role: 'user', text: QUESTION },
      { role: 'assistant', text: 'Ana lives in Porto.' },
    ]);
  });

  it('should store nothing for a stream that fails', async () => {
    const llm = new MockLanguageModelV3({
      doStream: async () => ({ stream: simulateReadableStream({ chunks: [...textChunks('Ana').slice(0, 2), { type: 'error' as const, error: new Error('overloaded') }] }) }),
    });
    const result = streamText({ model: wrap(llm, { runId: 'today' }), prompt: QUESTION, onError: () => undefined });
    await result.consumeStream();
    expect(await stored(memory, { userId: 'alice', runId: 'today' })).toEqual([]);
  });

  it('should store a tool-using turn once, with the answer that follows the tool results', async () => {
    const toolCall = { type: 'tool-call' as const, toolCallId: 'c1', toolName: 'weather', input: '{"city":"Porto"}' };
    const llm = new MockLanguageModelV3({
      doGenerate: [{ content: [toolCall], finishReason: { unified: 'tool-calls' as const, raw: undefined }, usage, warnings: [] }, answer('Sunny in Porto, where Ana lives.')],
    });
    const weather = tool({ inputSchema: jsonSchema<{ city: string }>({ type: 'object', properties: { city: { type: 'string' } } }), execute: async () => 'sunny' });
    const { text } = await generateText({ model: wrap(llm, { runId: 'today' }), prompt: 'What is the weather where my sister lives?', tools: { weather }, stopWhen: stepCountIs(2) });

    expect(text).toBe('Sunny in Porto, where Ana lives.');
    expect(llm.doGenerateCalls).toHaveLength(2);
    expect(systemMessages(llm, 1)[0]).toContain('Ana lives in Porto');
    expect(await stored(memory, { userId: 'alice', runId: 'today' })).toEqual([
      { role: 'user', text: 'What is the weather where my sister lives?' },
      { role: 'assistant', text: 'Sunny in Porto, where Ana lives.' },
    ]);
  });

  describe('when the memory fails', () => {
    const closedMemory = async () => {
      const closed = await createMemory();
      await closed.close();
      return closed;
    };

    it('should call the model without memory, return its answer and tell onError which step failed', async () => {
      const closed = await closedMemory();
      const failures: Array<{ phase: string; code: unknown }> = [];
      const llm = new MockLanguageModelV3({ doGenerate: answer('I do not know.') });
      const model = wrap(llm, { memory: closed, onError: (error, { phase }) => failures.push({ phase, code: (error as { code?: unknown }).code }) });

      const { text } = await generateText({ model, prompt: QUESTION });
      expect(text).toBe('I do not know.');
      expect(systemMessages(llm)).toEqual([]);
      expect(failures).toEqual([
        { phase: 'context', code: 'CLOSED' },
        { phase: 'add', code: 'CLOSED' },
      ]);

      const streamed = new MockLanguageModelV3({ doStream: async () => ({ stream: simulateReadableStream({ chunks: textChunks('I do not ', 'know.') }) }) });
      expect(await streamText({ model: wrap(streamed, { memory: closed, onError: () => undefined }), prompt: QUESTION }).text).toBe('I do not know.');
    });

    it('should warn on the console by default', async () => {
      const small = await createMemory({ maxTextChars: 40 });
      try {
        const llm = new MockLanguageModelV3({ doGenerate: answer('A much longer answer than this small memory accepts.') });
        const model = wrapLanguageModel({ model: llm, middleware: neuromemMiddleware({ memory: small, userId: 'alice' }) });
        expect((await generateText({ model, prompt: 'Tell me a story.' })).text).toMatch(/^A much longer/);
        expect(warn).toHaveBeenCalledTimes(1);
        expect(warn.mock.calls[0]![0]).toMatch(/^\[neuromem\] \[ai-sdk\] could not store the exchange; the answer was returned anyway/);
        expect(warn.mock.calls[0]![1]).toMatchObject({ code: 'INVALID_INPUT' });
      } finally {
        await small.close();
      }
    });

    it('should fail the call when onError throws', async () => {
      const llm = new MockLanguageModelV3({ doGenerate: answer('unused') });
      const model = wrap(llm, {
        memory: await closedMemory(),
        onError: (error) => {
          throw error;
        },
      });
      await expect(generateText({ model, prompt: QUESTION })).rejects.toMatchObject({ code: 'CLOSED' });
      expect(llm.doGenerateCalls).toHaveLength(0);
    });
  });

  it('should refuse options that cannot work, when the middleware is made', () => {
    const bad: Array<[Partial<NeuroMemMiddlewareOptions>, string]> = [
      [{ memory: {} as Memory }, 'memory'],
      [{ userId: '' }, 'userId'],
      [{ userId: undefined }, 'userId'],
      [{ runId: 42 as unknown as string }, 'runId'],
      [{ tokenBudget: 0 }, 'tokenBudget'],
      [{ tokenBudget: 2.5 }, 'tokenBudget'],
      [{ gate: 1.5 }, 'gate'],
    ];
    for (const [options, field] of bad) {
      expect(() => neuromemMiddleware({ memory, userId: 'alice', ...options })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', details: { field } }));
    }
  });

  it('should fail the call, before the model runs, when the userId function gives something that is not an id', async () => {
    const llm = new MockLanguageModelV3({ doGenerate: answer('unused') });
    const model = wrap(llm, { userId: () => '' });
    await expect(generateText({ model, prompt: QUESTION })).rejects.toThrow(/^\[neuromem\] \[ai-sdk\] neuromemMiddleware's userId gave ""/);
    expect(llm.doGenerateCalls).toHaveLength(0);
  });
});

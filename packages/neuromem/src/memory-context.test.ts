import { createManualClock } from '@neuromem/core';
import { createMemory, type Memory } from './create-memory';
import { withMemoryContext } from './with-memory-context';

const MAY_8 = Date.UTC(2023, 4, 8, 13, 56);
const DAY = 86_400_000;

const CONVERSATION = [
  { role: 'user', content: 'Hey! Oh wow, so yeah, I finally booked the flight to Lisbon for 14 June, it cost $420.' },
  { role: 'assistant', content: 'That is great news, enjoy the trip!' },
  { role: 'user', content: 'My sister Ana lives in Porto, so I will take the train there on 18 June.' },
  { role: 'user', content: 'Haha thanks so much, have a great day, talk soon!' },
  { role: 'user', content: 'I decided to sell my old bike and buy a second-hand Brompton for 900 euros.' },
];

describe('memory.context', () => {
  let memory: Memory;
  beforeEach(async () => {
    memory = await createMemory({ clock: createManualClock(MAY_8 + 30 * DAY, { tick: 1 }) });
    await memory.add(CONVERSATION, { userId: 'sam', runId: 's1', timestamp: MAY_8 });
    await memory.add('I live in Oslo and my flight is on 2 July.', { userId: 'other', timestamp: MAY_8 });
  });
  afterEach(() => memory.close());

  it('should fit the retrieved memories into the budget with their date and speaker', async () => {
    const context = await memory.context('When is my flight to Lisbon and what did it cost?', { userId: 'sam', tokenBudget: 40 });
    expect(context.tokens).toBeLessThanOrEqual(40);
    expect(context.text).toContain('Lisbon');
    expect(context.text).toContain('$420');
    expect(context.text.split('\n')[0]).toMatch(/^- \[2023-05-08 user\] /);
    expect(context.fullTokens).toBeGreaterThan(context.tokens);
    expect(context.text).not.toContain('Oslo');
  });

  it('should point every source at the characters of the full memory that made it in', async () => {
    const context = await memory.context('flight to Lisbon', { userId: 'sam', tokenBudget: 30 });
    expect(context.sources.length).toBeGreaterThan(0);
    for (const source of context.sources) {
      expect(source.score).toBeGreaterThan(0);
      expect(source.scoreBreakdown?.factors).toBeDefined();
      for (const span of source.spans) expect(context.text).toContain(source.memory.slice(span.start, span.end));
    }
    const ids = new Set([...context.sources.map((s) => s.id), ...context.dropped]);
    expect(ids.size).toBe(context.sources.length + context.dropped.length);
  });

  it('should return everything when the budget is large, and an empty context when nothing is stored', async () => {
    const all = await memory.context('trip plans', { userId: 'sam', tokenBudget: 5000 });
    expect(all.tokens).toBe(all.fullTokens);
    const none = await memory.context('trip plans', { userId: 'nobody' });
    expect(none).toEqual({ text: '', tokens: 0, sources: [], dropped: [], fullTokens: 0 });
  });

  it('should return the best fragment and say so when the budget is below the smallest memory', async () => {
    const context = await memory.context('How much was the Brompton?', { userId: 'sam', tokenBudget: 8 });
    expect(context.tokens).toBeGreaterThan(0);
    expect(context.tokens).toBeLessThanOrEqual(8);
    expect(context.notice).toMatch(/below the smallest memory/);
  });

  it('should refuse a budget of 0, negative, fractional or NaN before searching', async () => {
    for (const tokenBudget of [0, -1, 2.5, Number.NaN]) {
      await expect(memory.context('flight', { userId: 'sam', tokenBudget })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
    await expect(memory.context('', { userId: 'sam' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(memory.context('flight', {} as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const records = await memory.store.list({ scope: { userId: 'sam' } });
    expect(records.every((record) => record.accessCount === 0)).toBe(true);
  });
});

describe('withMemoryContext', () => {
  const context = { text: '- [2023-05-08 user] booked the flight to Lisbon for 14 June' };

  it('should add the memory block to the existing system message without changing the input', () => {
    const messages = [
      { role: 'system' as const, content: 'You are a travel assistant.' },
      { role: 'user' as const, content: 'When do I fly?' },
    ];
    const withMemory = withMemoryContext(messages, context);
    expect(withMemory).toHaveLength(2);
    expect(withMemory[0]!.content).toMatch(/^You are a travel assistant\.\n\n.+\n- \[2023-05-08 user\] booked the flight/s);
    expect(messages[0]!.content).toBe('You are a travel assistant.');
  });

  it('should put a system message first when there is none, and change nothing for an empty context', () => {
    const messages = [{ role: 'user' as const, content: 'When do I fly?' }];
    const withMemory = withMemoryContext(messages, context, { heading: 'Memories:' });
    expect(withMemory[0]).toEqual({ role: 'system', content: `Memories:\n${context.text}` });
    expect(withMemoryContext(messages, { text: '' })).toEqual(messages);
  });
});

import type { ChatModel } from '@neuromem/core';
import { createCompressor } from './create-compressor';
import { createTiktokenCounter } from './token-counter';

const counter = createTiktokenCounter();
const items = [
  { memoryId: 'm1', score: 0.9, text: 'Hey! Oh wow, so yeah, I finally booked the flight to Lisbon for 14 June, it cost $420 and I decided to stay 9 days.' },
  { memoryId: 'm2', score: 0.5, text: 'Haha that is so cool, thanks for telling me, have a great day!' },
  { memoryId: 'm3', score: 0.7, text: 'My sister Ana lives in Porto, so I will take the train there on 18 June.' },
];

describe('createCompressor', () => {
  const compressor = createCompressor();

  it('should return everything unchanged when it already fits', async () => {
    const result = await compressor.compress(items, { query: 'trip', tokenBudget: 1000 });
    expect(result.text.split('\n')).toEqual([`- ${items[0]!.text}`, `- ${items[2]!.text}`, `- ${items[1]!.text}`]);
    expect(result.tokens).toBe(counter.count(result.text));
    expect(result.pointers.map((p) => p.memoryId)).toEqual(['m1', 'm3', 'm2']);
  });

  it('should fit the budget, keep facts, numbers and names, and drop fillers first', async () => {
    const result = await compressor.compress(items, { query: 'When is the flight to Lisbon and how much did it cost?', tokenBudget: 30 });
    expect(result.tokens).toBeLessThanOrEqual(30);
    expect(result.tokens).toBe(counter.count(result.text));
    expect(result.text).toContain('Lisbon');
    expect(result.text).toContain('$420');
    expect(result.text).not.toMatch(/Haha|wow/);
    expect(result.dropped).toContain('m2');
  });

  it('should point every kept span at the memory and characters it came from', async () => {
    const result = await compressor.compress(items, { query: 'Lisbon flight', tokenBudget: 25 });
    const source = new Map(items.map((item) => [item.memoryId, item.text]));
    const pieces = result.text.split('\n').flatMap((line) => line.replace(/^- /, '').split(' … '));
    expect(pieces).toEqual(result.pointers.map((p) => source.get(p.memoryId)!.slice(p.start, p.end)));
    expect(compressor.expand(result.pointers[0]!)).toBe(source.get(result.pointers[0]!.memoryId));
  });

  it('should show each memory under its label, counted in the budget and never cut', async () => {
    const labelled = items.map((item, i) => ({ ...item, label: `2024-06-0${i + 1}, Sam` }));
    for (const tokenBudget of [1000, 30]) {
      const result = await compressor.compress(labelled, { query: 'When is the flight to Lisbon?', tokenBudget });
      expect(result.tokens).toBeLessThanOrEqual(tokenBudget);
      expect(result.tokens).toBe(counter.count(result.text));
      for (const line of result.text.split('\n')) expect(line).toMatch(/^- \[2024-06-0\d, Sam\] \S/);
    }
    await expect(compressor.compress([{ ...items[0]!, label: 'two\nlines' }], { query: '', tokenBudget: 10 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('should merge near-duplicate memories before spending budget on them', async () => {
    const result = await compressor.compress(
      [
        { memoryId: 'a', score: 0.9, text: 'I adopted a beagle named Biscuit last spring.' },
        { memoryId: 'b', score: 0.8, text: 'Last spring I adopted a beagle, named Biscuit!' },
      ],
      { query: 'dog', tokenBudget: 500 },
    );
    expect(result.pointers.map((p) => p.memoryId)).toEqual(['a']);
    expect(result.dropped).toEqual(['b']);
  });

  it('should keep the date, in one piece, and drop the greetings around it when the question asks when', async () => {
    const chatty = [
      { memoryId: 'a', score: 0.9, text: 'Hey Sam! Oh wow, haha. Yeah, we moved to Denver on 3 March 2021. How have you been lately?' },
      { memoryId: 'b', score: 0.5, text: 'Yeah, I totally get it, moving is so stressful, you know, but it is worth it in the end.' },
    ];
    const result = await compressor.compress(chatty, { query: 'When did they move to Denver?', tokenBudget: 16 });
    expect(result.tokens).toBeLessThanOrEqual(16);
    expect(result.text).toContain('moved to Denver on 3 March 2021');
    expect(result.text).not.toMatch(/Hey|haha|How have you/);
  });

  it('should keep the answering clause of a lower-ranked memory over the small talk of the top one', async () => {
    const smallTalkFirst = [
      { memoryId: 'a', score: 0.9, text: 'Hey Sam! Oh wow, haha, so great to hear from you! How have you been?' },
      { memoryId: 'b', score: 0.8, text: 'We moved to Denver on 3 March 2021, right after my new job started.' },
      { memoryId: 'c', score: 0.5, text: 'Yeah, I totally get it, moving is so stressful, you know.' },
    ];
    const result = await compressor.compress(smallTalkFirst, { query: 'When did they move to Denver?', tokenBudget: 16 });
    expect(result.text).toContain('We moved to Denver on 3 March 2021');
    expect(result.text).not.toMatch(/haha|great to hear/);
    expect(result.pointers[0]!.memoryId).toBe('b');
  });

  it('should return the best fragment, and say so, when the budget is below the smallest memory', async () => {
    const result = await compressor.compress([items[0]!], { query: 'flight cost', tokenBudget: 4 });
    expect(result.tokens).toBeGreaterThan(0);
    expect(result.tokens).toBeLessThanOrEqual(4);
    expect(result.notice).toMatch(/below the smallest memory/);
  });

  it('should return an empty context for no memories, and refuse a budget of 0, negative or NaN', async () => {
    expect(await compressor.compress([], { query: 'x', tokenBudget: 10 })).toEqual({ text: '', tokens: 0, pointers: [], dropped: [] });
    for (const tokenBudget of [0, -5, Number.NaN, 2.5]) {
      await expect(compressor.compress(items, { query: 'x', tokenBudget })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
    await expect(compressor.compress([{ memoryId: 'x', text: 'a', score: Number.NaN }], { query: '', tokenBudget: 5 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('should refuse a keep model of the old word-level format, and a bad item anywhere in the batch, remembering nothing', async () => {
    const wordModel = { format: 'neuromem.keep-model/v1', features: ['stopWord'], mean: [0], scale: [1], weights: [0], bias: 0 };
    expect(() => createCompressor({ keepModel: wordModel as never })).toThrow(
      expect.objectContaining({ name: 'NeuroMemError', code: 'INVALID_INPUT', message: expect.stringMatching(/fit-compressor/) }),
    );
    const fresh = createCompressor();
    const batch = [
      { memoryId: 'ok', text: 'I booked the flight.', score: 1 },
      { memoryId: 'bad', text: 42, score: 0.5 },
    ];
    await expect(fresh.compress(batch as never, { query: 'flight', tokenBudget: 3 })).rejects.toMatchObject({ name: 'NeuroMemError', code: 'INVALID_INPUT' });
    expect(fresh.expand({ memoryId: 'ok', start: 0, end: 1 })).toBeUndefined();
  });

  it('should use an abstractive pass when a chat model is configured, and fall back when it fails', async () => {
    const good: ChatModel = { specVersion: 'neuromem.chat-model/v1', id: 'fake', chat: async () => ({ content: 'Flight to Lisbon 14 June, $420.' }) };
    const down: ChatModel = {
      specVersion: 'neuromem.chat-model/v1',
      id: 'down',
      chat: async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:9');
      },
    };
    const rewritten = await createCompressor({ chatModel: good }).compress(items, { query: 'flight', tokenBudget: 20 });
    expect(rewritten.text).toBe('Flight to Lisbon 14 June, $420.');
    expect(rewritten.pointers.length).toBeGreaterThan(0);
    const fallback = await createCompressor({ chatModel: down }).compress(items, { query: 'flight', tokenBudget: 20 });
    const extractive = await createCompressor().compress(items, { query: 'flight', tokenBudget: 20 });
    expect(fallback.text).toBe(extractive.text);
    expect(fallback.notice).toMatch(/ECONNREFUSED/);
  });
});

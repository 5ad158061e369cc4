import { createManualClock } from '@neuromem/core';
import { defaultRelevance } from '@neuromem/controller';
import { createMemory, type Memory } from './create-memory';

const NOW = Date.UTC(2024, 5, 1);

const FACTS = [
  'My sister Ana lives in Lisbon and works as a nurse.',
  'I am allergic to peanuts, so no satay for me.',
  'I switched jobs in May and now work at a robotics startup called Kinetic.',
  'We booked the flight to Kyoto for 12 March to see the cherry blossoms.',
];

describe('calibrated relevance and the "nothing relevant" gate', () => {
  let memory: Memory;
  beforeEach(async () => {
    memory = await createMemory({ clock: createManualClock(NOW, { tick: 1 }) });
    for (const fact of FACTS) await memory.add(fact, { userId: 'alice', runId: 's1' });
  });
  afterEach(() => memory.close());

  it('should score each result with a probability and say how likely the memory can answer at all', async () => {
    const answered = await memory.search('Where does my sister Ana live?', { userId: 'alice' });
    expect(answered.results[0]!.memory).toContain('Lisbon');
    for (const result of answered.results) expect(result.score! >= 0 && result.score! <= 1).toBe(true);
    expect(answered.answerable).toBeGreaterThan(defaultRelevance().gate);
    const never = await memory.search('What is my blood type?', { userId: 'alice' });
    expect(never.answerable).toBeLessThan(defaultRelevance().gate);
    expect(never.answerable!).toBeLessThan(answered.answerable!);
  });

  it('should say how many memories the ranker weighed: all of a small memory whatever topK is, none for a newcomer', async () => {
    expect((await memory.search('Where does my sister Ana live?', { userId: 'alice' })).candidates).toBe(FACTS.length);
    expect((await memory.search('Where does my sister Ana live?', { userId: 'alice', topK: 1 })).candidates).toBe(FACTS.length);
    expect(await memory.search('Where does my sister Ana live?', { userId: 'bob' })).toEqual({ results: [], candidates: 0 });
  });

  it("should keep a result's score whatever topK is, and filter by it with threshold", async () => {
    const [one] = (await memory.search('Where does my sister Ana live?', { userId: 'alice', topK: 1 })).results;
    const [first] = (await memory.search('Where does my sister Ana live?', { userId: 'alice', topK: 4 })).results;
    expect(one!.score).toBe(first!.score);
    const kept = await memory.search('Where does my sister Ana live?', { userId: 'alice', threshold: first!.score! });
    expect(kept.results.map((r) => r.id)).toContain(first!.id);
    expect(kept.results.every((r) => r.score! >= first!.score!)).toBe(true);
    expect((await memory.search('What is my blood type?', { userId: 'alice', threshold: 0.5 })).results).toEqual([]);
  });

  it('should inject nothing, say why, and count no access when no memory is likely to answer', async () => {
    const before = (await memory.getAll({ userId: 'alice' })).results.map((r) => r.id);
    const gated = await memory.context('What is my blood type?', { userId: 'alice' });
    expect(gated).toMatchObject({ text: '', tokens: 0, sources: [], dropped: [], fullTokens: 0 });
    expect(gated.notice).toMatch(/no stored memory looks relevant/);
    const records = await memory.store.getMany(before);
    expect(records.every((record) => record.accessCount === 0)).toBe(true);

    const answered = await memory.context('Where does my sister Ana live?', { userId: 'alice' });
    expect(answered.text).toContain('Lisbon');
    expect(answered.notice).toBeUndefined();
  });

  it('should inject anyway with gate: false or gate: 0, and refuse a gate that is not a probability', async () => {
    expect((await memory.context('What is my blood type?', { userId: 'alice', gate: false })).text).not.toBe('');
    expect((await memory.context('What is my blood type?', { userId: 'alice', gate: 0 })).text).not.toBe('');
    for (const gate of [1.5, -0.1, Number.NaN, '0.5']) {
      await expect(memory.context('What is my blood type?', { userId: 'alice', gate: gate as never })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
  });

  it("should return the ranker's own probability with relevance: false, and refuse a broken relevance model", async () => {
    const plain = await createMemory({ relevance: false, clock: createManualClock(NOW, { tick: 1 }) });
    await plain.add(FACTS[0]!, { userId: 'alice' });
    const { results, answerable } = await plain.search('Where does my sister Ana live?', { userId: 'alice' });
    expect(answerable).toBeUndefined();
    expect(results[0]!.score).toBeCloseTo(1 / (1 + Math.exp(-results[0]!.scoreBreakdown!.logit)), 5);
    expect((await plain.context('What is my blood type?', { userId: 'alice' })).notice).toBeUndefined();
    await plain.close();
    await expect(createMemory({ relevance: { format: 'neuromem.relevance/v1' } as never })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('neuromem-eval relevance'),
    });
  });
});

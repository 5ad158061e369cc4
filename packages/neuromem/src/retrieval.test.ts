import { createManualClock } from '@neuromem/core';
import { createMemory, type Memory } from './create-memory';
import { FEATURE_GROUPS } from '@neuromem/retrieval';

const MAY_8 = Date.UTC(2023, 4, 8, 13, 56);
const DAY = 86_400_000;
const user = { userId: 'caroline-and-mel' };

/** Two speakers over three sessions, a few weeks apart. */
async function conversation(memory: Memory) {
  const say = (speaker: string, content: string, at: number, session: string) => memory.add([{ role: 'user', name: speaker, content }], { ...user, runId: session, timestamp: at });
  await say('Caroline', 'I went to an LGBTQ support group yesterday and it was so powerful.', MAY_8, 's1');
  await say('Melanie', 'That is great! I took the kids to the beach last weekend.', MAY_8 + 1000, 's1');
  await say('Caroline', 'I am thinking about a career in counseling.', MAY_8 + 2000, 's1');
  await say('Melanie', 'I signed up for a pottery class, it starts next month.', MAY_8 + 20 * DAY, 's2');
  await say('Caroline', 'The counseling workshop taught me a lot about trans youth.', MAY_8 + 20 * DAY + 1000, 's2');
  await say('Melanie', 'We went camping in the mountains with the family.', MAY_8 + 45 * DAY, 's3');
  await say('Caroline', 'I painted a sunset after the pottery class Mel told me about.', MAY_8 + 45 * DAY + 1000, 's3');
}

describe('temporal-causal retrieval', () => {
  let memory: Memory;
  beforeEach(async () => {
    memory = await createMemory({ clock: createManualClock(MAY_8 + 60 * DAY, { tick: 1 }) });
    await conversation(memory);
  });
  afterEach(() => memory.close());

  it('should prefer the named speaker’s memories', async () => {
    const { results } = await memory.search('What did Melanie do with her family?', { ...user, topK: 3 });
    expect(results[0]!.role).toBe('Melanie');
    expect(results[0]!.scoreBreakdown!.factors.speakerNamed).toBe(1);
  });

  it('should find what a named speaker said over what others said about them by name', async () => {
    const other = { userId: 'carmen-and-jamal' };
    const say = (speaker: string, content: string, at: number) => memory.add([{ role: 'user', name: speaker, content }], { ...other, runId: 's1', timestamp: at });
    await say('Jamal', 'Carmen has a car with doors that come off, Carmen is wild.', MAY_8);
    await say('Carmen', 'Since November I am back on the day shift, seven a.m. start.', MAY_8 + 1000);
    const { results } = await memory.search('Which shift is Carmen working?', { ...other, topK: 2 });
    expect(results[0]!.memory).toContain('day shift');
    expect(results[0]!.scoreBreakdown!.factors.speakerNamed).toBe(1);
  });

  it('should answer a when-question with a memory that names a time', async () => {
    const { results } = await memory.search('When did Caroline go to the LGBTQ support group?', { ...user, topK: 1 });
    expect(results[0]!.memory).toContain('support group yesterday');
    expect(results[0]!.scoreBreakdown!.factors.timeAnswer).toBe(1);
  });

  it('should match memories to the time window a query names', async () => {
    const { results } = await memory.search('What happened in late June 2023?', { ...user, topK: 10 });
    const inJune = results.filter((r) => r.scoreBreakdown!.factors.temporalFit > 0.9).map((r) => r.memory);
    expect(inJune).toEqual(expect.arrayContaining(['We went camping in the mountains with the family.']));
    expect(inJune).not.toContain('I am thinking about a career in counseling.');
  });

  it('should find memories by words the vectors miss, through BM25', async () => {
    const { results } = await memory.search('pottery', { ...user, topK: 2 });
    expect(results.map((r) => r.memory)).toEqual(expect.arrayContaining(['I signed up for a pottery class, it starts next month.']));
    expect(results[0]!.scoreBreakdown!.factors.lexical).toBe(1);
  });

  it('should reach a linked memory through the graph and neighbouring turns', async () => {
    const { results } = await memory.search('support group', { ...user, topK: 10 });
    const reply = results.find((r) => r.memory.startsWith('That is great!'));
    expect(reply).toBeDefined();
    expect(reply!.scoreBreakdown!.factors.neighborSimilarity + reply!.scoreBreakdown!.factors.graph).toBeGreaterThan(0);
  });

  it('should leave switched-off factors at 0', async () => {
    const ablated = await createMemory({ excludeFactors: [...FEATURE_GROUPS.time, ...FEATURE_GROUPS.graph], clock: createManualClock(MAY_8 + 60 * DAY, { tick: 1 }) });
    await conversation(ablated);
    const { results } = await ablated.search('When did Caroline go to the support group?', { ...user, topK: 5 });
    for (const r of results) for (const name of [...FEATURE_GROUPS.time, ...FEATURE_GROUPS.graph]) expect(r.scoreBreakdown!.factors[name]).toBe(0);
    await ablated.close();
    await expect(createMemory({ excludeFactors: ['magic' as never] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('should place each memory among the candidates by turn and by semantic similarity', async () => {
    const { results } = await memory.search('a class about pottery', { ...user, topK: 20 });
    for (const [similarity, rank] of [
      ['turnSimilarity', 'turnRank'],
      ['semanticSimilarity', 'semanticRank'],
    ] as const) {
      const best = results.reduce((a, b) => (b.scoreBreakdown!.factors[similarity] > a.scoreBreakdown!.factors[similarity] ? b : a));
      expect(best.scoreBreakdown!.factors[rank]).toBe(1);
      // 1 / (1 + place): the more similar, the higher, and never above the best.
      const sorted = [...results].sort((a, b) => b.scoreBreakdown!.factors[similarity] - a.scoreBreakdown!.factors[similarity]);
      for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.scoreBreakdown!.factors[rank]).toBeLessThanOrEqual(sorted[i - 1]!.scoreBreakdown!.factors[rank]);
      expect(sorted[1]!.scoreBreakdown!.factors[rank]).toBe(0.5);
    }
  });

  it('should read what a memory means in its context beside what it says alone', async () => {
    const { results } = await memory.search('a hobby making bowls out of clay', { ...user, topK: 20 });
    expect(results).toHaveLength(7);
    const factors = (start: string) => results.find((r) => r.memory.startsWith(start))!.scoreBreakdown!.factors;
    // The pottery class is about clay; the counseling workshop after it is not, but follows it.
    const [pottery, workshop] = ['I signed up', 'The counseling workshop'].map(factors);
    expect(workshop!.semanticContext).toBeGreaterThan(workshop!.semanticSimilarity);
    expect(pottery!.semanticSimilarity).toBeGreaterThan(workshop!.semanticSimilarity);
    for (const result of results) expect(result.scoreBreakdown!.factors.semanticContext).toBeGreaterThanOrEqual(0);
    for (const result of results) expect(result.scoreBreakdown!.factors.semanticContext).toBeLessThanOrEqual(1);
  });

  it('should return bounded results for queries of stop words, other scripts or 50 KB', async () => {
    for (const query of ['the of and to', 'こんにちは、元気ですか', 'Привет, как дела?', 'pottery class '.repeat(3_600)]) {
      const { results } = await memory.search(query, { ...user, topK: 5 });
      expect(results.length).toBeLessThanOrEqual(5);
      for (const r of results) expect(Number.isFinite(r.score)).toBe(true);
    }
    await expect(memory.search('   ', user)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('should accept reference dates in the far past and future, and refuse invalid ones', async () => {
    for (const referenceDate of ['0100-01-01T00:00:00Z', '9000-01-01T00:00:00Z']) {
      const { results } = await memory.search('what happened last week?', { ...user, topK: 3, referenceDate });
      expect(results).toHaveLength(3);
    }
    await expect(memory.search('pottery', { ...user, referenceDate: 'not a date' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('should refuse bad ranking options with a typed error', async () => {
    await expect(createMemory({ ranker: { format: 'other' } as never })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(createMemory({ recencyHalfLifeDays: 0 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(createMemory({ recencyHalfLifeDays: { episodic: Number.NaN } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(createMemory({ recencyHalfLifeDays: { weekly: 3 } as never })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('should change nothing when a search is rejected', async () => {
    const tracking = await createMemory({ clock: createManualClock(MAY_8 + 60 * DAY, { tick: 1 }) });
    await conversation(tracking);
    const ids = (await tracking.getAll(user)).results.map((item) => item.id);
    const counts = async () => Promise.all(ids.map(async (id) => (await tracking.store.get(id))!.accessCount));
    const initial = await counts();
    await expect(tracking.search('pottery', { ...user, topK: 0 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(tracking.search('pottery', { ...user, threshold: 2 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(tracking.search('pottery', { ...user, referenceDate: Number.NaN })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(tracking.search('pottery', {})).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(await counts()).toEqual(initial);
    await tracking.search('pottery', { ...user, topK: 1 });
    expect((await counts()).reduce((a, b) => a + b, 0)).toBe(initial.reduce((a, b) => a + b, 0) + 1);
    await tracking.close();
  });

  it('should stay bounded when one entity links to everything', async () => {
    const hub = await createMemory({ clock: createManualClock(MAY_8 + 60 * DAY, { tick: 1 }) });
    const turns = Array.from({ length: 600 }, (_, i) => ({ role: 'user', content: `Biscuit did trick number ${i} today at Central Park` }));
    await hub.add(turns, { ...user, runId: 'hub', timestamp: MAY_8 });
    const { results } = await hub.search('What tricks can Biscuit do?', { ...user, topK: 10 });
    expect(results).toHaveLength(10);
    await hub.close();
  });
});

describe('questions the user asked before (a chat keeps them)', () => {
  it('should mark a stored question by its similarity to the query, and rank the fact above the echo', async () => {
    const memory = await createMemory({ clock: createManualClock(MAY_8 + 60 * DAY, { tick: 1 }) });
    await conversation(memory);
    await memory.add('When did Caroline go to the LGBTQ support group?', { ...user, runId: 's4', timestamp: MAY_8 + 50 * DAY });
    const { results } = await memory.search('When did Caroline go to the LGBTQ support group?', { ...user, topK: 10 });
    const echo = results.find((r) => r.memory.startsWith('When did Caroline'))!;
    expect(echo.scoreBreakdown!.factors.questionEcho).toBe(echo.scoreBreakdown!.factors.turnSimilarity);
    expect(results[0]!.memory).toContain('support group yesterday');
    expect(results[0]!.scoreBreakdown!.factors.questionEcho).toBe(0);
    // The calibrated relevance agrees: the repeated question is not likely to be useful.
    expect(echo.score!).toBeLessThan(results[0]!.score!);
    await memory.close();
  });
});

import { createTempDir } from '@neuromem/core/testing';
import { ADAPTATION_LIMITS } from '@neuromem/controller';
import { createMemory } from './create-memory';
import { ADAPTATION_KEY } from './user-adaptations';

const TOPICS = {
  coffee: ['I drink my coffee black at the office.', 'Coffee with oat milk became my favourite this spring.', 'These days my coffee comes with a little honey.'],
  tea: ['Grandma and I had green tea on Sunday.', 'I switched to mint tea in the evenings.', 'Tea from the market in Kyoto is the best I have had.'],
  // Alike but for the place: the global ranker orders them by time alone (the oldest first), so a
  // user who wants the newest has to teach it.
  running: ['Running in the park before work is my routine.', 'Running by the river before work is my routine.', 'Running on the beach before work is my routine.'],
  books: ['I finished reading a novel about lighthouse keepers.', 'The book club picked a mystery set in Lisbon.', 'I am rereading my favourite fantasy series.'],
};
const MONTHS = ['2023-01-10', '2023-04-10', '2023-08-10'];

/** The same memories for every user: what differs between them is only what their feedback taught. */
async function remember(memory: Awaited<ReturnType<typeof createMemory>>, userId: string) {
  const ids: Record<string, string[]> = {};
  for (const [topic, texts] of Object.entries(TOPICS)) {
    ids[topic] = [];
    for (const [i, text] of texts.entries()) ids[topic]!.push((await memory.add(text, { userId, timestamp: MONTHS[i] })).results[0]!.id);
  }
  return ids;
}
const now = '2023-09-01';

describe('online adaptation from feedback (Module 3)', () => {
  it('should learn that a user wants their newest memories, for topics never given feedback on, and leave other users alone', async () => {
    const memory = await createMemory();
    const alice = await remember(memory, 'alice');
    await remember(memory, 'bob');
    for (let round = 0; round < 15; round++) {
      for (const topic of ['coffee', 'tea', 'books']) {
        await memory.feedback({ memoryId: alice[topic]![2]!, query: topic, useful: true, userId: 'alice', referenceDate: now });
      }
    }
    const top = async (userId: string) => (await memory.search('running', { userId, referenceDate: now, limit: 3 })).results;
    // How far the newest run trails the best of the others (negative: it leads).
    const lead = (results: Awaited<ReturnType<typeof top>>) => {
      const newest = results.find((r) => r.memory === TOPICS.running[2])!.scoreBreakdown!.logit;
      return newest - Math.max(...results.filter((r) => r.memory !== TOPICS.running[2]).map((r) => r.scoreBreakdown!.logit));
    };
    const mine = await top('alice');
    const theirs = await top('bob');
    // What the adaptation adds moves the newest up relative to the others, for alice only.
    const personal = (results: typeof mine, text: string) => results.find((r) => r.memory === text)!.scoreBreakdown!.personal!;
    expect(personal(mine, TOPICS.running[2]!)).toBeGreaterThan(personal(mine, TOPICS.running[0]!) + 0.5);
    expect(lead(mine)).toBeGreaterThan(lead(theirs) + 0.5);
    expect(theirs.every((r) => r.scoreBreakdown!.personal === undefined)).toBe(true);
    await memory.close();
  });

  it('should keep ranking as the global model does for a user whose feedback follows no pattern', async () => {
    const memory = await createMemory();
    const ids = await remember(memory, 'alice');
    // The oldest, the newest, the middle one, in turn: nothing to learn about time.
    const results: Array<{ adapted: boolean }> = [];
    for (let round = 0; round < 12; round++) {
      for (const topic of ['coffee', 'tea', 'books'])
        results.push(await memory.feedback({ memoryId: ids[topic]![(round + topic.length) % 3]!, query: topic, useful: true, userId: 'alice', referenceDate: now }));
    }
    expect(results.some((r) => r.adapted)).toBe(false);
    // Nothing is added to any ranking yet: no weight, and no subject the user was seen to favour.
    for (const query of ['running', 'my favourite drink', 'what did I do on Sunday?']) {
      const { results: found } = await memory.search(query, { userId: 'alice', referenceDate: now });
      expect(found.length).toBeGreaterThan(0);
      expect(found.every((r) => r.scoreBreakdown!.personal === undefined)).toBe(true);
    }
    // What it learned is kept, and would apply once it ranks the user's useful memories better.
    const state = (await memory.store.readUserState!('alice', ADAPTATION_KEY)) as { interactions: number; trackRecord: { better: number; worse: number } };
    expect(state.interactions).toBe(36);
    expect(state.trackRecord.better + state.trackRecord.worse).toBeGreaterThan(0);
    await memory.close();
  });

  it("should learn a user's own word for what their memories say", async () => {
    const memory = await createMemory();
    const texts = [
      'Biscuit the beagle loves chasing squirrels in the yard.',
      'I bought a red leash for the beagle yesterday.',
      'The beagle had his vaccination at the vet on Monday.',
      'The beagle sleeps on the sofa all afternoon.',
      'My sister visited from Ohio last weekend.',
      'I fixed the kitchen sink with a new washer.',
    ];
    const ids: string[] = [];
    for (const userId of ['alice', 'bob']) for (const text of texts) ids.push((await memory.add(text, { userId })).results[0]!.id);
    await memory.feedback({ memoryId: ids[0]!, query: 'snorf and the squirrels', useful: true, userId: 'alice' });
    await memory.feedback({ memoryId: ids[1]!, query: 'new leash for snorf', useful: true, userId: 'alice' });
    await memory.feedback({ memoryId: ids[2]!, query: 'snorf vaccination', useful: true, userId: 'alice' });
    // Never asked about with feedback: "snorf" now means the beagle, in every memory of it. (Both
    // users find the napping beagle by meaning; only alice's "snorf" lifts all four beagle memories.)
    const beagleLead = async (userId: string) => {
      const { results } = await memory.search('where does snorf nap', { userId, limit: 6 });
      const mean = (beagle: boolean) => {
        const logits = results.filter((r) => texts.slice(0, 4).includes(r.memory) === beagle).map((r) => r.scoreBreakdown!.logit);
        return logits.reduce((sum, logit) => sum + logit, 0) / logits.length;
      };
      return { lead: mean(true) - mean(false), in4: results.slice(0, 4).filter((r) => texts.slice(0, 4).includes(r.memory)).length };
    };
    const alice = await beagleLead('alice');
    expect(alice.in4).toBeGreaterThanOrEqual(3);
    expect(alice.lead).toBeGreaterThan((await beagleLead('bob')).lead + 0.5);
    await memory.close();
  });

  it("should refuse feedback on unknown ids and on another user's memory, and bad input, learning nothing", async () => {
    const memory = await createMemory();
    const [mine] = (await memory.add('I adopted a beagle named Biscuit.', { userId: 'alice' })).results;
    const [theirs] = (await memory.add('Bob plays the cello.', { userId: 'bob' })).results;
    const learned = async () => memory.store.readUserState!('alice', ADAPTATION_KEY);
    await expect(memory.feedback({ memoryId: theirs!.id, query: 'cello', useful: true, userId: 'alice' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(memory.feedback({ memoryId: 'no-such-id', query: 'cello', useful: true, userId: 'alice' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    for (const bad of [
      { memoryId: mine!.id, query: '', useful: true, userId: 'alice' },
      { memoryId: mine!.id, query: 'beagle', useful: 'yes', userId: 'alice' },
      { memoryId: mine!.id, query: 'beagle', useful: true },
      { memoryId: mine!.id, query: 'beagle', useful: true, agentId: 'bot' },
      { memoryId: mine!.id, query: 'beagle', useful: true, userId: 'alice', referenceDate: 'not a date' },
      { memoryId: 42, query: 'beagle', useful: true, userId: 'alice' },
    ]) {
      await expect(memory.feedback(bad as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
    await expect(memory.feedback(undefined as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(await learned()).toBeNull();
    expect(await memory.feedback({ memoryId: mine!.id, query: 'beagle', useful: true, userId: 'alice' })).toEqual({ message: 'Feedback learned.', interactions: 1, adapted: false });
    await memory.close();
    const off = await createMemory({ adaptation: false });
    const [kept] = (await off.add('I adopted a beagle named Biscuit.', { userId: 'alice' })).results;
    await expect(off.feedback({ memoryId: kept!.id, query: 'beagle', useful: true, userId: 'alice' })).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    await off.close();
    await expect(createMemory({ adaptation: { learningRate: -1 } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(createMemory({ adaptation: { speed: 1 } as never })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    for (const negativeWeight of [-0.1, 1.5, Number.NaN]) {
      await expect(createMemory({ adaptation: { negativeWeight } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
  });

  it('should stay within bounds under a flood of contradictory feedback, and reset on request', async () => {
    const memory = await createMemory();
    const ids = await remember(memory, 'alice');
    for (let i = 0; i < 60; i++) {
      const topic = Object.keys(TOPICS)[i % 4]!;
      await memory.feedback({ memoryId: ids[topic]![i % 3]!, query: `${topic} ${i}`, useful: i % 2 === 0, userId: 'alice', referenceDate: now });
    }
    const state = (await memory.store.readUserState!('alice', ADAPTATION_KEY)) as { interactions: number; weights: Record<string, number> };
    expect(state.interactions).toBe(60);
    expect(Object.values(state.weights).every((w) => Math.abs(w) <= ADAPTATION_LIMITS.maxWeight)).toBe(true);
    for (const result of (await memory.search('coffee', { userId: 'alice', referenceDate: now })).results) {
      expect(Math.abs(result.scoreBreakdown!.personal ?? 0)).toBeLessThanOrEqual(ADAPTATION_LIMITS.maxAdjustment);
    }
    await memory.resetAdaptation('alice');
    expect(await memory.store.readUserState!('alice', ADAPTATION_KEY)).toBeNull();
    expect((await memory.search('coffee', { userId: 'alice', referenceDate: now })).results.every((r) => r.scoreBreakdown!.personal === undefined)).toBe(true);
    await expect(memory.resetAdaptation('')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await memory.close();
  });

  it('should name the reset for a damaged stored adaptation, and recover from it', async () => {
    const memory = await createMemory();
    await remember(memory, 'alice');
    await memory.store.writeUserState!('alice', ADAPTATION_KEY, { format: 'neuromem.adaptation/v1', interactions: 'many' });
    await expect(memory.search('coffee', { userId: 'alice' })).rejects.toMatchObject({ code: 'STORAGE', message: expect.stringContaining('resetAdaptation') });
    expect((await memory.search('coffee', { userId: 'bob' })).results).toEqual([]);
    await memory.resetAdaptation('alice');
    expect((await memory.search('coffee', { userId: 'alice' })).results.length).toBeGreaterThan(0);
    await memory.close();
  });

  it("should keep a user's adaptation across reopening, and drop it with all of their memories", async () => {
    const dir = createTempDir();
    try {
      let memory = await createMemory({ path: dir.path });
      const ids = await remember(memory, 'alice');
      let adapted = false;
      for (let round = 0; round < 6; round++) {
        for (const topic of ['coffee', 'tea', 'books']) ({ adapted } = await memory.feedback({ memoryId: ids[topic]![2]!, query: topic, useful: true, userId: 'alice', referenceDate: now }));
      }
      expect(adapted).toBe(true);
      const before = (await memory.search('running', { userId: 'alice', referenceDate: now })).results.map((r) => [r.id, r.scoreBreakdown!.personal]);
      await memory.close();
      memory = await createMemory({ path: dir.path });
      const after = (await memory.search('running', { userId: 'alice', referenceDate: now })).results.map((r) => [r.id, r.scoreBreakdown!.personal]);
      expect(after).toEqual(before);
      expect(before.some(([, personal]) => personal !== undefined)).toBe(true);
      await memory.deleteAll({ userId: 'alice' });
      expect(await memory.store.readUserState!('alice', ADAPTATION_KEY)).toBeNull();
      await memory.close();
    } finally {
      dir.remove();
    }
  });
});

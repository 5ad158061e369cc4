import { factInMetadata } from '@neuromem/agents';
import type { ChatModel } from '@neuromem/core';
import { createMemory, type Memory } from './create-memory';

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 6);

/** Sam's job, told twice half a year apart, and a lunch; a sleep consolidates the job into a fact. */
async function sleptOnSamsJob() {
  const memory = await createMemory();
  const add = async (text: string, day: number) => (await memory.add(text, { userId: 'sam', timestamp: T0 + day * DAY })).results[0]!.id;
  const ids = {
    nurse: await add('I work as a nurse at the Royal Infirmary, mostly night shifts.', 0),
    lunch: await add('Had the best ramen for lunch today.', 3),
    teacher: await add('I left the Royal Infirmary: no more night shifts as a nurse, I work as a teacher now.', 200),
  };
  await memory.sleep({ userId: 'sam', budgetMs: 10_000 });
  return { memory, ids };
}

const factsOf = async (memory: Memory) => (await memory.getAll({ userId: 'sam', facts: true })).results.filter((item) => factInMetadata(item.metadata));

describe('consolidated facts in the memory', () => {
  let memory: Memory;
  let ids: Awaited<ReturnType<typeof sleptOnSamsJob>>['ids'];
  beforeEach(async () => ({ memory, ids } = await sleptOnSamsJob()));
  afterEach(() => memory.close());

  it('should show a fact, with its timeline, only to a getAll that asks for facts', async () => {
    const [fact, ...more] = await factsOf(memory);
    expect(more).toEqual([]);
    expect(fact!.memory).toMatch(/^I left the Royal Infirmary: .* \(earlier, until 2025-07-25: I work as a nurse at the Royal Infirmary, mostly night shifts\.\)$/);
    expect(factInMetadata(fact!.metadata)!.timeline.map((version) => [version.memoryId, version.validTo])).toEqual([
      [ids.nurse, T0 + 200 * DAY],
      [ids.teacher, null],
    ]);
    expect((await memory.getAll({ userId: 'sam' })).results.map((item) => item.id)).toEqual([ids.nurse, ids.lunch, ids.teacher]);
    await expect(memory.getAll({ userId: 'sam', facts: 'yes' as unknown as boolean })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('should never return a fact as a search result: its versions are the results', async () => {
    const { results } = await memory.search('What is my job now?', { userId: 'sam', topK: 5 });
    expect(results.map((item) => item.id)).toEqual(expect.arrayContaining([ids.teacher, ids.nurse]));
    expect(results.some((item) => factInMetadata(item.metadata))).toBe(false);
  });

  it('should rank the statements exactly as before the sleep: a fact takes no candidate’s place and moves no one’s rank', async () => {
    const asked = async (m: Memory) =>
      (await m.search('night shifts at the Royal Infirmary', { userId: 'sam', topK: 3, trackAccess: false })).results.map((item) => [item.id, item.scoreBreakdown?.logit]);
    const awake = await createMemory();
    for (const [text, day] of [
      ['I work as a nurse at the Royal Infirmary, mostly night shifts.', 0],
      ['Had the best ramen for lunch today.', 3],
      ['I left the Royal Infirmary: no more night shifts as a nurse, I work as a teacher now.', 200],
    ] as const) {
      await awake.add(text, { userId: 'sam', timestamp: T0 + day * DAY });
    }
    const before = await asked(awake);
    await awake.close();
    expect((await asked(memory)).map(([, logit]) => logit)).toEqual(before.map(([, logit]) => logit));
  });

  it('should learn feedback on a fact as feedback on its current statement', async () => {
    const [fact] = await factsOf(memory);
    const learned = await memory.feedback({ memoryId: fact!.id, query: 'What is my job?', useful: true, userId: 'sam' });
    expect(learned.interactions).toBe(1);
    await expect(memory.feedback({ memoryId: fact!.id, query: 'What is my job?', useful: true, userId: 'someone-else' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('should keep the versions in a context when the quoting fact would say the same in more words', async () => {
    const [fact] = await factsOf(memory);
    const context = await memory.context('Where do I work?', { userId: 'sam', topK: 3, tokenBudget: 10_000 });
    expect(context.sources.map((source) => source.id)).toContain(ids.teacher);
    expect(context.sources.map((source) => source.id)).not.toContain(fact!.id);
  });

  it("should delete a fact with any of its versions, so a deleted statement never lives on in one (the fact's text kept in history)", async () => {
    const [fact] = await factsOf(memory);
    await memory.delete(ids.nurse, { userId: 'sam' });
    expect(await factsOf(memory)).toEqual([]);
    expect((await memory.history(fact!.id, { userId: 'sam' })).map((item) => item.action)).toEqual(['ADD', 'DELETE']);
    // The next sleep makes no fact of one statement.
    await memory.sleep({ userId: 'sam', budgetMs: 10_000 });
    expect(await factsOf(memory)).toEqual([]);
  });

  it('should drop a fact when one of its versions is edited, and make it again at the next sleep from the new words', async () => {
    await memory.update(ids.teacher, 'I left the Royal Infirmary: no more night shifts as a nurse, I teach chemistry now.', { userId: 'sam' });
    expect(await factsOf(memory)).toEqual([]);
    await memory.sleep({ userId: 'sam', budgetMs: 10_000 });
    const [fact] = await factsOf(memory);
    expect(fact?.memory).toContain('I teach chemistry now');
  });

  it('should leave facts out of an export: a sleep after the import makes them again', async () => {
    const lines: string[] = [];
    for await (const item of memory.export({ userId: 'sam' })) lines.push(JSON.stringify(item));
    expect(lines).toHaveLength(3);
  });
});

describe('consolidated facts written by a chat model', () => {
  const chatModel: ChatModel = {
    specVersion: 'neuromem.chat-model/v1',
    id: 'test-model',
    async chat(messages) {
      // What a model would write from the two dated statements it is given.
      expect(messages.at(-1)!.content).toMatch(/^2025-01-06 user: I work as a nurse.*\n2025-07-25 user: I left the Royal Infirmary/);
      return { content: 'Sam teaches since July 2025; before, a night-shift nurse at the Royal Infirmary.' };
    },
  };

  it('should put the summary in a context in place of its versions, in fewer tokens, pointing back to them', async () => {
    const plain = await sleptOnSamsJob();
    const before = await plain.memory.context('Where do I work?', { userId: 'sam', topK: 3, tokenBudget: 10_000 });
    await plain.memory.close();

    const memory = await createMemory({ chatModel });
    const add = async (text: string, day: number) => (await memory.add(text, { userId: 'sam', timestamp: T0 + day * DAY })).results[0]!.id;
    const nurse = await add('I work as a nurse at the Royal Infirmary, mostly night shifts.', 0);
    await add('Had the best ramen for lunch today.', 3);
    const teacher = await add('I left the Royal Infirmary: no more night shifts as a nurse, I work as a teacher now.', 200);
    const report = await memory.sleep({ userId: 'sam', budgetMs: 10_000 });
    expect(report.reports.find((r) => r.agent === 'facts')!.actions).toMatchObject({ written: 1, summarized: 1 });
    const context = await memory.context('Where do I work?', { userId: 'sam', topK: 3, tokenBudget: 10_000 });
    const fact = context.sources.find((source) => factInMetadata(source.metadata));
    expect(fact?.memory).toBe('Sam teaches since July 2025; before, a night-shift nurse at the Royal Infirmary.');
    expect(factInMetadata(fact!.metadata)!.timeline.map((version) => version.memoryId)).toEqual([nurse, teacher]);
    expect(context.sources.map((source) => source.id)).not.toContain(teacher);
    expect(context.tokens).toBeLessThan(before.tokens);
    await memory.close();
  });

  it('should refuse a chat model that is not one', async () => {
    await expect(createMemory({ chatModel: { id: 'x' } as unknown as ChatModel })).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { field: 'chatModel' } });
  });
});

import { createManualClock, type JsonValue } from '@neuromem/core';
import { createTempDir, outcomeOf } from '@neuromem/core/testing';
import { createSleepJournal, SLEEP_OWNER, type SleepReport } from '@neuromem/agents';
import { createMemory } from './create-memory';

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 6);

/** Sam's job, told three times over a year, among other things. */
async function samsYear(memory: Awaited<ReturnType<typeof createMemory>>) {
  const add = async (text: string, day: number, userId = 'sam') => (await memory.add(text, { userId, timestamp: T0 + day * DAY })).results[0]!.id;
  const ids = {
    nurse: await add('I work as a nurse at the Royal Infirmary, mostly night shifts.', 0),
    lunch: await add('Had the best ramen for lunch today.', 3),
    teacher: await add('I left the Royal Infirmary: no more night shifts as a nurse, I work as a teacher now.', 200),
    dog: await add('My dog Biscuit chewed my left shoe.', 210),
    theirs: await add('I work as a nurse at the Royal Infirmary, mostly night shifts.', 5, 'ana'),
  };
  return ids;
}

const supersedesOf = async (memory: Awaited<ReturnType<typeof createMemory>>, id: string) => (await memory.store.edges(id)).filter((edge) => edge.type === 'supersedes');

describe('memory.sleep() (Module 5)', () => {
  it('should link a changed fact, answer "now" with the new version and "used to" with the old, and undo all of it', async () => {
    const memory = await createMemory();
    const ids = await samsYear(memory);
    const report = await memory.sleep({ userId: 'sam', budgetMs: 10_000 });
    expect(report.done).toBe(true);
    expect(report.reports.map((r) => r.agent)).toEqual(['consolidation', 'facts', 'forgetting', 'optimization', 'preloading']);
    const links = await supersedesOf(memory, ids.teacher);
    expect(links.map((edge) => [edge.from, edge.to])).toEqual([[ids.teacher, ids.nurse]]);
    const now = (await memory.search('What is my job now?', { userId: 'sam', topK: 3 })).results;
    expect(now[0]!.id).toBe(ids.teacher);
    const before = (await memory.search('What did I use to work as?', { userId: 'sam', topK: 3 })).results;
    expect(before[0]!.id).toBe(ids.nurse);
    // Another user's identical words are never linked to Sam's.
    expect(await supersedesOf(memory, ids.theirs)).toEqual([]);

    // The link, the fact written from it and the fact's two `consolidates` links.
    expect(await memory.undoSleep(report.runId)).toMatchObject({ runId: report.runId, undone: 4 });
    expect(await supersedesOf(memory, ids.teacher)).toEqual([]);
    expect((await memory.getAll({ userId: 'sam', facts: true })).results.map((item) => item.id).sort()).toEqual([ids.nurse, ids.lunch, ids.teacher, ids.dog].sort());
    expect((await memory.sleepRuns()).map((run) => [run.runId, run.status])).toEqual([[report.runId, 'undone']]);
    await memory.close();
  });

  it("should pre-load the users who searched, count who was ready at their next search, and leave their memories' accesses alone", async () => {
    const clock = createManualClock(T0, { tick: 1 });
    const memory = await createMemory({ clock });
    const ids = await samsYear(memory);
    await memory.search('where do I work?', { userId: 'sam' });
    const accessed = (await memory.store.get(ids.nurse))!.accessCount;
    const first = (await memory.sleep()).reports.find((r) => r.agent === 'preloading')!;
    expect(first.actions).toMatchObject({ preloaded: 1, searchers: 1, usersReady: 0 });
    // Rehearsing Sam's next search is not Sam searching.
    expect((await memory.store.get(ids.nurse))!.accessCount).toBe(accessed);

    clock.advance(DAY);
    await memory.search('tell me about my dog', { userId: 'sam' });
    await memory.search('where do I work?', { userId: 'ana' });
    const second = (await memory.sleep()).reports.find((r) => r.agent === 'preloading')!;
    expect(second.actions).toMatchObject({ searchers: 2, usersReady: 1, preloaded: 2 });
    expect(second.actions.resultsReady).toBeGreaterThan(0);
    await memory.close();
  });

  it('should open a memory whose sleep journal is damaged, refuse to sleep with the fix named, and sleep again once it is removed', async () => {
    const dir = createTempDir();
    try {
      const memory = await createMemory({ path: dir.path });
      await samsYear(memory);
      await memory.sleep({ budgetMs: 10_000 });
      const [run] = await memory.sleepRuns();
      // A crash-interrupted run whose only step is garbage, and a run list that is not one.
      await memory.store.writeUserState!(SLEEP_OWNER, 'runs', [{ ...run!, runId: 'broken', status: 'running', heartbeatAt: 0 }] as unknown as JsonValue);
      await memory.store.writeUserState!(SLEEP_OWNER, 'run:broken:0', 'not a step');
      await memory.close();

      const reopened = await createMemory({ path: dir.path });
      expect((await reopened.search('where do I work?', { userId: 'sam' })).results.length).toBeGreaterThan(0);
      await expect(reopened.sleep({ budgetMs: 10_000 })).rejects.toMatchObject({ code: 'STORAGE', message: expect.stringContaining('damaged') });
      await reopened.store.writeUserState!(SLEEP_OWNER, 'runs', null);
      expect((await reopened.sleep({ budgetMs: 10_000 })).done).toBe(true);
      await reopened.close();
    } finally {
      dir.remove();
    }
  });

  it('should refuse a bad budget, a second sleep at once and an unknown run, changing nothing', async () => {
    const memory = await createMemory();
    await samsYear(memory);
    for (const budgetMs of [0, -1, Number.NaN, 'soon']) expect(await outcomeOf(() => memory.sleep({ budgetMs: budgetMs as number }))).toBe('INVALID_INPUT');
    expect(await outcomeOf(() => memory.sleep(null as never))).toBe('INVALID_INPUT');
    const first = memory.sleep({ budgetMs: 10_000 });
    expect(await outcomeOf(() => memory.sleep({ budgetMs: 10_000 }))).toBe('LOCKED');
    await first;
    expect(await outcomeOf(() => memory.undoSleep('no-such-run'))).toBe('NOT_FOUND');
    expect(await memory.sleepRuns()).toHaveLength(1);
    await memory.close();
  });

  it('should hide an expired memory from every read at once, and tombstone it (kept in history) at the next sleep', async () => {
    const clock = createManualClock(T0, { tick: 1 });
    const memory = await createMemory({ clock });
    const [code] = (await memory.add('The parking code is 4411 this week.', { userId: 'sam', expirationDate: T0 + 2 * DAY })).results;
    const [kept] = (await memory.add('The parking garage is on Elm Street.', { userId: 'sam' })).results;
    expect(code!.metadata.expiresAt).toBe(T0 + 2 * DAY);
    expect((await memory.search('parking code', { userId: 'sam' })).results.map((r) => r.id)).toContain(code!.id);
    clock.advance(3 * DAY);
    expect((await memory.search('parking code', { userId: 'sam' })).results.map((r) => r.id)).toEqual([kept!.id]);
    expect((await memory.getAll({ userId: 'sam' })).results.map((r) => r.id)).toEqual([kept!.id]);
    expect(await memory.get(code!.id)).toBeNull();
    const report = await memory.sleep({ budgetMs: 10_000 });
    expect(report.reports.find((r) => r.agent === 'forgetting')!.actions).toEqual({ expired: 1 });
    expect((await memory.history(code!.id)).map((h) => h.action)).toEqual(['ADD', 'DELETE']);
    expect(await outcomeOf(() => memory.add('x', { userId: 'sam', expirationDate: 'next full moon' }))).toBe('INVALID_INPUT');
    await memory.close();
  });

  it('should sleep by itself once writes or searches pause, with background on', async () => {
    const reports: unknown[] = [];
    const memory = await createMemory({ background: { idleMs: 30, budgetMs: 5_000, onSleep: (report, error) => reports.push(report ?? error) } });
    await samsYear(memory);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ done: true, users: 2 });
    // Searches alone start the idle timer too: the memory sleeps again and learns who searched.
    await memory.search('where do I work?', { userId: 'sam' });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(reports).toHaveLength(2);
    expect((reports[1] as SleepReport).reports.find((r) => r.agent === 'preloading')?.actions).toMatchObject({ searchers: 1, preloaded: 1 });
    await memory.close();
    expect(await outcomeOf(() => createMemory({ background: { idleMs: -5 } }))).toBe('INVALID_INPUT');
    expect(await outcomeOf(() => createMemory({ background: { every: 5 } as never }))).toBe('INVALID_INPUT');
  });

  it('should roll back, on the next open, a sleep that a crash cut short', async () => {
    const dir = createTempDir();
    try {
      const memory = await createMemory({ path: dir.path });
      const ids = await samsYear(memory);
      // What a killed sleep leaves: its entry still running, one step recorded and applied.
      const journal = createSleepJournal(memory.store);
      await journal.saveRun({ runId: 'killed', status: 'running', startedAt: Date.now(), heartbeatAt: Date.now(), finishedAt: null, reports: [] });
      await journal.appendStep('killed', { agent: 'consolidation', userId: 'sam', actions: [{ type: 'link', from: ids.dog, to: ids.lunch, edgeType: 'supersedes' }] });
      await memory.store.link([{ from: ids.dog, to: ids.lunch, type: 'supersedes', weight: 1 }]);
      await memory.close();

      const reopened = await createMemory({ path: dir.path });
      expect(await supersedesOf(reopened, ids.dog)).toEqual([]);
      expect((await reopened.sleepRuns()).find((run) => run.runId === 'killed')?.status).toBe('rolled-back');
      expect((await reopened.getAll({ userId: 'sam' })).results).toHaveLength(4);
      expect(await reopened.store.readUserState!(SLEEP_OWNER, 'runs')).not.toBeNull();
      await reopened.close();
    } finally {
      dir.remove();
    }
  });
});

describe('the optimization agent in a sleep', () => {
  it('should give back the space of dropped vectors and report bytes before and after', async () => {
    const dir = createTempDir();
    try {
      const memory = await createMemory({ path: dir.path });
      for (let i = 0; i < 200; i++) await memory.add(`Note ${i}: the meeting about budget line ${i * 7} moved to room ${i % 13}.`, { userId: 'sam' });
      await memory.retier({ userId: 'sam', warmShare: 0 });
      const report = await memory.sleep({ budgetMs: 60_000 });
      const optimization = report.reports.find((r) => r.agent === 'optimization')!;
      expect(optimization.actions.rewritten).toBe(1);
      expect(optimization.actions.bytesAfter).toBeLessThan(optimization.actions.bytesBefore!);
      expect((await memory.search('budget line 490', { userId: 'sam', topK: 1 })).results[0]!.memory).toContain('Note 70:');
      await memory.close();
    } finally {
      dir.remove();
    }
  });
});

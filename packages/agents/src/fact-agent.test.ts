import { createManualClock, createReferenceStore, type ChatModel, type MemoryStore } from '@neuromem/core';
import type { SameFactJudge } from '@neuromem/retrieval';
import { createConsolidationAgent } from './consolidation-agent';
import { factOf } from './consolidated-facts';
import { EXPIRES_AT } from './expiry';
import { createFactAgent } from './fact-agent';
import { runSleep, undoSleep } from './run-sleep';
import { createSleepJournal } from './sleep-journal';

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1);
const homes = new Set(['I rent a flat in Bristol', 'We moved to Leeds last month', 'Leeds is home now']);
const judge: SameFactJudge = (older, newer) => (homes.has(older.record.text) && homes.has(newer.record.text) ? 0.9 : 0.1);
async function seeded() {
  const clock = createManualClock(T0 + 400 * DAY, { tick: 1 });
  const store = createReferenceStore({ vectorScales: { turn: 3 }, clock });
  const put = (text: string, day: number, vector: number[], options: { userId?: string; expiresAt?: number } = {}) =>
    store
      .put([
        {
          text,
          scope: { userId: options.userId ?? 'sam' },
          role: 'Sam',
          eventTime: T0 + day * DAY,
          vectors: { turn: Float32Array.from(vector) },
          ...(options.expiresAt ? { metadata: { [EXPIRES_AT]: options.expiresAt } } : {}),
        },
      ])
      .then(([r]) => r!);
  const bristol = await put('I rent a flat in Bristol', 0, [1, 0, 0]);
  const soup = await put('Soup again for lunch', 10, [0, 0, 1]);
  const leeds = await put('We moved to Leeds last month', 200, [0.9, 0.1, 0]);
  const sleep = () => runSleep({ store, clock, budgetMs: 10_000, userId: 'sam', agents: [createConsolidationAgent({ judge }), createFactAgent()] });
  return { clock, store, bristol, soup, leeds, put, sleep };
}

const factsOf = async (store: MemoryStore, userId = 'sam') => (await store.list({ scope: { userId }, kinds: ['semantic'] })).filter((record) => factOf(record));

describe('the fact agent', () => {
  it('should write one semantic memory per changed fact: the current statement, the earlier one, their timeline and links to both', async () => {
    const { store, bristol, soup, leeds, sleep } = await seeded();
    const report = await sleep();
    expect(report.reports.find((r) => r.agent === 'facts')!.actions).toMatchObject({ facts: 1, written: 1 });
    const [fact, ...more] = await factsOf(store);
    expect(more).toEqual([]);
    expect(fact!.text).toBe('We moved to Leeds last month (earlier, until 2025-07-20: I rent a flat in Bristol)');
    expect(fact).toMatchObject({ kind: 'semantic', role: 'Sam', eventTime: leeds.eventTime, scope: { userId: 'sam' }, source: { type: 'derived', ref: leeds.id } });
    expect(factOf(fact!)).toEqual({
      root: bristol.id,
      current: leeds.id,
      timeline: [
        { memoryId: bristol.id, validFrom: bristol.eventTime, validTo: leeds.eventTime },
        { memoryId: leeds.id, validFrom: leeds.eventTime, validTo: null },
      ],
      writtenBy: 'extractive',
    });
    const links = (await store.edges(fact!.id)).filter((edge) => edge.type === 'consolidates').map((edge) => edge.to);
    expect(links.sort()).toEqual([bristol.id, leeds.id].sort());
    // No vectors: a fact is never a search result of its own, it is reached through its versions.
    expect((await store.vectors([fact!.id], 'turn')).has(fact!.id)).toBe(false);
    // The sources are untouched, and the statement of another fact is in no fact.
    for (const record of [bristol, soup, leeds]) expect((await store.history(record.id)).map((h) => h.event)).toEqual(['ADD']);
  });

  it('should revise the fact when its chain grows (the old text kept in history) and leave it alone when nothing changed', async () => {
    const { store, put, sleep } = await seeded();
    await sleep();
    const [before] = await factsOf(store);
    expect((await sleep()).reports.find((r) => r.agent === 'facts')!.actions).toMatchObject({ written: 0, revised: 0 });
    const home = await put('Leeds is home now', 300, [0.95, 0.05, 0]);
    const report = await sleep();
    expect(report.reports.find((r) => r.agent === 'facts')!.actions).toMatchObject({ written: 0, revised: 1 });
    const [after, ...more] = await factsOf(store);
    expect(more).toEqual([]);
    expect(after!.id).toBe(before!.id);
    expect(after!.text.startsWith('Leeds is home now (earlier, until ')).toBe(true);
    expect(factOf(after!)!.current).toBe(home.id);
    expect((await store.history(after!.id)).map((h) => [h.event, h.previousText])).toEqual([
      ['ADD', null],
      ['UPDATE', before!.text],
    ]);
    // Undoing the revising sleep gives the fact its earlier text back.
    await undoSleep(store, report.runId);
    expect((await factsOf(store))[0]!.text).toBe(before!.text);
  });

  it('should keep the newest versions only, and its identity, when a chain grows past them', async () => {
    const { store, clock, bristol, put } = await seeded();
    const agents = [createConsolidationAgent({ judge }), createFactAgent({ maxVersions: 2 })];
    await runSleep({ store, clock, budgetMs: 10_000, userId: 'sam', agents });
    const [before] = await factsOf(store);
    const home = await put('Leeds is home now', 300, [0.95, 0.05, 0]);
    await runSleep({ store, clock, budgetMs: 10_000, userId: 'sam', agents });
    const [after, ...more] = await factsOf(store);
    expect(more).toEqual([]);
    expect(after!.id).toBe(before!.id);
    expect(factOf(after!)).toMatchObject({ root: bristol.id, current: home.id });
    expect(factOf(after!)!.timeline).toHaveLength(2);
    expect(after!.text).not.toContain('Bristol');
  });

  it('should be undone with its sleep: the fact is purged (only the purge is left in history), the sources stay', async () => {
    const { store, bristol, leeds, sleep } = await seeded();
    const { runId } = await sleep();
    const [fact] = await factsOf(store);
    await undoSleep(store, runId);
    expect(await factsOf(store)).toEqual([]);
    expect((await store.history(fact!.id)).map((h) => h.event)).toEqual(['PURGE']);
    expect((await store.getMany([bristol.id, leeds.id])).map((r) => r.text)).toEqual([bristol.text, leeds.text]);
  });

  it('should retire a fact whose versions are no longer linked', async () => {
    const { store, bristol, leeds, sleep } = await seeded();
    await sleep();
    const [fact] = await factsOf(store);
    await store.unlink([{ from: leeds.id, to: bristol.id, type: 'supersedes' }]);
    const report = await runSleep({ store, clock: createManualClock(T0 + 401 * DAY), budgetMs: 10_000, userId: 'sam', agents: [createFactAgent()] });
    expect(report.reports[0]!.actions).toMatchObject({ facts: 0, retired: 1 });
    expect(await factsOf(store)).toEqual([]);
    // Deleted, not purged: like any deleted memory it stays in history.
    expect((await store.history(fact!.id)).map((h) => h.event)).toEqual(['ADD', 'DELETE']);
  });

  it('should never quote an expired statement, and expire with the first of its versions', async () => {
    const { store, put, leeds, sleep } = await seeded();
    const later = T0 + 500 * DAY;
    await store.update(leeds.id, { metadata: { [EXPIRES_AT]: later } });
    await put('Leeds is home now', 300, [0.95, 0.05, 0], { expiresAt: T0 + 10 * DAY });
    await sleep();
    const [fact] = await factsOf(store);
    expect(fact!.text).not.toContain('Leeds is home now');
    expect(fact!.metadata[EXPIRES_AT]).toBe(later);
  });

  it("should never put one user's statements in another's fact", async () => {
    const { store, clock, put } = await seeded();
    await put('We moved to Leeds last month', 250, [0.9, 0.1, 0], { userId: 'ana' });
    await runSleep({ store, clock, budgetMs: 10_000, agents: [createConsolidationAgent({ judge }), createFactAgent()] });
    expect(await factsOf(store, 'ana')).toEqual([]);
    const [fact] = await factsOf(store);
    const sources = await store.getMany(factOf(fact!)!.timeline.map((version) => version.memoryId));
    expect(sources.every((record) => record.scope.userId === 'sam')).toBe(true);
  });

  describe('with a chat model', () => {
    const model = (chat: ChatModel['chat']): ChatModel => ({ specVersion: 'neuromem.chat-model/v1', id: 'test-model', chat });
    const sleepWith = (f: Awaited<ReturnType<typeof seeded>>, chatModel: ChatModel, budgetMs = 10_000) =>
      runSleep({ store: f.store, clock: f.clock, budgetMs, userId: 'sam', agents: [createConsolidationAgent({ judge }), createFactAgent({ chatModel })] });

    it("should write the fact in the model's words from the dated versions, and not ask again while they stand", async () => {
      const f = await seeded();
      const asked: string[] = [];
      const chatModel = model(async (messages) => {
        asked.push(messages.at(-1)!.content);
        return { content: ' Sam lives in Leeds since July 2025; before that, a flat in Bristol. ' };
      });
      await sleepWith(f, chatModel);
      const [fact] = await factsOf(f.store);
      expect(fact!.text).toBe('Sam lives in Leeds since July 2025; before that, a flat in Bristol.');
      expect(factOf(fact!)).toMatchObject({ current: f.leeds.id, writtenBy: 'test-model' });
      expect(asked).toEqual(['2025-01-01 Sam: I rent a flat in Bristol\n2025-07-20 Sam: We moved to Leeds last month']);
      const again = await sleepWith(f, chatModel);
      expect(asked).toHaveLength(1);
      expect(again.reports.find((r) => r.agent === 'facts')!.actions).toMatchObject({ written: 0, revised: 0 });
    });

    it('should skip the fact and say so in the journal when the model is down, and write it at the next sleep', async () => {
      const f = await seeded();
      const down = await sleepWith(
        f,
        model(async () => {
          throw new Error('connect ECONNREFUSED 127.0.0.1:11434');
        }),
      );
      expect(down.reports.find((r) => r.agent === 'facts')!.actions).toMatchObject({ written: 0, summaryFailed: 1 });
      expect(await factsOf(f.store)).toEqual([]);
      const journal = createSleepJournal(f.store);
      const [entry] = (await journal.runs()).filter((run) => run.runId === down.runId);
      expect(entry!.reports.find((r) => r.agent === 'facts')!.actions.summaryFailed).toBe(1);
      await sleepWith(
        f,
        model(async () => ({ content: 'Sam lives in Leeds now; before, Bristol.' })),
      );
      expect((await factsOf(f.store)).map((fact) => fact.text)).toEqual(['Sam lives in Leeds now; before, Bristol.']);
    });

    it("should not wait past the sleep's budget for a model that never answers", async () => {
      const f = await seeded();
      const silent = model(() => new Promise(() => undefined));
      const clock = { now: () => Date.now() };
      const report = await runSleep({ store: f.store, clock, budgetMs: 200, userId: 'sam', agents: [createConsolidationAgent({ judge }), createFactAgent({ chatModel: silent })] });
      expect(report.reports.find((r) => r.agent === 'facts')!.actions).toMatchObject({ written: 0, summaryFailed: 1 });
    });
  });
});

import { createManualClock, createReferenceStore, type MemoryAgent, type MemoryStore } from '@neuromem/core';
import { outcomeOf } from '@neuromem/core/testing';
import { createForgettingAgent } from './forgetting-agent';
import { EXPIRES_AT } from './expiry';
import { recoverSleep, runSleep, undoSleep } from './run-sleep';
import { createSleepJournal, LEASE_MS, SLEEP_OWNER } from './sleep-journal';
import { createOptimizationAgent } from './optimization-agent';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

/** An agent that links each of the user's memories to the one before it, and can be told to fail half way. */
function chainAgent(options: { failAfter?: number } = {}): MemoryAgent {
  return {
    specVersion: 'neuromem.agent/v1',
    name: 'chain',
    async run({ store, userId, journal, exclusive, clock }) {
      const started = clock.now();
      const records = await store.list({ scope: { userId }, order: 'written-asc' });
      let linked = 0;
      for (let i = 1; i < records.length; i++) {
        if (options.failAfter !== undefined && linked >= options.failAfter) throw new Error('agent crashed');
        const [from, to] = [records[i]!.id, records[i - 1]!.id];
        await exclusive(async () => {
          await journal.record([{ type: 'link', from, to, edgeType: 'supersedes' }]);
          await store.link([{ from, to, type: 'supersedes', weight: 1 }]);
        });
        linked++;
      }
      return { agent: 'chain', actions: { linked }, durationMs: clock.now() - started, done: true };
    },
  };
}

async function storeWith(texts: Record<string, string[]>) {
  const clock = createManualClock(T0, { tick: 1 });
  const store = createReferenceStore({ vectorScales: { turn: 3 }, clock });
  for (const [userId, list] of Object.entries(texts)) await store.put(list.map((text, i) => ({ text, scope: { userId }, eventTime: T0 + i * DAY })));
  return { store, clock };
}

const supersedes = async (store: MemoryStore, userId: string) => {
  const records = await store.list({ scope: { userId } });
  const edges = await Promise.all(records.map((record) => store.edges(record.id)));
  return new Set(
    edges
      .flat()
      .filter((edge) => edge.type === 'supersedes')
      .map((edge) => `${edge.from}>${edge.to}`),
  ).size;
};

describe('runSleep', () => {
  it('should run each agent for every user with new memories and journal what it did', async () => {
    const { store, clock } = await storeWith({ alice: ['a1', 'a2', 'a3'], bob: ['b1', 'b2'] });
    const report = await runSleep({ store, clock, budgetMs: 60_000, agents: [chainAgent()] });
    expect(report.done).toBe(true);
    expect(report.users).toBe(2);
    expect(report.reports.map((r) => [r.userId, r.actions.linked])).toEqual([
      ['alice', 2],
      ['bob', 1],
    ]);
    const journal = createSleepJournal(store);
    expect((await journal.run(report.runId))?.status).toBe('done');
    expect((await journal.steps(report.runId)).flatMap((step) => step.actions)).toHaveLength(3);
  });

  it('should keep the journal entry of a run over many users as small as one over a few (reports summed per agent)', async () => {
    const { store, clock } = await storeWith(Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`user-${i}`, ['a note', 'another note']])));
    const report = await runSleep({ store, clock, agents: [chainAgent(), createOptimizationAgent()], budgetMs: 60_000 });
    expect(report.reports.filter((r) => r.agent === 'chain')).toHaveLength(400);
    const [entry] = await createSleepJournal(store).runs();
    expect(entry!.reports).toEqual([expect.objectContaining({ agent: 'chain', users: 400, actions: { linked: 400 }, done: true }), expect.objectContaining({ agent: 'optimization', users: 1 })]);
    expect(JSON.stringify(entry).length).toBeLessThan(1_000);
  });

  it('should undo a run: every link it made is gone and every memory is as it was', async () => {
    const { store, clock } = await storeWith({ alice: ['a1', 'a2', 'a3'] });
    const before = (await store.list({ scope: { userId: 'alice' } })).map((r) => [r.id, r.version, r.text]);
    const { runId } = await runSleep({ store, clock, budgetMs: 60_000, agents: [chainAgent()] });
    expect(await supersedes(store, 'alice')).toBe(2);
    expect(await undoSleep(store, runId, { clock })).toEqual({ runId, undone: 2, kept: 0 });
    expect(await supersedes(store, 'alice')).toBe(0);
    expect((await store.list({ scope: { userId: 'alice' } })).map((r) => [r.id, r.version, r.text])).toEqual(before);
    expect((await createSleepJournal(store).run(runId))?.status).toBe('undone');
    // Undoing twice changes nothing more.
    expect(await undoSleep(store, runId, { clock })).toEqual({ runId, undone: 0, kept: 0 });
    expect(await outcomeOf(() => undoSleep(store, 'no-such-run'))).toBe('NOT_FOUND');
  });

  it('should roll back a run whose agent failed half way when the next sleep starts', async () => {
    const { store, clock } = await storeWith({ alice: ['a1', 'a2', 'a3', 'a4'] });
    await expect(runSleep({ store, clock, budgetMs: 60_000, agents: [chainAgent({ failAfter: 1 })] })).rejects.toThrow('agent crashed');
    expect(await supersedes(store, 'alice')).toBe(1);
    const next = await runSleep({ store, clock, budgetMs: 60_000, agents: [] });
    expect(next.rolledBack).toHaveLength(1);
    expect(await supersedes(store, 'alice')).toBe(0);
    expect((await createSleepJournal(store).run(next.rolledBack[0]!))?.status).toBe('rolled-back');
  });

  it('should refuse a second sleep while one runs, here and (by its heartbeat) in another process', async () => {
    const { store, clock } = await storeWith({ alice: ['a1', 'a2'] });
    let release!: () => void;
    const slow: MemoryAgent = { ...chainAgent(), run: () => new Promise((resolve) => (release = () => resolve({ agent: 'slow', actions: {}, durationMs: 0, done: true }))) };
    const first = runSleep({ store, clock, budgetMs: 60_000, agents: [slow] });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await outcomeOf(() => runSleep({ store, clock, budgetMs: 60_000, agents: [] }))).toBe('LOCKED');
    // Another process sees the running entry with a fresh heartbeat.
    expect(await outcomeOf(() => recoverSleep(store, { clock }))).toBe('LOCKED');
    release();
    await first;
    // A run silent for longer than the lease is taken for crashed.
    const journal = createSleepJournal(store);
    await journal.saveRun({ runId: 'ghost', status: 'running', startedAt: clock.now(), heartbeatAt: clock.now(), finishedAt: null, reports: [] });
    expect(await outcomeOf(() => recoverSleep(store, { clock }))).toBe('LOCKED');
    clock.advance(LEASE_MS + 1);
    expect(await recoverSleep(store, { clock })).toEqual(['ghost']);
  });

  it('should stop at the budget and say it did not finish', async () => {
    const { store, clock } = await storeWith({ alice: ['a1', 'a2'], bob: ['b1', 'b2'] });
    const tired: MemoryAgent = { ...chainAgent(), run: async (context) => (clock.advance(5_000), chainAgent().run(context)) };
    const report = await runSleep({ store, clock, budgetMs: 1_000, agents: [tired] });
    expect(report.done).toBe(false);
    expect(report.reports).toHaveLength(1);
  });

  it('should reach every user in turn when each sleep has budget for only some of them', async () => {
    const { store, clock } = await storeWith({ alice: ['a1', 'a2'], bob: ['b1', 'b2'], cara: ['c1', 'c2'] });
    // Each user's visit takes 400 ms, and a sleep starts no visit after 600 ms: two users per sleep.
    const slow: MemoryAgent = { ...chainAgent(), run: async (context) => (clock.advance(400), chainAgent().run(context)) };
    const visitedBy = async () => (await runSleep({ store, clock, budgetMs: 600, agents: [slow] })).reports.map((report) => report.userId);
    const first = await visitedBy();
    expect(first).toHaveLength(2);
    // New memories of the users just visited: before, they came first again and the third waited.
    for (const userId of first) await store.put([{ text: `${userId} again`, scope: { userId }, eventTime: T0 + 9 * DAY }]);
    const second = await visitedBy();
    const [left] = ['alice', 'bob', 'cara'].filter((user) => !first.includes(user));
    expect(second[0]).toBe(left);
    expect(await supersedes(store, left!)).toBe(1);
  });

  it('should refuse a budget of 0, negative, NaN or not a number, and agents that are not agents, changing nothing', async () => {
    const { store, clock } = await storeWith({ alice: ['a1'] });
    for (const budgetMs of [0, -5, Number.NaN, Number.POSITIVE_INFINITY, '1000', null]) {
      expect(await outcomeOf(() => runSleep({ store, clock, budgetMs: budgetMs as number, agents: [] }))).toBe('INVALID_INPUT');
    }
    expect(await outcomeOf(() => runSleep({ store, clock, budgetMs: 1000, agents: [{ name: 'x' } as never] }))).toBe('INVALID_INPUT');
    expect(await outcomeOf(() => runSleep({ store, clock, budgetMs: 1000, agents: [], userId: '' }))).toBe('INVALID_INPUT');
    expect(await createSleepJournal(store).runs()).toEqual([]);
  });
});

describe('store-wide agents', () => {
  it('should run once, after every user, and the optimization agent should leave a store without compaction alone', async () => {
    const { store, clock } = await storeWith({ alice: ['a1'], bob: ['b1'] });
    const seen: string[] = [];
    const maintenance: MemoryAgent = {
      specVersion: 'neuromem.agent/v1',
      name: 'maintenance',
      reach: 'store',
      run: async ({ userId }) => (seen.push(userId), { agent: 'maintenance', actions: {}, durationMs: 0, done: true }),
    };
    const report = await runSleep({ store, clock, budgetMs: 60_000, agents: [maintenance, chainAgent(), createOptimizationAgent()] });
    expect(seen).toEqual([SLEEP_OWNER]);
    expect(report.reports.map((r) => [r.agent, r.userId])).toEqual([
      ['chain', 'alice'],
      ['chain', 'bob'],
      ['maintenance', SLEEP_OWNER],
      ['optimization', SLEEP_OWNER],
    ]);
    expect(report.reports.at(-1)!.actions).toEqual({});
  });

  it('should keep a share of the budget for them when the users would take all of it', async () => {
    const { store, clock } = await storeWith({ alice: ['a1'], bob: ['b1'], cy: ['c1'] });
    // Works until its deadline, whatever the user: the users alone would use up the sleep.
    const slow: MemoryAgent = {
      specVersion: 'neuromem.agent/v1',
      name: 'slow',
      run: async ({ deadline }) => (clock.set(deadline), { agent: 'slow', actions: {}, durationMs: 0, done: false }),
    };
    const deadlines: number[] = [];
    const maintenance: MemoryAgent = {
      specVersion: 'neuromem.agent/v1',
      name: 'maintenance',
      reach: 'store',
      run: async ({ deadline }) => (deadlines.push(deadline), { agent: 'maintenance', actions: {}, durationMs: 0, done: true }),
    };
    const report = await runSleep({ store, clock, budgetMs: 10_000, agents: [slow, maintenance] });
    expect(report.done).toBe(false);
    expect(report.reports.map((r) => r.agent)).toEqual(['slow', 'maintenance']);
    expect(deadlines).toEqual([report.startedAt + 10_000]);
  });
});

describe('the forgetting agent', () => {
  it('should tombstone expired memories (kept in history), leave the rest and keep other users apart', async () => {
    const clock = createManualClock(T0, { tick: 1 });
    const store = createReferenceStore({ vectorScales: { turn: 3 }, clock });
    const [gone, stays, never] = await store.put([
      { text: 'parking code 4411 until Friday', scope: { userId: 'alice' }, metadata: { [EXPIRES_AT]: T0 + DAY } },
      { text: 'gym pass valid a year', scope: { userId: 'alice' }, metadata: { [EXPIRES_AT]: T0 + 365 * DAY } },
      { text: 'I was born in Porto', scope: { userId: 'alice' } },
    ]);
    const [bobs] = await store.put([{ text: 'bob expired too', scope: { userId: 'bob' }, metadata: { [EXPIRES_AT]: T0 + DAY } }]);
    clock.advance(2 * DAY);
    const report = await runSleep({ store, clock, budgetMs: 60_000, agents: [createForgettingAgent()], userId: 'alice' });
    expect(report.reports[0]!.actions).toEqual({ expired: 1 });
    expect(await store.get(gone!.id)).toBeNull();
    expect((await store.history(gone!.id)).map((h) => h.event)).toEqual(['ADD', 'DELETE']);
    expect(await store.get(stays!.id)).not.toBeNull();
    expect(await store.get(never!.id)).not.toBeNull();
    expect(await store.get(bobs!.id)).not.toBeNull();
    // An expiry is the owner's own request: undo keeps it.
    expect(await undoSleep(store, report.runId)).toMatchObject({ undone: 0, kept: 1 });
  });
});

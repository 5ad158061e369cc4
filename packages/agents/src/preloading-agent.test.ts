import { createManualClock, createReferenceStore, type Foreground, type SearchActivity } from '@neuromem/core';
import { likelihood, observe, rankUsers, tune } from './activity-profiles';
import { createPreloadingAgent, PRELOADING_STATE, preloadingRecord } from './preloading-agent';
import { runSleep } from './run-sleep';
import { SLEEP_OWNER } from './sleep-journal';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 5); // midnight UTC

/** A foreground that keeps the searches a test makes and answers rehearsals from a fixed index. */
function foregroundOf(found: Record<string, string[]>) {
  const searches: SearchActivity[] = [];
  const rehearsals: Array<{ userId: string; query: string }> = [];
  const foreground: Foreground = {
    searchesSince: (since) => searches.filter((search) => search.at > since),
    async rehearse(userId, query) {
      rehearsals.push({ userId, query });
      return found[userId] ?? [];
    },
  };
  return { foreground, searches, rehearsals };
}

async function setUp(users: string[]) {
  const clock = createManualClock(T0, { tick: 1 });
  const store = createReferenceStore({ vectorScales: { turn: 3 }, clock });
  for (const userId of users) await store.put([{ text: `${userId} keeps bees on the roof`, scope: { userId } }]);
  return { clock, store };
}

describe('the pre-loading agent', () => {
  it("should rehearse the likeliest users' latest query and newest memory, and score itself on the searches that follow", async () => {
    const { clock, store } = await setUp(['ann', 'bob', 'cy']);
    const { foreground, searches, rehearsals } = foregroundOf({ ann: ['m1', 'm2'], bob: ['m3'] });
    const agent = createPreloadingAgent({ maxUsers: 2 });
    searches.push({ userId: 'ann', at: T0 + 10, query: 'where are the bees', resultIds: ['m1'] }, { userId: 'bob', at: T0 + 20, query: 'honey harvest', resultIds: ['m3'] });

    const first = await runSleep({ store, clock, agents: [agent], budgetMs: 60_000, foreground });
    const firstActions = first.reports.find((report) => report.agent === 'preloading')!.actions;
    expect(firstActions.preloaded).toBe(2);
    // Nothing was pre-loaded before the first sleep: nobody was ready.
    expect(firstActions).toMatchObject({ searchers: 2, usersReady: 0 });
    expect(rehearsals).toEqual(
      expect.arrayContaining([
        { userId: 'ann', query: 'where are the bees' },
        { userId: 'ann', query: 'ann keeps bees on the roof' },
        { userId: 'bob', query: 'honey harvest' },
      ]),
    );
    // cy never searched: the agent knows nothing that would make her likely.
    expect(rehearsals.some((rehearsal) => rehearsal.userId === 'cy')).toBe(false);

    clock.advance(HOUR);
    searches.push({ userId: 'ann', at: clock.now(), query: 'bee count', resultIds: ['m2', 'm9'] }, { userId: 'cy', at: clock.now() + 1, query: 'roof', resultIds: ['m5'] });
    const second = await runSleep({ store, clock, agents: [agent], budgetMs: 60_000, foreground });
    expect(second.reports.find((report) => report.agent === 'preloading')!.actions).toMatchObject({ searchers: 2, usersReady: 1, results: 3, resultsReady: 1 });
    const record = preloadingRecord(await store.readUserState!(SLEEP_OWNER, PRELOADING_STATE));
    expect(record?.outcomes.map((outcome) => outcome.usersReady)).toEqual([0, 1]);
  });

  it('should skip, changing nothing, when the sleep has no foreground (a bare store)', async () => {
    const { clock, store } = await setUp(['ann']);
    const report = await runSleep({ store, clock, agents: [createPreloadingAgent()], budgetMs: 60_000 });
    expect(report.reports[0]!.actions).toEqual({});
    expect(await store.readUserState!(SLEEP_OWNER, PRELOADING_STATE)).toBeNull();
  });

  it('should start afresh from a state it did not write, rather than fail', async () => {
    const { clock, store } = await setUp(['ann']);
    await store.writeUserState!(SLEEP_OWNER, PRELOADING_STATE, { readThrough: 'yesterday', profiles: [] });
    const { foreground, searches } = foregroundOf({ ann: ['m1'] });
    searches.push({ userId: 'ann', at: T0 + 5, query: 'bees', resultIds: ['m1'] });
    const report = await runSleep({ store, clock, agents: [createPreloadingAgent()], budgetMs: 60_000, foreground });
    expect(report.reports[0]!.actions.preloaded).toBe(1);
  });

  it('should refuse a maxUsers or cost that is not a sensible number', () => {
    expect(() => createPreloadingAgent({ maxUsers: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => createPreloadingAgent({ cost: Number.NaN })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

describe('activity profiles', () => {
  const search = (userId: string, hour: number, day = 0): SearchActivity => ({ userId, at: T0 + day * 24 * HOUR + hour * HOUR, query: `q${hour}`, resultIds: [] });

  it('should rank a user who searches at this hour every day above one who searched recently at another hour, once habit weighs', () => {
    const profiles = observe({}, [search('morning', 9, 0), search('morning', 9, 1), search('morning', 9, 2), search('night', 23, 2)], 0);
    const at = T0 + 3 * 24 * HOUR + 8.5 * HOUR;
    expect(rankUsers(profiles, at, 0)).toEqual(['morning', 'night']);
    expect(likelihood(profiles.night!, at, 1)).toBeGreaterThan(likelihood(profiles.morning!, at, 1));
  });

  it('should let old habits fade by half every two weeks', () => {
    const profiles = observe({}, [search('ann', 9)], 0);
    expect(observe(profiles, [], 14 * 24 * HOUR).ann!.hours[9]).toBeCloseTo(0.5, 3);
  });

  it('should move its parameters toward what would have had the searchers ready, and not move without searches', () => {
    // Habit predicts who comes back at 9:00; recency points at whoever searched last night.
    const history = [0, 1, 2].flatMap((day) => [search('a', 9, day), search('b', 9, day), search('c', 22, day)]);
    const profiles = observe({}, history, 0);
    const rankedAt = T0 + 3 * 24 * HOUR + 8 * HOUR;
    const params = { users: 8, recencyWeight: 1 };
    const tuned = tune(profiles, rankedAt, ['a', 'b'], params, { maxUsers: 8, cost: 0.25 });
    expect(tuned.recencyWeight).toBeLessThan(1);
    expect(tuned.users).toBeLessThan(8);
    expect(tune(profiles, rankedAt, [], params, { maxUsers: 8, cost: 0.25 })).toEqual(params);
  });
});

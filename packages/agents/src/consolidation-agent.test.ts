import { createManualClock, createReferenceStore, type MemoryStore } from '@neuromem/core';
import type { SameFactJudge } from '@neuromem/retrieval';
import { CONSOLIDATION_STATE, createConsolidationAgent } from './consolidation-agent';
import { runSleep, undoSleep } from './run-sleep';

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1);
// Sam's home and Sam's lunch, as vectors a real embedder would keep apart.
const HOME = [1, 0, 0];
const LUNCH = [0, 0, 1];
const homes = new Set(['I rent a flat in Bristol', 'We moved to Leeds last month', 'Leeds is home now']);
const judge: SameFactJudge = (older, newer) => (homes.has(older.record.text) && homes.has(newer.record.text) ? 0.9 : 0.1);

async function seeded() {
  const clock = createManualClock(T0, { tick: 1 });
  const store = createReferenceStore({ vectorScales: { turn: 3 }, clock });
  const put = (text: string, day: number, vector: number[], userId = 'sam') =>
    store.put([{ text, scope: { userId }, eventTime: T0 + day * DAY, vectors: { turn: Float32Array.from(vector) } }]).then(([r]) => r!);
  const bristol = await put('I rent a flat in Bristol', 0, HOME);
  const soup = await put('Soup again for lunch', 10, LUNCH);
  const leeds = await put('We moved to Leeds last month', 200, [0.9, 0.1, 0]);
  const theirs = await put('I rent a flat in Bristol', 5, HOME, 'ana');
  return { clock, store, bristol, soup, leeds, theirs, put };
}

const supersedes = async (store: MemoryStore, id: string) => (await store.edges(id)).filter((e) => e.type === 'supersedes').map((e) => `${e.from}>${e.to}`);

describe('the consolidation agent', () => {
  it('should link a newer statement of a fact to the older one, and nothing else', async () => {
    const { clock, store, bristol, soup, leeds } = await seeded();
    const report = await runSleep({ store, clock, budgetMs: 10_000, userId: 'sam', agents: [createConsolidationAgent({ judge })] });
    expect(report.reports[0]!.actions).toMatchObject({ read: 3, linked: 1 });
    expect(await supersedes(store, bristol.id)).toEqual([`${leeds.id}>${bristol.id}`]);
    expect(await supersedes(store, soup.id)).toEqual([]);
    // The originals are untouched: same versions, same texts, one ADD each in history.
    for (const record of [bristol, soup, leeds]) {
      expect(await store.get(record.id)).toMatchObject({ version: 1, text: record.text });
      expect((await store.history(record.id)).map((h) => h.event)).toEqual(['ADD']);
    }
  });

  it('should never link across users, even for the same words', async () => {
    const { clock, store, theirs } = await seeded();
    await runSleep({ store, clock, budgetMs: 10_000, agents: [createConsolidationAgent({ judge })] });
    expect(await supersedes(store, theirs.id)).toEqual([]);
  });

  it('should read only what was stored since its last sleep, and link the new statement', async () => {
    const { clock, store, leeds, put } = await seeded();
    const agent = createConsolidationAgent({ judge });
    await runSleep({ store, clock, budgetMs: 10_000, userId: 'sam', agents: [agent] });
    expect(await store.readUserState!('sam', CONSOLIDATION_STATE)).toEqual({ after: leeds.id, createdAt: leeds.createdAt });
    const again = await put('Leeds is home now', 300, [0.92, 0.1, 0]);
    const report = await runSleep({ store, clock, budgetMs: 10_000, userId: 'sam', agents: [agent] });
    expect(report.reports[0]!.actions).toMatchObject({ read: 1, linked: 2 });
    expect((await supersedes(store, again.id)).sort()).toHaveLength(2);
  });

  it('should leave a memory the user deleted during the sleep alone, and be undone completely', async () => {
    const { clock, store, bristol, leeds } = await seeded();
    // The user's delete lands between the agent's read and its write.
    const exclusive = async <T>(write: () => Promise<T>) => {
      await store.delete(bristol.id).catch(() => undefined);
      return write();
    };
    const raced = await runSleep({ store, clock, budgetMs: 10_000, userId: 'sam', agents: [createConsolidationAgent({ judge })], exclusive });
    expect(raced.reports[0]!.actions.linked).toBe(0);
    expect(await store.get(bristol.id)).toBeNull();
    const fresh = await seeded();
    const { runId } = await runSleep({ store: fresh.store, clock: fresh.clock, budgetMs: 10_000, userId: 'sam', agents: [createConsolidationAgent({ judge })] });
    await undoSleep(fresh.store, runId);
    expect(await supersedes(fresh.store, fresh.bristol.id)).toEqual([]);
    expect(leeds.id).toBeDefined();
  });

  it("should never take another run's link away when it is undone, even after the memory it had read up to is gone", async () => {
    const { clock, store, bristol, leeds, put } = await seeded();
    const agent = createConsolidationAgent({ judge });
    await runSleep({ store, clock, budgetMs: 10_000, userId: 'sam', agents: [agent] });
    expect(await supersedes(store, bristol.id)).toEqual([`${leeds.id}>${bristol.id}`]);
    // The memory it had read up to is deleted; the next run must not claim the first run's link.
    await store.delete(leeds.id);
    const again = await put('Leeds is home now', 300, [0.92, 0.1, 0]);
    const second = await runSleep({ store, clock, budgetMs: 10_000, userId: 'sam', agents: [agent] });
    expect(second.reports[0]!.actions.read).toBe(1);
    await undoSleep(store, second.runId);
    expect(await supersedes(store, again.id)).toEqual([]);
    const left = (await store.edges(bristol.id)).filter((edge) => edge.type === 'supersedes' && edge.from === leeds.id);
    expect(left).toHaveLength(1);
  });

  it('should make again, at the next sleep, the links of a run that was rolled back', async () => {
    const { clock, store, bristol, leeds } = await seeded();
    const agent = createConsolidationAgent({ judge });
    const first = await runSleep({ store, clock, budgetMs: 10_000, userId: 'sam', agents: [agent] });
    await undoSleep(store, first.runId);
    expect(await supersedes(store, bristol.id)).toEqual([]);
    expect(await store.readUserState!('sam', CONSOLIDATION_STATE)).toBeNull();
    await runSleep({ store, clock, budgetMs: 10_000, userId: 'sam', agents: [agent] });
    expect(await supersedes(store, bristol.id)).toEqual([`${leeds.id}>${bristol.id}`]);
  });
});

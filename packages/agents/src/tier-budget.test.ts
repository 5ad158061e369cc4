import { createManualClock, createReferenceStore, type Embedder, type MemoryRecord, type MemoryStore } from '@neuromem/core';
import { createForgettingAgent } from './forgetting-agent';
import { runSleep, undoSleep } from './run-sleep';
import { applyTierBudget } from './tier-budget';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

/** Three dimensions from the text's length and vowels: enough to tell a restored vector from none. */
const embedder: Embedder = {
  specVersion: 'neuromem.embedder/v1',
  id: 'test-3d',
  scales: { turn: 3 },
  async embedSession(turns) {
    const vector = (text: string) => Float32Array.from([1, text.length / 100, (text.match(/[aeiou]/g) ?? []).length / 10]);
    return { turns: turns.map((text) => ({ vectors: { turn: vector(text) }, tokens: [] })), session: vector(turns.join(' ')) } as never;
  },
  async embedQuery() {
    return { vectors: { turn: Float32Array.from([1, 0, 0]) } };
  },
};

/** Utility as the importance a memory was stored with, plus a lift for each access. */
const utility = (memory: MemoryRecord) => memory.importance + memory.accessCount;

async function storeOf(importances: Record<string, number[]>) {
  const clock = createManualClock(T0, { tick: 1 });
  const store = createReferenceStore({ vectorScales: { turn: 3 }, clock });
  const ids: Record<string, string[]> = {};
  for (const [userId, list] of Object.entries(importances)) {
    const made = await store.put(
      list.map((importance, i) => ({ text: `${userId} memory ${i}`, scope: { userId }, eventTime: T0 + i * DAY, importance, vectors: { turn: Float32Array.from([1, i, 0]) } })),
    );
    ids[userId] = made.map((record) => record.id);
  }
  return { store, clock, ids };
}

const warmOf = async (store: MemoryStore, ids: readonly string[]) => {
  const has = await store.vectors(ids, 'turn');
  return ids.map((id) => has.has(id));
};

describe('a storage budget as tiers', () => {
  it("should keep vectors for the share of an owner's memories with the highest utility, and only that owner's", async () => {
    const { store, clock, ids } = await storeOf({ alice: [0.9, 0.1, 0.8, 0.2], bob: [0.1, 0.1] });
    const result = await applyTierBudget({ store, scope: { userId: 'alice' }, scale: 'turn', embedder, now: clock.now() }, { warmShare: 0.5, utility });
    expect(result).toEqual({ warm: 2, cold: 2, demoted: 2, promoted: 0, done: true });
    expect(await warmOf(store, ids.alice!)).toEqual([true, false, true, false]);
    expect(await warmOf(store, ids.bob!)).toEqual([true, true]);
    // Nothing about the memories changed: same text, no new version.
    expect((await store.get(ids.alice![1]!))!.text).toBe('alice memory 1');
    expect((await store.history(ids.alice![1]!)).map((h) => h.event)).toEqual(['ADD']);
  });

  it('should give a memory used again its vectors back, made from its text', async () => {
    const { store, clock, ids } = await storeOf({ alice: [0.9, 0.1, 0.8, 0.2] });
    const context = { store, scope: { userId: 'alice' }, scale: 'turn' as const, embedder, now: clock.now() };
    await applyTierBudget(context, { warmShare: 0.5, utility });
    // Memory 3 is returned twice: its utility now passes memory 2's.
    await store.recordAccess!([ids.alice![3]!, ids.alice![3]!]);
    expect(await applyTierBudget(context, { warmShare: 0.5, utility })).toMatchObject({ demoted: 1, promoted: 1 });
    expect(await warmOf(store, ids.alice!)).toEqual([true, false, false, true]);
    // The store keeps unit vectors: the restored one points where the text's own vector does.
    const [restored] = (await store.vectors([ids.alice![3]!], 'turn')).values();
    const made = (await embedder.embedSession(['alice memory 3'])).turns[0]!.vectors.turn!;
    const norm = Math.hypot(...made);
    [...restored!].forEach((x, i) => expect(x).toBeCloseTo(made[i]! / norm, 6));
  });

  it('should fade memories at each sleep, journaled, and give them back on undo', async () => {
    const { store, clock, ids } = await storeOf({ alice: [0.9, 0.1, 0.8, 0.2] });
    const report = await runSleep({ store, clock, embedder, budgetMs: 60_000, userId: 'alice', agents: [createForgettingAgent({ tiers: { warmShare: 0.25, utility } })] });
    expect(report.reports[0]!.actions).toEqual({ expired: 0, demoted: 3, promoted: 0 });
    expect(await warmOf(store, ids.alice!)).toEqual([true, false, false, false]);
    expect(await undoSleep(store, report.runId, { embedder })).toMatchObject({ undone: 3 });
    expect(await warmOf(store, ids.alice!)).toEqual([true, true, true, true]);
  });

  it('should leave a memory deleted meanwhile alone, and stop at the deadline', async () => {
    const { store, clock, ids } = await storeOf({ alice: [0.9, 0.1] });
    let deleted = false;
    const exclusive = async <T>(write: () => Promise<T>) => {
      if (!deleted) await store.delete(ids.alice![1]!, { scope: { userId: 'alice' } });
      deleted = true;
      return write();
    };
    const result = await applyTierBudget({ store, scope: { userId: 'alice' }, scale: 'turn', embedder, now: clock.now(), exclusive }, { warmShare: 0.5, utility });
    expect(result.demoted).toBe(0);
    const late = await applyTierBudget({ store, scope: { userId: 'alice' }, scale: 'turn', embedder, now: clock.now(), clock, deadline: clock.now() - 1 }, { warmShare: 0, utility });
    expect(late).toMatchObject({ done: false, demoted: 0 });
    expect(await warmOf(store, [ids.alice![0]!])).toEqual([true]);
  });

  it('should refuse a store that cannot keep memories without vectors', async () => {
    const { store, clock } = await storeOf({ alice: [0.5] });
    const plain: MemoryStore = { ...store, capabilities: { ...store.capabilities, vectorTiers: false } };
    await expect(applyTierBudget({ store: plain, scope: { userId: 'alice' }, scale: 'turn', now: clock.now() }, { warmShare: 0.5, utility })).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });
});

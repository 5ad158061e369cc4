import { createManualClock, createReferenceStore, type MemoryStore } from '@neuromem/core';
import { createMemory } from './create-memory';

const FACT = 'I adopted a beagle named Biscuit in May 2023, and he loves the park.';
const CHATTER = 'haha thanks!';

const hasVector = async (store: MemoryStore, id: string) => (await store.vectors([id], 'turn')).has(id);

describe('storage tiers (Module 3)', () => {
  it('should store memories below coldBelow without vectors, find them by their words and measure them from their text', async () => {
    const memory = await createMemory({ tiers: { coldBelow: 0.3 } });
    const [fact] = (await memory.add(FACT, { userId: 'alice' })).results;
    const [chatter] = (await memory.add(CHATTER, { userId: 'alice' })).results;
    const [given] = (await memory.add('thanks a lot', { userId: 'alice', importance: 0.9 })).results;
    expect(await hasVector(memory.store, fact!.id)).toBe(true);
    expect(await hasVector(memory.store, chatter!.id)).toBe(false);
    expect(await hasVector(memory.store, given!.id)).toBe(true);
    const [found] = (await memory.search('haha thanks', { userId: 'alice', limit: 1 })).results;
    expect(found!.id).toBe(chatter!.id);
    expect(found!.scoreBreakdown!.factors.turnSimilarity).toBeGreaterThan(0.3);
    await memory.close();
  });

  it('should give a cold memory its vectors back when feedback says it helped', async () => {
    const memory = await createMemory({ tiers: { coldBelow: 0.3 } });
    const [chatter] = (await memory.add(CHATTER, { userId: 'alice' })).results;
    await memory.feedback({ memoryId: chatter!.id, query: 'thanks', useful: false, userId: 'alice' });
    expect(await hasVector(memory.store, chatter!.id)).toBe(false);
    await memory.feedback({ memoryId: chatter!.id, query: 'thanks', useful: true, userId: 'alice' });
    expect(await hasVector(memory.store, chatter!.id)).toBe(true);
    await memory.close();
  });

  it("should keep vectors for the most useful share of a scope's memories, and only that scope's", async () => {
    const memory = await createMemory();
    const texts = [FACT, CHATTER, 'My sister Ana lives in Porto and works as a nurse.', 'ok', 'I booked the flight to Lisbon for 14 June, it cost $420.', 'lol'];
    const ids = [];
    for (const text of texts) ids.push((await memory.add(text, { userId: 'alice' })).results[0]!.id);
    const [theirs] = (await memory.add(CHATTER, { userId: 'bob' })).results;
    expect(await memory.retier({ userId: 'alice', warmShare: 0.5 })).toEqual({ warm: 3, cold: 3, demoted: 3, promoted: 0 });
    const warm = await Promise.all(ids.map((id) => hasVector(memory.store, id)));
    expect(warm).toEqual([true, false, true, false, true, false]);
    expect(await hasVector(memory.store, theirs!.id)).toBe(true);
    expect(await memory.retier({ userId: 'alice', warmShare: 1 })).toEqual({ warm: 6, cold: 0, demoted: 0, promoted: 3 });
    expect(await Promise.all(ids.map((id) => hasVector(memory.store, id)))).toEqual(ids.map(() => true));
    // Nothing about the memories changed: no new version, no history event.
    expect((await memory.history(ids[1]!)).map((row) => row.action)).toEqual(['ADD']);
    await memory.close();
  });

  it('should refuse bad shares and tier options, and a store that cannot keep memories without vectors', async () => {
    const memory = await createMemory();
    await memory.add(FACT, { userId: 'alice' });
    for (const warmShare of [-0.1, 1.5, Number.NaN, '0.5']) await expect(memory.retier({ userId: 'alice', warmShare } as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(memory.retier({ warmShare: 0.5 } as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const scales = { ...memory.embedder.scales };
    await memory.close();
    for (const tiers of [{ coldBelow: 2 }, { coldBelow: 0.2, extra: 1 }, 0.2, null]) await expect(createMemory({ tiers } as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const reference = createReferenceStore({ vectorScales: scales });
    const store: MemoryStore = { ...reference, capabilities: { ...reference.capabilities, vectorTiers: false } };
    await expect(createMemory({ store, tiers: { coldBelow: 0.3 } })).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    const plain = await createMemory({ store });
    await plain.add(FACT, { userId: 'alice' });
    await expect(plain.retier({ userId: 'alice', warmShare: 0.5 })).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    await plain.close();
  });

  it("should let each sleep fade the least useful share of a user's memories, give them back on undo, and never give facts vectors", async () => {
    const DAY = 86_400_000;
    // Years later: the memories' ages are alike, and what they say decides.
    const memory = await createMemory({ tiers: { warmShare: 0.5 }, clock: createManualClock(Date.UTC(2030, 0, 1)) });
    const add = async (text: string, day: number) => (await memory.add(text, { userId: 'sam', timestamp: Date.UTC(2025, 0, 6) + day * DAY })).results[0]!.id;
    const ids = [
      await add('I work as a nurse at the Royal Infirmary, mostly night shifts.', 0),
      await add('haha ok', 1),
      await add('Had the best ramen for lunch today.', 3),
      await add('lol thanks', 4),
      await add('I left the Royal Infirmary: no more night shifts as a nurse, I work as a teacher now.', 170),
      await add('cool', 171),
    ];
    const [theirs] = (await memory.add('haha ok', { userId: 'bob' })).results;
    const report = await memory.sleep({ userId: 'sam', budgetMs: 10_000 });
    expect(report.reports.find((r) => r.agent === 'forgetting')!.actions).toEqual({ expired: 0, demoted: 3, promoted: 0 });
    // The chatter fades; the job, its change and the lunch keep their vectors.
    expect(await Promise.all(ids.map((id) => hasVector(memory.store, id)))).toEqual([true, false, true, false, true, false]);
    expect(await hasVector(memory.store, theirs!.id)).toBe(true);
    const facts = (await memory.getAll({ userId: 'sam', facts: true })).results.filter((item) => !ids.includes(item.id));
    expect(facts).toHaveLength(1);
    // Everything warm for one sleep: the memories get their vectors back, the fact still has none.
    await memory.sleep({ userId: 'sam', budgetMs: 10_000, warmShare: 1 });
    expect(await Promise.all(ids.map((id) => hasVector(memory.store, id)))).toEqual(ids.map(() => true));
    expect(await hasVector(memory.store, facts[0]!.id)).toBe(false);
    const again = await memory.sleep({ userId: 'sam', budgetMs: 10_000, warmShare: 0 });
    expect(await Promise.all(ids.map((id) => hasVector(memory.store, id)))).toEqual(ids.map(() => false));
    // Still found by their words, and undo gives every vector back.
    expect((await memory.search('ramen lunch', { userId: 'sam' })).results[0]!.id).toBe(ids[2]);
    await memory.undoSleep(again.runId);
    expect(await Promise.all(ids.map((id) => hasVector(memory.store, id)))).toEqual(ids.map(() => true));
    await memory.close();
  });

  it('should refuse a bad warm share for a sleep, and changes nothing', async () => {
    const memory = await createMemory();
    const [fact] = (await memory.add(FACT, { userId: 'alice' })).results;
    for (const warmShare of [-0.1, 1.5, Number.NaN, '0.5']) await expect(memory.sleep({ warmShare } as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(await hasVector(memory.store, fact!.id)).toBe(true);
    await memory.close();
    for (const tiers of [{ warmShare: -1 }, {}, { warmShare: Number.NaN }]) await expect(createMemory({ tiers } as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

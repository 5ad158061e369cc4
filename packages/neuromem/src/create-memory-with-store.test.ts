import { createManualClock, createReferenceStore, supports, type MemoryStore } from '@neuromem/core';
import { createMemory } from './create-memory';

const MAY_8 = Date.UTC(2023, 4, 8, 13, 56);
const clock = () => createManualClock(MAY_8, { tick: 1 });

/** The default embedder's scales, read once from a throwaway memory. */
async function defaultScales() {
  const probe = await createMemory();
  const scales = { ...probe.embedder.scales };
  await probe.close();
  return scales;
}

describe('createMemory({ store })', () => {
  it('should run the whole memory on a store that has no optional capability', async () => {
    const store = createReferenceStore({ vectorScales: await defaultScales(), clock: clock() });
    expect(supports(store, 'textSearch')).toBe(false);
    const memory = await createMemory({ store, clock: clock() });
    expect(memory.store).toBe(store);
    await memory.add('I adopted a beagle named Biscuit last spring', { userId: 'alice', runId: 'pets', timestamp: MAY_8 });
    await memory.add('So I bought a bigger car for the dog', { userId: 'alice', runId: 'pets', timestamp: MAY_8 + 1000 });
    await memory.add('My sister works as a nurse in Boston', { userId: 'alice', runId: 'family', timestamp: MAY_8 + 2000 });
    await memory.add('I adopted a cat named Miso', { userId: 'bob', timestamp: MAY_8 });

    const { results } = await memory.search('what is my beagle called?', { userId: 'alice' });
    expect(results[0]!.memory).toBe('I adopted a beagle named Biscuit last spring');
    expect(results.every((r) => r.userId === 'alice')).toBe(true);
    // The facade extracted what the store was given: entities, and the causal cue of "So ...".
    const [beagle, car] = (await store.list({ scope: { userId: 'alice', sessionId: 'pets' } })).map((r) => r.id);
    expect((await store.entities([beagle!])).get(beagle!)).toEqual(expect.arrayContaining(['name:biscuit']));
    expect((await store.neighbors(beagle!, { types: ['causes'], direction: 'out' })).map((n) => n.id)).toEqual([car]);
    await memory.close();
  });

  it("should answer a user with no memories from the first searches alone, reading nothing of anyone else's", async () => {
    const store = createReferenceStore({ vectorScales: await defaultScales(), clock: clock() });
    const memory = await createMemory({ store, clock: clock() });
    await memory.add('I adopted a beagle named Biscuit last spring', { userId: 'alice', timestamp: MAY_8 });
    const called: string[] = [];
    const counting = new Proxy(store, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver);
        return typeof value === 'function' ? (...args: unknown[]) => (called.push(String(name)), value.apply(target, args)) : value;
      },
    });
    const newcomer = await createMemory({ store: counting, clock: clock() });
    called.length = 0;
    expect((await newcomer.search('what is my beagle called, Biscuit?', { userId: 'carol' })).results).toEqual([]);
    // Vector and session search for the scope, then nothing: no records, entities, links or vectors read.
    expect(called.filter((name) => ['getMany', 'entities', 'neighbors', 'vectors', 'list'].includes(name))).toEqual([]);
    await newcomer.close();
    await memory.close();
  });

  it('should refuse a store whose vectors do not fit the embedder, and leave it untouched', async () => {
    const scales = await defaultScales();
    const store = createReferenceStore({ vectorScales: { ...scales, turn: scales.turn! + 1 } });
    await expect(createMemory({ store })).rejects.toMatchObject({ code: 'DIMENSION_MISMATCH', details: { scale: 'turn' } });
    expect(await store.count()).toBe(0);
  });

  it('should refuse path and store together, and a store that is not one', async () => {
    const store = createReferenceStore({ vectorScales: { turn: 4 } });
    await expect(createMemory({ store, path: '/tmp/never-written' })).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { field: 'path' } });
    await expect(createMemory({ store: { put: 'no' } as unknown as MemoryStore })).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { field: 'store' } });
  });

  it("should open a store from a function given the embedder's vector sizes, and close it when the open fails", async () => {
    let opened: MemoryStore | undefined;
    const open = async ({ vectorScales }: { vectorScales: Parameters<typeof createReferenceStore>[0]['vectorScales'] }) => (opened = createReferenceStore({ vectorScales }));
    const memory = await createMemory({ store: open });
    expect(memory.store).toBe(opened);
    expect(memory.store.vectorScales).toEqual(memory.embedder.scales);
    await memory.add('opened by the memory itself', { userId: 'u' });
    expect(await opened!.count()).toBe(1);
    await memory.close();

    await expect(createMemory({ store: open, excludeFactors: ['shoeSize' as never] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(opened!.count()).rejects.toMatchObject({ code: 'CLOSED' });
  });
});

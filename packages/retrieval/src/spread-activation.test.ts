import { createManualClock, createReferenceStore, type MemoryStore } from '@neuromem/core';
import { randomUnitVectors } from '@neuromem/core/testing';
import { createSqliteStore } from '@neuromem/store';
import { spreadActivation } from './spread-activation';

const dimensions = 4;
const scales = { turn: dimensions };

/** The same small graph in any store: a session of four turns (next edges) and links among six memories. */
async function fill(store: MemoryStore): Promise<void> {
  const vectors = randomUnitVectors(10, dimensions, 7);
  const turn = (id: string, i: number, sessionId?: string) => ({ id, text: `memory ${id}`, scope: { userId: 'u', ...(sessionId ? { sessionId } : {}) }, vectors: { turn: vectors[i]! } });
  await store.put(['t1', 't2', 't3', 't4'].map((id, i) => turn(id, i, 'chat')));
  await store.put(['a', 'b', 'c', 'd', 'e', 'far'].map((id, i) => turn(id, 4 + i)));
  await store.link([
    { from: 'a', to: 'b', type: 'related', weight: 1 },
    { from: 'b', to: 'c', type: 'related', weight: 0.5 },
    { from: 'c', to: 't2', type: 'causes', weight: 0.4 },
    { from: 'a', to: 'd', type: 'same_entity', weight: 1 },
    { from: 'd', to: 'e', type: 'related', weight: 1 },
  ]);
}

describe('spreadActivation over any store', () => {
  const clock = () => createManualClock(Date.UTC(2024, 0, 1), { tick: 1 });

  it("should walk a store without graphActivation through neighbors, as the SQLite store's own walk does", async () => {
    const reference = createReferenceStore({ vectorScales: scales, clock: clock() });
    const sqlite = await createSqliteStore({ vectorScales: scales, clock: clock() });
    await fill(reference);
    await fill(sqlite);
    for (const [seeds, options] of [
      [new Map([['a', 1]]), {}],
      [
        new Map([
          ['a', 1],
          ['t3', 0.5],
        ]),
        { restart: 0.3 },
      ],
      [
        new Map([
          ['c', 2],
          ['unknown-id', 5],
        ]),
        { depth: 3 },
      ],
      [new Map([['t1', 1]]), { types: ['next' as const], iterations: 5 }],
    ] as const) {
      const walked = await spreadActivation(reference, seeds, options);
      const native = await spreadActivation(sqlite, seeds, options);
      expect([...walked.keys()].sort()).toEqual([...native.keys()].sort());
      for (const [id, p] of native) expect(walked.get(id)).toBeCloseTo(p, 9);
    }
    await sqlite.close();
  });

  it('should leave out session nodes, unlinked memories and unknown seeds, and stay inside maxNodes', async () => {
    const store = createReferenceStore({ vectorScales: scales, clock: clock() });
    await fill(store);
    const activation = await spreadActivation(store, new Map([['t1', 1]]), { types: ['part_of', 'next'] });
    expect([...activation.keys()].sort()).toEqual(['t1', 't2', 't3', 't4']);
    expect(activation.has('far')).toBe(false);
    expect((await spreadActivation(store, new Map([['a', 1]]), { maxNodes: 3 })).size).toBeLessThanOrEqual(3);
    expect(await spreadActivation(store, new Map([['unknown-id', 1]]))).toEqual(new Map());
    await expect(spreadActivation(store, new Map([['a', -1]]))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(spreadActivation(store, new Map([['a', 1]]), { restart: 1 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

import { cosineSimilarity } from '@neuromem/core';
import { randomUnitVectors } from '@neuromem/core/testing';
import { createOwnerVectorSegments, packRows, type OwnedRowsReader, type VectorOwner } from './owner-vector-segments';
import { quantizeUnit } from './int8-vector';

const dimensions = 32;
const alice: VectorOwner = { userId: 'alice', agentId: null };
const vectors = randomUnitVectors(200, dimensions, 7);
/** Each vector's memory, named after its key. */
const idOf = (key: number) => `m${key}`;
const keyOf = (id: string) => Number(id.slice(1));
const rows = (keys: number[]) =>
  packRows(
    keys.map((key) => ({ key, ...quantizeUnit(vectors[key]!) })),
    dimensions,
  );
const exactTop = (query: Float32Array, keys: number[], k: number) =>
  keys
    .map((key) => ({ key, similarity: cosineSimilarity(query, vectors[key]!) }))
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, k)
    .map((m) => m.key);

describe('createOwnerVectorSegments', () => {
  it("should find an owner's nearest keys from its segment, within int8 rounding of the exact cosine", () => {
    const segments = createOwnerVectorSegments({ budgetBytes: 1 << 20, maxRows: 1000 });
    const keys = Array.from({ length: 100 }, (_, i) => i);
    const query = vectors[150]!;
    const found = segments.nearest('turn', alice, query, 10, () => rows(keys))!;
    expect(found).toHaveLength(10);
    // The exact top 5 are all among the int8 top 10 (a short list the store re-scores exactly).
    expect(found.map((m) => m.key)).toEqual(expect.arrayContaining(exactTop(query, keys, 5)));
    for (const match of found) expect(match.similarity).toBeCloseTo(cosineSimilarity(query, vectors[match.key]!), 1);
  });

  it('should re-score a short list by the float query against each int8 row, as reading the stored int8 vectors back would', () => {
    const segments = createOwnerVectorSegments({ budgetBytes: 1 << 20, maxRows: 1000 });
    const keys = Array.from({ length: 100 }, (_, i) => i);
    const query = vectors[150]!;
    const found = segments.nearest('turn', alice, query, 5, () => rows(keys), 20)!;
    // The cosine of the float query with the row as stored (int8 values times any scale).
    const storedCosine = (key: number) => cosineSimilarity(query, Float32Array.from(quantizeUnit(vectors[key]!).data));
    const expected = [...segments.nearest('turn', alice, query, 20, () => rows(keys))!]
      .map((m) => m.key)
      .sort((a, b) => storedCosine(b) - storedCosine(a))
      .slice(0, 5);
    expect(found.map((m) => m.key)).toEqual(expected);
    for (const match of found) expect(match.similarity).toBeCloseTo(storedCosine(match.key), 5);
    expect(found.map((m) => m.key)).toEqual(exactTop(query, keys, 5));
  });

  it('should read the owner from SQLite once, then follow commits: new vectors in, removed ones out', () => {
    const segments = createOwnerVectorSegments({ budgetBytes: 1 << 20, maxRows: 1000 });
    const load = jest.fn(() => rows([1, 2, 3]));
    expect(segments.nearest('turn', alice, vectors[1]!, 1, load)![0]!.key).toBe(1);
    segments.apply([{ scale: 'turn', key: 50, memoryId: idOf(50), owner: alice, vector: vectors[50]! }], [{ scale: 'turn', key: 1, memoryId: idOf(1), owner: alice }]);
    expect(segments.nearest('turn', alice, vectors[50]!, 1, load)![0]!.key).toBe(50);
    expect(
      segments
        .nearest('turn', alice, vectors[1]!, 5, load)!
        .map((m) => m.key)
        .sort((a, b) => a - b),
    ).toEqual([2, 3, 50]);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('should not add twice a vector that was already read from SQLite when its commit is replayed', () => {
    const segments = createOwnerVectorSegments({ budgetBytes: 1 << 20, maxRows: 1000 });
    segments.nearest('turn', alice, vectors[0]!, 1, () => rows([1, 2, 3]));
    segments.apply([{ scale: 'turn', key: 3, memoryId: idOf(3), owner: alice, vector: vectors[3]! }], []);
    expect(
      segments
        .nearest('turn', alice, vectors[3]!, 10, () => rows([]))!
        .map((m) => m.key)
        .sort(),
    ).toEqual([1, 2, 3]);
  });

  it("should put a user-and-agent vector in the user's, the agent's and the pair's segments, and no one else's", () => {
    const segments = createOwnerVectorSegments({ budgetBytes: 1 << 20, maxRows: 1000 });
    const pair = { userId: 'alice', agentId: 'helper' };
    const owners: VectorOwner[] = [alice, { userId: null, agentId: 'helper' }, pair, { userId: 'bob', agentId: null }, { userId: 'bob', agentId: 'helper' }];
    for (const owner of owners) segments.nearest('turn', owner, vectors[0]!, 5, () => rows([]));
    segments.apply([{ scale: 'turn', key: 9, memoryId: idOf(9), owner: pair, vector: vectors[9]! }], []);
    const holds = owners.map((owner) => segments.nearest('turn', owner, vectors[9]!, 5, () => rows([]))!.length);
    expect(holds).toEqual([1, 1, 1, 0, 0]);
    // Another scale's segment of the same owner is untouched.
    expect(segments.nearest('session', alice, vectors[9]!, 5, () => rows([]))).toEqual([]);
  });

  it('should leave owners larger than maxRows to the ANN index, also when they grow past it', () => {
    const segments = createOwnerVectorSegments({ budgetBytes: 1 << 20, maxRows: 3 });
    expect(segments.nearest('turn', alice, vectors[0]!, 1, (limit) => rows([1, 2, 3, 4, 5].slice(0, limit)))).toBeUndefined();
    const bob = { userId: 'bob', agentId: null };
    expect(segments.nearest('turn', bob, vectors[0]!, 1, () => rows([6, 7, 8]))).toHaveLength(1);
    segments.apply([{ scale: 'turn', key: 9, memoryId: idOf(9), owner: bob, vector: vectors[9]! }], []);
    expect(segments.nearest('turn', bob, vectors[0]!, 1, () => rows([6, 7, 8, 9]))).toBeUndefined();
  });

  it('should evict the least recently used segments beyond its byte budget and read them again on demand', () => {
    const segments = createOwnerVectorSegments({ budgetBytes: 3_000, maxRows: 1000 });
    const loads = new Map<string, number>();
    const loader = (user: string) => () => (loads.set(user, (loads.get(user) ?? 0) + 1), rows([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]));
    for (const user of ['a', 'b', 'c', 'a']) segments.nearest('turn', { userId: user, agentId: null }, vectors[0]!, 1, loader(user));
    // A segment of 16 rows x 32 dims costs 16 x (32 + 8 + 4) = 704 bytes: four fit, so nothing was read twice.
    expect([...loads.values()]).toEqual([1, 1, 1]);
    for (const user of ['d', 'e', 'f', 'g', 'a']) segments.nearest('turn', { userId: user, agentId: null }, vectors[0]!, 1, loader(user));
    expect(loads.get('a')).toBe(2);
  });
  it('should hand out the vectors of the memories it knows, as the stored int8 rows at length 1, and keep them in step with commits', () => {
    const segments = createOwnerVectorSegments({ budgetBytes: 1 << 20, maxRows: 1000 });
    const bob: VectorOwner = { userId: 'bob', agentId: null };
    const learnKeys = (owner: VectorOwner, keys: number[]) =>
      segments.learn(
        'turn',
        owner,
        keys.map((key) => ({ key, memoryId: idOf(key) })),
      );
    // No segment in memory yet: nothing is read, nothing is given, nothing learned.
    learnKeys(alice, [1, 2]);
    expect(segments.vectorsOf('turn', alice, ['m1', 'm2']).size).toBe(0);
    segments.nearest('turn', alice, vectors[1]!, 1, () => rows([1, 2, 3, 4]));
    // Read from SQLite by key: which memory a row is, it does not know until told.
    expect(segments.vectorsOf('turn', alice, ['m1', 'm3']).size).toBe(0);
    learnKeys(alice, [1, 3, 99]);
    const given = segments.vectorsOf('turn', alice, ['m1', 'm3', 'm99']);
    // A key the segment does not hold (another owner's, or unknown) is not learned; its memory is left to the caller.
    expect([...given.keys()]).toEqual(['m1', 'm3']);
    for (const [id, vector] of given) {
      expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
      expect(cosineSimilarity(vector, Float32Array.from(quantizeUnit(vectors[keyOf(id)]!).data))).toBeCloseTo(1, 6);
    }
    // A removal swaps the last row into the removed one's place; an append lands at the end, its memory unknown until told.
    learnKeys(alice, [2, 4]);
    segments.apply([{ scale: 'turn', key: 60, memoryId: idOf(60), owner: alice, vector: vectors[60]! }], [{ scale: 'turn', key: 2, memoryId: idOf(2), owner: alice }]);
    expect(segments.vectorsOf('turn', alice, ['m60']).size).toBe(0);
    learnKeys(alice, [60]);
    const after = segments.vectorsOf('turn', alice, ['m1', 'm2', 'm3', 'm4', 'm60']);
    expect([...after.keys()]).toEqual(['m1', 'm3', 'm4', 'm60']);
    for (const [id, vector] of after) expect(cosineSimilarity(vector, vectors[keyOf(id)]!)).toBeGreaterThan(0.99);
    expect(segments.vectorsOf('turn', bob, ['m1', 'm3']).size).toBe(0);
    expect(segments.vectorsOf('session', alice, ['m1', 'm3']).size).toBe(0);
  });

  it.each([
    ['ascending keys', [1, 2, 3, 5, 8, 13]],
    ['keys read out of order', [8, 2, 13, 1, 5, 3]],
  ])("should learn every held key's memory, whatever order its keys are in (%s), before and after removals", (_, keys) => {
    const segments = createOwnerVectorSegments({ budgetBytes: 1 << 20, maxRows: 1000 });
    segments.nearest('turn', alice, vectors[1]!, 1, () => rows(keys));
    const learnAll = (held: number[]) =>
      segments.learn(
        'turn',
        alice,
        [...held, 99].map((key) => ({ key, memoryId: idOf(key) })),
      );
    const expectKnown = (held: number[]) => {
      const given = segments.vectorsOf('turn', alice, [...held, 99].map(idOf));
      expect([...given.keys()].sort()).toEqual(held.map(idOf).sort());
      for (const [id, vector] of given) expect(cosineSimilarity(vector, vectors[keyOf(id)]!)).toBeGreaterThan(0.99);
    };
    learnAll(keys);
    expectKnown(keys);
    // An append keeps ascending keys ascending; removing a row in the middle swaps the last one into it.
    segments.apply([{ scale: 'turn', key: 40, memoryId: idOf(40), owner: alice, vector: vectors[40]! }], [{ scale: 'turn', key: 2, memoryId: idOf(2), owner: alice }]);
    const held = [...keys.filter((key) => key !== 2), 40];
    learnAll(held);
    expectKnown(held);
    segments.apply([], [{ scale: 'turn', key: 13, memoryId: idOf(13), owner: alice }]);
    expectKnown(held.filter((key) => key !== 13));
  });

  it("should give an updated memory's new vector (its old row removed, a new key appended in one commit) and nothing once it is deleted", () => {
    const segments = createOwnerVectorSegments({ budgetBytes: 1 << 20, maxRows: 1000 });
    segments.nearest('turn', alice, vectors[1]!, 1, () => rows([1, 2, 3]));
    segments.learn(
      'turn',
      alice,
      [1, 2, 3].map((key) => ({ key, memoryId: idOf(key) })),
    );
    // Memory m1 rewritten: its vector moves from key 1 to key 70.
    segments.apply([{ scale: 'turn', key: 70, memoryId: 'm1', owner: alice, vector: vectors[70]! }], [{ scale: 'turn', key: 1, memoryId: 'm1', owner: alice }]);
    // Its old row is forgotten, so the caller asks SQLite, which names the new key.
    expect(segments.vectorsOf('turn', alice, ['m1']).size).toBe(0);
    segments.learn('turn', alice, [{ key: 70, memoryId: 'm1' }]);
    expect(cosineSimilarity(segments.vectorsOf('turn', alice, ['m1']).get('m1')!, vectors[70]!)).toBeGreaterThan(0.99);
    // The row swapped into key 1's place still answers for its own memory.
    expect(cosineSimilarity(segments.vectorsOf('turn', alice, ['m3']).get('m3')!, vectors[3]!)).toBeGreaterThan(0.99);
    segments.apply([], [{ scale: 'turn', key: 70, memoryId: 'm1', owner: alice }]);
    expect([...segments.vectorsOf('turn', alice, ['m1', 'm2', 'm3']).keys()]).toEqual(['m2', 'm3']);
    expect(
      segments
        .nearest('turn', alice, vectors[70]!, 5, () => rows([]))!
        .map((m) => m.key)
        .sort((a, b) => a - b),
    ).toEqual([2, 3]);
  });
});

describe('owner segments in blocks', () => {
  const noLoad = () => rows([]);
  const appended = (key: number, vector = vectors[key]!) => ({ scale: 'turn' as const, key, memoryId: idOf(key), owner: alice, vector });
  const removed = (key: number) => ({ scale: 'turn' as const, key, memoryId: idOf(key), owner: alice });

  it('should scan, re-score, hand out and remove rows across blocks as it does in one', () => {
    // Blocks of 5 rows: 23 rows read are four full blocks and a short one, which appends grow.
    const blocks = createOwnerVectorSegments({ budgetBytes: 1 << 20, maxRows: 1000, blockBytes: 5 * dimensions });
    const one = createOwnerVectorSegments({ budgetBytes: 1 << 20, maxRows: 1000 });
    const read = Array.from({ length: 23 }, (_, i) => i);
    const gone = [0, 7, 12, 22, 101, 129, 115, 3];
    const held = [...read, ...Array.from({ length: 30 }, (_, i) => 100 + i)].filter((key) => !gone.includes(key));
    for (const segments of [blocks, one]) {
      segments.nearest('turn', alice, vectors[0]!, 1, () => rows(read));
      for (let key = 100; key < 130; key++) segments.apply([appended(key)], []);
      segments.apply([], gone.map(removed));
      segments.learn(
        'turn',
        alice,
        held.map((key) => ({ key, memoryId: idOf(key) })),
      );
    }
    for (const query of [vectors[150]!, vectors[5]!, vectors[120]!]) {
      const found = blocks.nearest('turn', alice, query, 10, noLoad, 20)!;
      expect(found).toEqual(one.nearest('turn', alice, query, 10, noLoad, 20));
      expect(found.map((m) => m.key).every((key) => held.includes(key))).toBe(true);
      expect(found.map((m) => m.key)).toEqual(expect.arrayContaining(exactTop(query, held, 3)));
    }
    const ids = held.map(idOf);
    expect(blocks.vectorsOf('turn', alice, ids)).toEqual(one.vectorsOf('turn', alice, ids));
    expect(blocks.vectorsOf('turn', alice, ids).size).toBe(held.length);
  });

  it("should hold a writer's growing segment in about the bytes of its rows", () => {
    const many = randomUnitVectors(1000, dimensions, 11);
    const segments = createOwnerVectorSegments({ budgetBytes: 1 << 20, maxRows: 5000, blockBytes: 50 * dimensions });
    segments.nearest('turn', alice, many[0]!, 1, noLoad);
    for (let key = 1; key <= 1000; key++) segments.apply([appended(key, many[key - 1]!)], []);
    // Each row, its key and its inverse norm; beyond them at most the last block's 50 rows and a
    // quarter more room in the key arrays (grown a quarter at a time, as a buffer of rows once was).
    const rowBytes = dimensions + 8 + 8;
    expect(segments.bytes).toBeGreaterThanOrEqual(1000 * rowBytes);
    expect(segments.bytes).toBeLessThanOrEqual(1000 * rowBytes + 50 * dimensions + 250 * 16);
    expect(segments.nearest('turn', alice, many[400]!, 1, noLoad)![0]!.key).toBe(401);
  });
});

describe('owner segments under churn', () => {
  it.each([
    ['one block each', undefined],
    ['blocks of 6 rows', 6 * dimensions],
  ])('should keep every owner its own rows while segments are evicted, reloaded, grown and shrunk in a small budget (%s)', (_, blockBytes) => {
    // About three 40-row segments fit: eight owners taking turns evict one another all the time, and
    // their rows share the same few regions of memory.
    const segments = createOwnerVectorSegments({ budgetBytes: 3 * 40 * (dimensions + 16), maxRows: 1000, ...(blockBytes ? { blockBytes } : {}) });
    const owners = Array.from({ length: 8 }, (_, i): VectorOwner => ({ userId: `user-${i}`, agentId: null }));
    const held = owners.map((_, i) => Array.from({ length: 20 }, (_, j) => i * 20 + j));
    let seed = 3;
    const random = () => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 4_294_967_296;
    for (let step = 0; step < 400; step++) {
      const i = Math.floor(random() * owners.length);
      const owner = owners[i]!;
      const keys = held[i]!;
      if (random() < 0.3 && keys.length > 1) {
        const key = keys.splice(Math.floor(random() * keys.length), 1)[0]!;
        segments.apply([], [{ scale: 'turn', key, memoryId: idOf(key), owner }]);
      } else if (random() < 0.3) {
        // A key above every key read so far (later keys are always larger), from the shared vectors.
        const key = 160 + step;
        keys.push(key);
        vectors[key] ??= randomUnitVectors(1, dimensions, key)[0]!;
        segments.apply([{ scale: 'turn', key, memoryId: idOf(key), owner, vector: vectors[key]! }], []);
      }
      const query = vectors[keys[Math.floor(random() * keys.length)]!]!;
      const found = segments.nearest('turn', owner, query, 3, () => rows(keys))!;
      expect(found.map((m) => m.key).every((key) => keys.includes(key))).toBe(true);
      expect(found.map((m) => m.key)).toEqual(expect.arrayContaining(exactTop(query, keys, 1)));
    }
  });

  describe('following writers', () => {
    /** What SQLite holds per segment, and the segment reads made. */
    const fakeStore = () => {
      const held = new Map<string, number[]>();
      const reads: string[] = [];
      const name = (owner: VectorOwner) => `${owner.userId}/${owner.agentId}`;
      const readOwned: OwnedRowsReader = (_scale, owner, limit) => {
        reads.push(name(owner));
        return rows((held.get(name(owner)) ?? []).slice(0, limit));
      };
      /** Commits one vector: SQLite first, then the segments follow. */
      const commit = (segments: ReturnType<typeof createOwnerVectorSegments>, owner: VectorOwner, key: number) => {
        const names = [name({ userId: owner.userId, agentId: null }), name({ userId: null, agentId: owner.agentId }), name(owner)];
        for (const segment of new Set(names)) held.set(segment, [...(held.get(segment) ?? []), key]);
        segments.apply([{ scale: 'turn', key, memoryId: idOf(key), owner, vector: vectors[key]! }], []);
      };
      return { held, reads, readOwned, commit };
    };
    const noRead = () => {
      throw new Error('a search read a segment');
    };

    it("should read a writer's segment at its commit, so that the writer's first search reads nothing", () => {
      const store = fakeStore();
      store.held.set('alice/null', [1, 2, 3]);
      const segments = createOwnerVectorSegments({ budgetBytes: 1 << 20, maxRows: 1000, readOwned: store.readOwned });
      store.commit(segments, alice, 4);
      store.commit(segments, alice, 5);
      expect(store.reads).toEqual(['alice/null']);
      const found = segments.nearest('turn', alice, vectors[5]!, 10, noRead)!;
      expect(found.map((m) => m.key).sort()).toEqual([1, 2, 3, 4, 5]);
    });

    it('should evict no one for a writer, and not read a segment it had no room for again until room is made', () => {
      const store = fakeStore();
      const sixteen = Array.from({ length: 16 }, (_, i) => i + 1);
      const segments = createOwnerVectorSegments({ budgetBytes: 3_000, maxRows: 1000, readOwned: store.readOwned });
      // Three searched users fill most of the budget (about 800 bytes each).
      for (const user of ['a', 'b', 'c']) segments.nearest('turn', { userId: user, agentId: null }, vectors[0]!, 1, () => rows(sixteen));
      const writer = { userId: 'd', agentId: null };
      store.held.set('d/null', sixteen);
      store.commit(segments, writer, 17);
      store.commit(segments, writer, 18);
      expect(store.reads).toEqual(['d/null']);
      for (const user of ['a', 'b', 'c']) expect(segments.nearest('turn', { userId: user, agentId: null }, vectors[0]!, 1, noRead)).toHaveLength(1);
      segments.clear();
      store.commit(segments, writer, 19);
      expect(store.reads).toEqual(['d/null', 'd/null']);
      expect(segments.nearest('turn', writer, vectors[19]!, 20, noRead)).toHaveLength(19);
    });

    it("should follow a user's own segments, not an agent's alone, and skip a segment whose read fails", () => {
      const store = fakeStore();
      const segments = createOwnerVectorSegments({ budgetBytes: 1 << 20, maxRows: 1000, readOwned: store.readOwned });
      store.commit(segments, { userId: null, agentId: 'helper' }, 1);
      store.commit(segments, { userId: 'alice', agentId: 'helper' }, 2);
      expect(store.reads).toEqual(['alice/null', 'alice/helper']);
      const failing = createOwnerVectorSegments({
        budgetBytes: 1 << 20,
        maxRows: 1000,
        readOwned: () => {
          throw new Error('disk I/O error');
        },
      });
      expect(() => failing.apply([{ scale: 'turn', key: 3, memoryId: idOf(3), owner: alice, vector: vectors[3]! }], [])).not.toThrow();
      expect(failing.nearest('turn', alice, vectors[3]!, 1, () => rows([3]))![0]!.key).toBe(3);
    });
  });
});

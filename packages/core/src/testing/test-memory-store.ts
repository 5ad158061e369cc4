import { createManualClock, type ManualClock } from '../clock';
import { CAPABILITY_METHODS, STORE_CAPABILITIES, type MemoryStore, type NewMemory, type StoreCapabilities } from '../memory-store';
import { perturb, randomUnitVectors } from './random';
import { createTempDir } from './temp-dir';
import { graphCases } from './memory-store-graph-cases';
import { lifecycleCases } from './memory-store-lifecycle-cases';
import { ownershipCases } from './memory-store-ownership-cases';
import { userStateCases } from './memory-store-user-state-cases';
import { vectorTierCases } from './memory-store-vector-tier-cases';
import { DAY, itWhen, retrievalCases, T0, type StoreFixture } from './memory-store-retrieval-cases';

export interface MemoryStoreSuiteOptions {
  name?: string;
  /**
   * Opens a store with `vectorScales: { turn, session, token }` all of `dimensions`. `directory` is fresh per test;
   * calling `create` again with the same directory must reopen a persistent store.
   */
  create: (options: { dimensions: number; directory: string; clock: ManualClock }) => Promise<MemoryStore>;
  /**
   * What the store declares (`store.capabilities`, checked by the suite). The tests of each optional
   * capability it lacks are skipped, and reported as skipped, never passed.
   */
  capabilities: StoreCapabilities;
}

/** The behaviour every `MemoryStore` must show, and that of each capability it declares. */
export function testMemoryStore({ name = 'MemoryStore', create, capabilities }: MemoryStoreSuiteOptions): void {
  const dimensions = 16;

  describe(`${name} (MemoryStore conformance)`, () => {
    let dir: ReturnType<typeof createTempDir>;
    let clock: ManualClock;
    // Typed with every optional method; the cases of a capability run only when the store has it.
    let store: Required<MemoryStore>;
    let seed = 1;
    const vector = () => randomUnitVectors(1, dimensions, seed++)[0]!;
    const memory = (text: string, extra: Partial<NewMemory> = {}): NewMemory => ({
      text,
      scope: { userId: 'alice' },
      vectors: { turn: vector() },
      ...extra,
    });

    beforeEach(async () => {
      dir = createTempDir();
      clock = createManualClock(T0 + 30 * DAY, { tick: 1 });
      store = (await create({ dimensions, directory: dir.path, clock })) as Required<MemoryStore>;
    });
    afterEach(async () => {
      await store.close().catch(() => undefined);
      dir.remove();
    });

    const fixture: StoreFixture = {
      get store() {
        return store;
      },
      get clock() {
        return clock;
      },
      memory,
      vector,
    };
    retrievalCases(fixture, capabilities);

    it('should declare its capabilities, and have the method of each one it declares', () => {
      expect(store.specVersion).toBe('neuromem.store/v2');
      expect(store.capabilities).toEqual(capabilities);
      for (const capability of STORE_CAPABILITIES) {
        const methods = CAPABILITY_METHODS[capability].map((method) => typeof store[method] === 'function');
        expect([capability, methods]).toEqual([capability, methods.map(() => capabilities[capability])]);
      }
    });

    it('should store a memory and read every field back by id', async () => {
      const [saved] = await store.put([
        memory('Caroline went to the LGBTQ support group yesterday.', {
          scope: { userId: 'alice', agentId: 'bot', sessionId: 's1' },
          role: 'Caroline',
          eventTime: T0,
          importance: 0.8,
          metadata: { source: 'chat', n: 1 },
        }),
      ]);
      const read = await store.get(saved!.id);
      expect(read).toEqual(saved);
      expect(read).toMatchObject({
        version: 1,
        kind: 'episodic',
        scale: 'turn',
        scope: { userId: 'alice', agentId: 'bot', sessionId: 's1' },
        role: 'Caroline',
        eventTime: T0,
        importance: 0.8,
        validTo: null,
        accessCount: 0,
        metadata: { source: 'chat', n: 1 },
      });
      expect(read!.createdAt).toBe(read!.validFrom);
      expect(read!.hash).toMatch(/^[0-9a-f]{64}$/);
      // What put returns is what is stored, for a bare memory as for a full one.
      const [bare] = await store.put([memory('ok', { scope: { agentId: 'bot' }, eventTime: T0 + 0.5, metadata: { nested: { list: [1, 'é'] } } })]);
      expect(await store.get(bare!.id)).toEqual(bare);
    });

    it('should return null for an unknown id', async () => {
      expect(await store.get('no-such-id')).toBeNull();
    });

    it('should write a whole batch or nothing when one item is invalid', async () => {
      await expect(store.put([memory('first'), memory('   '), memory('third')])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await expect(store.put([memory('first'), memory('second', { vectors: { turn: new Float32Array(dimensions + 2).fill(1) } })])).rejects.toMatchObject({ code: 'DIMENSION_MISMATCH' });
      const nan = vector();
      nan[0] = Number.NaN;
      await expect(store.put([memory('first'), memory('second', { vectors: { turn: nan } })])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await expect(store.put([memory('bad date', { eventTime: Number.NaN })])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      expect(await store.count()).toBe(0);
      expect((await store.stats()).vectors.turn ?? 0).toBe(0);
    });

    it('should reject a memory without a scope', async () => {
      await expect(store.put([memory('no owner', { scope: {} })])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      expect(await store.count()).toBe(0);
    });

    it('should honour caller ids and refuse a duplicate id without writing the batch', async () => {
      await store.put([memory('one', { id: 'm-1' })]);
      await expect(store.put([memory('two', { id: 'm-2' }), memory('again', { id: 'm-1' })])).rejects.toMatchObject({ code: 'CONFLICT' });
      expect(await store.get('m-2')).toBeNull();
      expect((await store.get('m-1'))!.text).toBe('one');
    });

    it('should return memories from the asked user only', async () => {
      const shared = vector();
      await store.put([
        memory('alice likes tea', { vectors: { turn: perturb(shared, 0.01, 900) } }),
        memory('bob likes tea', { scope: { userId: 'bob' }, vectors: { turn: perturb(shared, 0.01, 901) } }),
      ]);
      const hits = await store.searchVectors({ scale: 'turn', vector: shared, k: 10, filter: { scope: { userId: 'alice' } } });
      expect(hits.map((h) => h.record.text)).toEqual(['alice likes tea']);
      const listed = await store.list({ scope: { userId: 'bob' } });
      expect(listed.map((r) => r.text)).toEqual(['bob likes tea']);
    });

    it('should rank vector hits by cosine similarity, best first', async () => {
      const target = vector();
      await store.put([
        memory('far', { vectors: { turn: vector() } }),
        memory('near', { vectors: { turn: perturb(target, 0.05, 77) } }),
        memory('nearer', { vectors: { turn: perturb(target, 0.01, 78) } }),
      ]);
      const hits = await store.searchVectors({ scale: 'turn', vector: target, k: 2, filter: { scope: { userId: 'alice' } } });
      expect(hits.map((h) => h.record.text)).toEqual(['nearer', 'near']);
      expect(hits[0]!.similarity).toBeGreaterThan(hits[1]!.similarity);
    });

    it('should fill k for a small scope hidden among many other memories', async () => {
      const many = randomUnitVectors(400, dimensions, 4242);
      await store.put(many.map((v, i) => memory(`bob ${i}`, { scope: { userId: 'bob' }, vectors: { turn: v } })));
      await store.put([memory('carol 1', { scope: { userId: 'carol' } }), memory('carol 2', { scope: { userId: 'carol' } }), memory('carol 3', { scope: { userId: 'carol' } })]);
      const hits = await store.searchVectors({ scale: 'turn', vector: many[0]!, k: 3, filter: { scope: { userId: 'carol' } } });
      expect(hits.map((h) => h.record.text).sort()).toEqual(['carol 1', 'carol 2', 'carol 3']);
    });

    it('should filter vector search by kind, event time and metadata', async () => {
      const target = vector();
      await store.put([
        memory('old fact', { kind: 'semantic', eventTime: T0 - 10 * DAY, metadata: { topic: 'food' }, vectors: { turn: perturb(target, 0.01, 1) } }),
        memory('new fact', { kind: 'semantic', eventTime: T0, metadata: { topic: 'food' }, vectors: { turn: perturb(target, 0.02, 2) } }),
        memory('new event', { kind: 'episodic', eventTime: T0, metadata: { topic: 'work' }, vectors: { turn: perturb(target, 0.03, 3) } }),
      ]);
      const search = (filter: object) =>
        store.searchVectors({ scale: 'turn', vector: target, k: 10, filter: { scope: { userId: 'alice' }, ...filter } }).then((hits) => hits.map((h) => h.record.text).sort());
      expect(await search({ kinds: ['semantic'] })).toEqual(['new fact', 'old fact']);
      expect(await search({ eventTime: { from: T0 - DAY } })).toEqual(['new event', 'new fact']);
      expect(await search({ eventTime: { to: T0 - DAY } })).toEqual(['old fact']);
      expect(await search({ metadata: { topic: 'work' } })).toEqual(['new event']);
    });

    it('should reject a query vector of the wrong dimension', async () => {
      await expect(store.searchVectors({ scale: 'turn', vector: new Float32Array(3).fill(1), k: 1 })).rejects.toMatchObject({ code: 'DIMENSION_MISMATCH' });
    });

    lifecycleCases(fixture);

    graphCases(fixture, capabilities);
    vectorTierCases(fixture, capabilities);
    userStateCases(
      {
        ...fixture,
        get store() {
          return store;
        },
        get clock() {
          return clock;
        },
        reopen: async () => {
          await store.close();
          store = (await create({ dimensions, directory: dir.path, clock })) as Required<MemoryStore>;
        },
      },
      capabilities,
    );

    it('should scan by event-time range in order', async () => {
      await store.put([memory('day 3', { eventTime: T0 + 3 * DAY }), memory('day 1', { eventTime: T0 + DAY }), memory('day 2', { eventTime: T0 + 2 * DAY })]);
      const asc = await store.list({ scope: { userId: 'alice' }, eventTime: { from: T0 + DAY, to: T0 + 3 * DAY }, order: 'eventTime-asc' });
      expect(asc.map((r) => r.text)).toEqual(['day 1', 'day 2']);
      const desc = await store.list({ scope: { userId: 'alice' }, order: 'eventTime-desc', limit: 2 });
      expect(desc.map((r) => r.text)).toEqual(['day 3', 'day 2']);
    });

    it("should list one session's turns in time order, for each owner that shares the session's name", async () => {
      const at = (day: number) => T0 + day * DAY;
      const [, second] = await store.put([
        memory('alice s1 first', { scope: { userId: 'alice', sessionId: 's1' }, eventTime: at(1) }),
        memory('alice s1 second', { scope: { userId: 'alice', sessionId: 's1' }, eventTime: at(3) }),
        memory('alice s1 with helper', { scope: { userId: 'alice', agentId: 'helper', sessionId: 's1' }, eventTime: at(2) }),
        memory('bob s1', { scope: { userId: 'bob', sessionId: 's1' }, eventTime: at(4) }),
        memory('alice s2', { scope: { userId: 'alice', sessionId: 's2' }, eventTime: at(5) }),
      ]);
      const texts = async (scope: { userId?: string; agentId?: string; sessionId: string }) => (await store.list({ scope })).map((r) => r.text);
      expect(await texts({ userId: 'alice', sessionId: 's1' })).toEqual(['alice s1 first', 'alice s1 with helper', 'alice s1 second']);
      expect(await texts({ userId: 'alice', agentId: 'helper', sessionId: 's1' })).toEqual(['alice s1 with helper']);
      expect(await texts({ sessionId: 's1' })).toEqual(['alice s1 first', 'alice s1 with helper', 'alice s1 second', 'bob s1']);
      await store.delete(second!.id);
      expect(await texts({ userId: 'alice', sessionId: 's1' })).toEqual(['alice s1 first', 'alice s1 with helper']);
    });

    it('should page through memories in write order after a cursor, whatever their event times', async () => {
      const written = await store.put([5, 1, 4, 2, 3].map((day, i) => memory(`written ${i}`, { eventTime: T0 + day * DAY })));
      await store.put([memory('bob', { scope: { userId: 'bob' } })]);
      const pages: string[][] = [];
      let after: string | undefined;
      for (;;) {
        const page = await store.list({ scope: { userId: 'alice' }, order: 'written-asc', limit: 2, ...(after ? { after } : {}) });
        if (page.length === 0) break;
        pages.push(page.map((r) => r.text));
        after = page.at(-1)!.id;
      }
      expect(pages).toEqual([['written 0', 'written 1'], ['written 2', 'written 3'], ['written 4']]);
      await store.delete(written[1]!.id);
      expect((await store.list({ order: 'written-asc', after: written[0]!.id, limit: 2 })).map((r) => r.text)).toEqual(['written 2', 'written 3']);
      await expect(store.list({ order: 'eventTime-asc', after: written[0]!.id })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await expect(store.list({ order: 'written-asc', after: 'no-such-id' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await expect(store.list({ order: 'sideways' as never })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    });

    it('should delete every memory of a scope and leave the others', async () => {
      await store.put([memory('a1'), memory('a2'), memory('b1', { scope: { userId: 'bob' } })]);
      expect(await store.deleteWhere({ scope: { userId: 'alice' } })).toBe(2);
      expect(await store.count({ scope: { userId: 'alice' } })).toBe(0);
      expect(await store.count({ scope: { userId: 'bob' } })).toBe(1);
    });

    describe('ownership on calls by id', () => ownershipCases(fixture));

    it('should count accesses', async () => {
      const [saved] = await store.put([memory('popular')]);
      await store.recordAccess([saved!.id, saved!.id, 'unknown']);
      const read = await store.get(saved!.id);
      expect(read!.accessCount).toBe(2);
      expect(read!.lastAccessedAt).not.toBeNull();
      expect(read!.version).toBe(1);
      // A burst of searches' accesses in one call: every id counted as often as it is listed.
      const [other] = await store.put([memory('less popular')]);
      await store.recordAccess(Array.from({ length: 3000 }, (_, i) => (i % 3 === 0 ? other!.id : saved!.id)));
      expect([(await store.get(saved!.id))!.accessCount, (await store.get(other!.id))!.accessCount]).toEqual([2002, 1000]);
    });

    it('should keep every memory of concurrent writes', async () => {
      const scope = { userId: 'alice', sessionId: 'busy' };
      const written = await Promise.all(Array.from({ length: 40 }, (_, i) => store.put([memory(`turn ${i}`, { scope })])));
      expect(await store.count({ scope })).toBe(40);
      const ids = new Set(written.map(([r]) => r!.id));
      expect(ids.size).toBe(40);
      let nextEdges = 0;
      for (const id of ids) nextEdges += (await store.neighbors(id, { types: ['next'], direction: 'out' })).length;
      expect(nextEdges).toBe(39);
    });

    it('should report stats', async () => {
      await store.put([memory('x', { scope: { userId: 'alice', sessionId: 's' } }), memory('y', { scope: { userId: 'alice', sessionId: 's' } })]);
      const stats = await store.stats();
      expect(stats).toMatchObject({ memories: 2, sessions: 1, vectors: { turn: 2 } });
      expect(stats.edges).toBeGreaterThanOrEqual(3);
      expect(stats.historyEvents).toBe(2);
    });

    it('should empty itself on reset', async () => {
      await store.put([memory('x'), memory('y')]);
      await store.reset();
      expect(await store.count()).toBe(0);
      expect((await store.stats()).vectors.turn ?? 0).toBe(0);
      await store.put([memory('after reset')]);
      expect(await store.count()).toBe(1);
    });

    it('should refuse every call after close', async () => {
      await store.close();
      await expect(store.get('x')).rejects.toMatchObject({ code: 'CLOSED' });
      await expect(store.put([memory('late')])).rejects.toMatchObject({ code: 'CLOSED' });
    });

    itWhen(capabilities, 'tokenVectors')('should keep token vectors per memory and drop them with their text (capability tokenVectors)', async () => {
      const tokens = [vector(), vector(), vector()];
      const [saved] = await store.put([memory('three tokens here', { tokens })]);
      const stored = (await store.tokenVectors([saved!.id, 'unknown'])).get(saved!.id)!;
      expect(stored).toHaveLength(3);
      stored.forEach((v, i) => expect(Array.from(v).every((x, j) => Math.abs(x - tokens[i]![j]!) < 0.02)).toBe(true));
      await store.update(saved!.id, { text: 'new words', vectors: { turn: vector() } });
      expect((await store.tokenVectors([saved!.id])).has(saved!.id)).toBe(false);
      await expect(store.put([memory('bad', { tokens: [new Float32Array(dimensions + 1).fill(1)] })])).rejects.toMatchObject({ code: 'DIMENSION_MISMATCH' });
    });

    itWhen(capabilities, 'sessionSearch')('should keep one vector per session, replaced by the newest, and find sessions of the asked user only (capability sessionSearch)', async () => {
      const [trip, work] = [vector(), vector()];
      await store.put([memory('packing for Lisbon', { scope: { userId: 'alice', sessionId: 'trip' }, sessionVector: vector() })]);
      await store.put([memory('flight booked', { scope: { userId: 'alice', sessionId: 'trip' }, sessionVector: trip })]);
      await store.put([memory('quarterly review', { scope: { userId: 'alice', sessionId: 'work' }, sessionVector: work })]);
      await store.put([memory('bob travels too', { scope: { userId: 'bob', sessionId: 'trip' }, sessionVector: perturb(trip, 0.01, 5) })]);
      const found = await store.searchSessions({ vector: trip, k: 5, scope: { userId: 'alice' } });
      expect(found.map((s) => s.scope)).toEqual([
        { userId: 'alice', sessionId: 'trip' },
        { userId: 'alice', sessionId: 'work' },
      ]);
      expect(found[0]!.similarity).toBeGreaterThan(0.99);
      const members = await store.neighbors(found[0]!.nodeId, { types: ['part_of'], direction: 'in' });
      expect(members).toHaveLength(2);
      expect((await store.stats()).vectors.session).toBe(3);
      await expect(store.put([memory('no session', { sessionVector: vector() })])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    });

    itWhen(capabilities, 'persistent')('should find everything again after close and reopen (persistent stores)', async () => {
      const target = vector();
      const [saved] = await store.put([memory('durable', { vectors: { turn: target }, scope: { userId: 'alice', sessionId: 's' } }), memory('second', { scope: { userId: 'alice', sessionId: 's' } })]);
      await store.close();
      store = (await create({ dimensions, directory: dir.path, clock })) as Required<MemoryStore>;
      expect(await store.get(saved!.id)).toEqual(saved);
      const [hit] = await store.searchVectors({ scale: 'turn', vector: target, k: 1, filter: { scope: { userId: 'alice' } } });
      expect(hit!.record.id).toBe(saved!.id);
      expect((await store.neighbors(saved!.id, { types: ['next'] })).length).toBe(1);
    });
  });
}

import type { ManualClock } from '../clock';
import type { MemoryStore, NewMemory, StoreCapabilities, StoreCapability } from '../memory-store';

/** What the conformance suite's cases share: the store under test and helpers to fill it. */
export interface StoreFixture {
  /** Typed with every optional method: a case runs only when the store has the capability it tests. */
  readonly store: Required<MemoryStore>;
  readonly clock: ManualClock;
  memory(text: string, extra?: Partial<NewMemory>): NewMemory;
  vector(): Float32Array;
}

export const T0 = Date.UTC(2023, 4, 8, 13, 56);
export const DAY = 86_400_000;

/** `it` for a store with the capability, `it.skip` (reported as skipped, never passed) for one without. */
export const itWhen = (capabilities: StoreCapabilities, capability: StoreCapability | 'persistent') => (capabilities[capability] ? it : it.skip);

/** Reads beyond vector search: lexical search, vectors and entities by id, spreading activation. */
export function retrievalCases(f: StoreFixture, capabilities: StoreCapabilities): void {
  const withText = itWhen(capabilities, 'textSearch');
  const withActivation = itWhen(capabilities, 'graphActivation');

  withText('should find memories by their words, rarer shared words first, from the asked user only (capability textSearch)', async () => {
    await f.store.put([
      f.memory('We adopted a beagle puppy named Biscuit'),
      f.memory('The puppy chewed my running shoes'),
      f.memory('Lunch was pasta again'),
      f.memory('Biscuit the beagle belongs to bob', { scope: { userId: 'bob' } }),
    ]);
    const hits = await f.store.searchText({ text: 'What is the name of the beagle?', k: 10, filter: { scope: { userId: 'alice' } } });
    expect(hits.map((h) => h.record.text)).toEqual(['We adopted a beagle puppy named Biscuit']);
    const stemmed = await f.store.searchText({ text: 'puppies', k: 10, filter: { scope: { userId: 'alice' } } });
    expect(stemmed.map((h) => h.record.text).sort()).toEqual(['The puppy chewed my running shoes', 'We adopted a beagle puppy named Biscuit']);
    expect(stemmed[0]!.score).toBeGreaterThanOrEqual(stemmed[1]!.score);
    expect(stemmed[1]!.score).toBeGreaterThan(0);
  });

  withText('should score each kind of memory among its own kind: facts that quote the statements leave their scores as they were (capability textSearch)', async () => {
    // A user's memories, and an agent's without a user (the store-wide search scores both).
    const scopes = [{ userId: 'alice' }, { agentId: 'helper' }];
    const statements = await f.store.put(
      scopes.flatMap((scope) => [
        f.memory('We adopted a beagle puppy named Biscuit', { scope }),
        f.memory('The beagle chewed my running shoes', { scope }),
        f.memory('Lunch was pasta again at the office', { scope }),
      ]),
    );
    const scores = async (filter: { scope?: { userId: string } }) => new Map((await f.store.searchText({ text: 'the beagle and the pasta', k: 20, filter })).map((hit) => [hit.record.id, hit.score]));
    const filters = [{ scope: { userId: 'alice' } }, {}];
    const before = await Promise.all(filters.map(scores));
    const [fact] = await f.store.put(
      scopes.flatMap((scope) => [f.memory('Beagle: Biscuit, the beagle puppy (adopted)', { scope, kind: 'semantic' }), f.memory('Lunch: pasta, pasta again', { scope, kind: 'semantic' })]),
    );
    // A statement that becomes a fact (an update of its kind) leaves the statements' counts too.
    for (const moved of await f.store.put(scopes.map((scope) => f.memory('The beagle and the pasta, a summary of both', { scope })))) {
      await f.store.update(moved.id, { kind: 'semantic' });
    }
    const after = await Promise.all(filters.map(scores));
    for (const [i, filter] of filters.entries()) {
      const asked = statements.filter((s) => (filter.scope ? s.scope.userId === 'alice' : true));
      expect(asked.filter((s) => before[i]!.has(s.id)).length).toBeGreaterThanOrEqual(3);
      for (const s of asked) expect(after[i]!.get(s.id)).toBeCloseTo(before[i]!.get(s.id)!, 9);
      expect(after[i]!.has(fact!.id)).toBe(true);
    }
  });

  withText('should search the current text only, and nothing after delete (capability textSearch)', async () => {
    const [saved] = await f.store.put([f.memory('I drive a red Volvo')]);
    await f.store.update(saved!.id, { text: 'I drive a blue Tesla', vectors: { turn: f.vector() } });
    const scope = { userId: 'alice' };
    expect(await f.store.searchText({ text: 'volvo', k: 5, filter: { scope } })).toEqual([]);
    expect((await f.store.searchText({ text: 'tesla', k: 5, filter: { scope } })).map((h) => h.record.version)).toEqual([2]);
    await f.store.delete(saved!.id);
    expect(await f.store.searchText({ text: 'tesla', k: 5, filter: { scope } })).toEqual([]);
  });

  withText('should treat lexical queries with no searchable word, or FTS syntax, as plain text (capability textSearch)', async () => {
    await f.store.put([f.memory('NEAR the "quoted" OR-gate * column: text')]);
    const scope = { userId: 'alice' };
    expect(await f.store.searchText({ text: '', k: 5, filter: { scope } })).toEqual([]);
    expect(await f.store.searchText({ text: 'the of and ?!', k: 5, filter: { scope } })).toEqual([]);
    expect(await f.store.searchText({ text: 'こんにちは世界', k: 5, filter: { scope } })).toEqual([]);
    expect(await f.store.searchText({ text: 'NEAR( "quoted" OR column: * text^', k: 5, filter: { scope } })).toHaveLength(1);
    expect(await f.store.searchText({ text: 'gate '.repeat(20_000), k: 5, filter: { scope } })).toHaveLength(1);
    await expect(f.store.searchText({ text: 'gate', k: 0, filter: { scope } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('should return the current vector of each asked memory at a scale, each value within 1 % of the largest', async () => {
    const [first, second] = await f.store.put([f.memory('one'), f.memory('two')]);
    const replacement = f.vector();
    await f.store.update(second!.id, { text: 'two, edited', vectors: { turn: replacement } });
    const found = await f.store.vectors([first!.id, second!.id, 'unknown-id'], 'turn');
    expect([...found.keys()].sort()).toEqual([first!.id, second!.id].sort());
    // A store may keep vectors at reduced precision (int8, half floats): the contract allows 1 % of the largest value.
    const tolerance = Math.max(...replacement.map(Math.abs)) / 100;
    const read = Array.from(found.get(second!.id)!);
    expect(read).toHaveLength(replacement.length);
    read.forEach((x, i) => expect(Math.abs(x - replacement[i]!)).toBeLessThanOrEqual(tolerance));
    await expect(f.store.vectors([first!.id], 'sentence')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('should report the entities each memory was stored with, and drop them with their text', async () => {
    const [met, given, none, gone] = await f.store.put([
      f.memory('Yesterday I met Caroline in Paris.', { eventTime: T0, entities: ['name:caroline', 'name:paris', 'date:2023-05-07'] }),
      f.memory('anything', { entities: ['Topic:Gardening', 'name:bob'] }),
      f.memory('nothing', { entities: [] }),
      f.memory('to delete', { entities: ['name:zoe'] }),
    ]);
    await f.store.delete(gone!.id);
    const found = await f.store.entities([met!.id, given!.id, none!.id, gone!.id, 'unknown-id']);
    expect([...found.keys()].sort()).toEqual([met!.id, given!.id, none!.id].sort());
    expect(found.get(met!.id)).toEqual(['name:caroline', 'name:paris', 'date:2023-05-07']);
    expect(found.get(given!.id)).toEqual(['topic:gardening', 'name:bob']);
    expect(found.get(none!.id)).toEqual([]);
    // The store runs no language processing: it keeps the keys it is given, and nothing it is not.
    const [plain] = await f.store.put([f.memory('Caroline called from Paris.')]);
    expect((await f.store.entities([plain!.id])).get(plain!.id)).toEqual([]);
    await f.store.update(met!.id, { text: 'Then I met Melanie.', vectors: { turn: f.vector() }, entities: ['name:melanie'] });
    expect((await f.store.entities([met!.id])).get(met!.id)).toEqual(['name:melanie']);
    // New text without new keys keeps none: the old ones described the old text.
    await f.store.update(met!.id, { text: 'Then I met nobody.', vectors: { turn: f.vector() } });
    expect((await f.store.entities([met!.id])).get(met!.id)).toEqual([]);
    await expect(f.store.entities([''])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(f.store.put([f.memory('bad keys', { entities: 'name:x' as unknown as string[] })])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  withActivation('should spread activation from seeds to linked memories and not to unlinked ones (capability graphActivation)', async () => {
    const [a, b, c, d] = await f.store.put(['a', 'b', 'c', 'd'].map((text) => f.memory(text, { entities: [] })));
    await f.store.link([
      { from: a!.id, to: b!.id, type: 'related', weight: 1 },
      { from: c!.id, to: b!.id, type: 'related', weight: 1 },
    ]);
    const activation = await f.store.spreadActivation(new Map([[a!.id, 1]]));
    expect([...activation.keys()].sort()).toEqual([a!.id, b!.id, c!.id].sort());
    expect(activation.has(d!.id)).toBe(false);
    expect(activation.get(a!.id)!).toBeGreaterThan(activation.get(b!.id)!);
    expect(activation.get(b!.id)!).toBeGreaterThan(activation.get(c!.id)!);
    expect([...activation.values()].reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 6);
    const withUnknown = await f.store.spreadActivation(
      new Map([
        [a!.id, 1],
        ['unknown-id', 5],
      ]),
    );
    expect([...withUnknown.keys()].sort()).toEqual([a!.id, b!.id, c!.id].sort());
    await f.store.delete(b!.id);
    expect([...(await f.store.spreadActivation(new Map([[a!.id, 1]]))).keys()]).toEqual([a!.id]);
  });

  withActivation('should return memories only when activation flows through a session (capability graphActivation)', async () => {
    const scope = { userId: 'alice', sessionId: 'chat' };
    const [first, second] = await f.store.put([f.memory('first turn', { scope, entities: [] }), f.memory('second turn', { scope, entities: [] })]);
    const activation = await f.store.spreadActivation(new Map([[first!.id, 1]]), { types: ['part_of'] });
    expect([...activation.keys()].sort()).toEqual([first!.id, second!.id].sort());
  });

  withActivation('should keep activation bounded around a hub (capability graphActivation)', async () => {
    const [hub, ...leaves] = await f.store.put(Array.from({ length: 301 }, (_, i) => f.memory(`node ${i}`, { entities: [] })));
    await f.store.link(leaves.map((leaf) => ({ from: hub!.id, to: leaf.id, type: 'related' as const, weight: 1 })));
    expect((await f.store.spreadActivation(new Map([[hub!.id, 1]]))).size).toBe(301);
    const bounded = await f.store.spreadActivation(new Map([[hub!.id, 1]]), { maxNodes: 50 });
    expect(bounded.size).toBeLessThanOrEqual(50);
    expect(bounded.has(hub!.id)).toBe(true);
    const fromLeaf = await f.store.spreadActivation(new Map([[leaves[0]!.id, 1]]), { maxNodes: 20, depth: 2 });
    expect(fromLeaf.size).toBeLessThanOrEqual(20);
    expect(fromLeaf.has(hub!.id)).toBe(true);
  });

  withActivation('should reject bad activation seeds and options, and return nothing without a usable seed (capability graphActivation)', async () => {
    const [a] = await f.store.put([f.memory('seed', { entities: [] })]);
    for (const weight of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(f.store.spreadActivation(new Map([[a!.id, weight]]))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
    for (const options of [{ restart: 0 }, { restart: 1 }, { maxNodes: 0 }, { iterations: 0 }, { depth: 0 }]) {
      await expect(f.store.spreadActivation(new Map([[a!.id, 1]]), options)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
    expect(await f.store.spreadActivation(new Map())).toEqual(new Map());
    expect(await f.store.spreadActivation(new Map([[a!.id, 0]]))).toEqual(new Map());
    expect(await f.store.spreadActivation(new Map([['unknown-id', 1]]))).toEqual(new Map());
    await f.store.close();
    await expect(f.store.spreadActivation(new Map([[a!.id, 1]]))).rejects.toMatchObject({ code: 'CLOSED' });
  });
}

import type { StoreCapabilities } from '../memory-store';
import { itWhen, T0, type StoreFixture } from './memory-store-retrieval-cases';

/** The graph a store links by itself (sessions, entities, causal cues) and the links it is given. */
export function graphCases(f: StoreFixture, capabilities: StoreCapabilities): void {
  it('should chain turns of a session with next edges and link them to the session', async () => {
    const scope = { userId: 'alice', sessionId: 'session-1' };
    const [t1, t2, t3] = await f.store.put([f.memory('hi', { scope, eventTime: T0 }), f.memory('hello', { scope, eventTime: T0 + 1000 }), f.memory('how are you', { scope, eventTime: T0 + 2000 })]);
    const next = await f.store.neighbors(t1!.id, { types: ['next'], depth: 2, direction: 'out' });
    expect(next.map((n) => [n.id, n.depth])).toEqual([
      [t2!.id, 1],
      [t3!.id, 2],
    ]);
    const back = await f.store.neighbors(t3!.id, { types: ['next'], direction: 'in' });
    expect(back.map((n) => n.id)).toEqual([t2!.id]);
    const sessions = await f.store.neighbors(t2!.id, { types: ['part_of'] });
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.node).toBe('session');
    const members = await f.store.neighbors(sessions[0]!.id, { types: ['part_of'], direction: 'in' });
    expect(members.map((m) => m.id).sort()).toEqual([t1!.id, t2!.id, t3!.id].sort());
  });

  const withNeighborsOfMany = itWhen(capabilities, 'batchNeighbors');
  const withNeighborIds = itWhen(capabilities, 'neighborIds');
  const probe = async () => {
    const scope = { userId: 'alice', sessionId: 'session-1' };
    const turns = await f.store.put([f.memory('hi', { scope }), f.memory('hello', { scope }), f.memory('how are you', { scope })]);
    const [theirs] = await f.store.put([f.memory('hi bob', { scope: { userId: 'bob', sessionId: 'session-1' } })]);
    return { turns: turns.map((t) => t.id), theirs: theirs!.id };
  };
  withNeighborIds('should answer neighborIdsOfMany with the ids neighbors reports for each node, in order (capability neighborIds)', async () => {
    const { turns, theirs } = await probe();
    for (const query of [{ types: ['next'] as const, depth: 1, limit: 2 }, { depth: 2 }, { direction: 'out' as const, types: ['next'] as const }, { scope: { userId: 'alice' } }]) {
      const ids = await f.store.neighborIdsOfMany!([...turns, 'no-such-id', theirs], query);
      for (const id of turns) expect(ids.get(id)).toEqual((await f.store.neighbors(id, query)).map((n) => n.id));
      expect(ids.has('no-such-id')).toBe(false);
      expect(ids.has(theirs)).toBe(!('scope' in query));
    }
    await expect(f.store.neighborIdsOfMany!(turns, { depth: 0 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  withNeighborIds('should see every write since an earlier typed walk: a new turn, a deleted one, a new link (capability neighborIds)', async () => {
    const scope = { userId: 'alice', sessionId: 'session-1' };
    const [t1, t2] = await f.store.put([f.memory('hi', { scope, eventTime: T0 }), f.memory('hello', { scope, eventTime: T0 + 1000 })]);
    const nextOf = async (id: string) => (await f.store.neighborIdsOfMany!([id], { types: ['next'] })).get(id) ?? [];
    expect(await nextOf(t2!.id)).toEqual([t1!.id]);
    const [t3] = await f.store.put([f.memory('how are you', { scope, eventTime: T0 + 2000 })]);
    expect((await nextOf(t2!.id)).sort()).toEqual([t1!.id, t3!.id].sort());
    await f.store.delete(t3!.id);
    expect(await nextOf(t2!.id)).toEqual([t1!.id]);
    const [elsewhere] = await f.store.put([f.memory('later that week', { scope: { userId: 'alice', sessionId: 'session-2' }, eventTime: T0 + 9000 })]);
    await f.store.link([{ from: t2!.id, to: elsewhere!.id, type: 'next', weight: 1 }]);
    expect((await nextOf(t2!.id)).sort()).toEqual([t1!.id, elsewhere!.id].sort());
  });

  withNeighborsOfMany('should answer neighborsOfMany as neighbors answers each node (capability batchNeighbors)', async () => {
    const { turns, theirs } = await probe();
    for (const query of [{ types: ['next'] as const, depth: 1, limit: 2 }, { depth: 2 }, { direction: 'out' as const, types: ['next'] as const }]) {
      const many = await f.store.neighborsOfMany!(turns, query);
      for (const id of turns) expect(many.get(id)).toEqual(await f.store.neighbors(id, query));
    }
    // Unknown nodes and other owners' nodes are left out, not failed on.
    const scoped = await f.store.neighborsOfMany!([turns[1]!, 'no-such-id', theirs], { scope: { userId: 'alice' }, types: ['next'] });
    expect([...scoped.keys()]).toEqual([turns[1]]);
    expect(
      scoped
        .get(turns[1]!)!
        .map((n) => n.id)
        .sort(),
    ).toEqual([turns[0], turns[2]].sort());
    // Bad input is refused, typed, whatever else the call holds.
    await expect(f.store.neighborsOfMany!('not a list' as unknown as string[])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(f.store.neighborsOfMany!([turns[0]!, 42 as unknown as string])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(f.store.neighborsOfMany!(turns, { depth: 99 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('should link memories stored with the same entity key, within one owner', async () => {
    const caroline = { entities: ['name:caroline'] };
    const [a] = await f.store.put([f.memory('I met Caroline in Paris.', { scope: { userId: 'alice', sessionId: 'a' }, entities: ['name:caroline', 'name:paris'] })]);
    const [, c] = await f.store.put([
      f.memory('Nothing here.', { scope: { userId: 'alice', sessionId: 'b' } }),
      f.memory('Caroline called me today.', { scope: { userId: 'alice', sessionId: 'b' }, ...caroline }),
    ]);
    const linked = await f.store.neighbors(c!.id, { types: ['same_entity'] });
    expect(linked.map((n) => n.id)).toEqual([a!.id]);
    expect(linked[0]!.via.label).toBe('name:caroline');
    const other = await f.store.put([f.memory('Caroline again.', { scope: { userId: 'bob' }, ...caroline })]);
    expect((await f.store.neighbors(other[0]!.id, { types: ['same_entity'] })).map((n) => n.id)).toEqual([]);
  });

  it('should link a turn to the previous one of its session by the causal cue it is given', async () => {
    const scope = { userId: 'alice', sessionId: 's' };
    const [first, second] = await f.store.put([f.memory('My car broke down on the highway.', { scope }), f.memory('So I was late for the interview.', { scope, causalCue: 0.5 })]);
    const causes = await f.store.neighbors(first!.id, { types: ['causes'], direction: 'out' });
    expect(causes.map((n) => [n.id, n.via.weight])).toEqual([[second!.id, 0.5]]);
    // "Because ...": this turn explains (causes) the one before it.
    const [third] = await f.store.put([f.memory('Because the alarm never rang.', { scope, causalCue: { direction: 'explanation', weight: 0.4 } })]);
    expect((await f.store.neighbors(third!.id, { types: ['causes'], direction: 'out' })).map((n) => n.id)).toEqual([second!.id]);
    // No cue given, no causal edge: the store does not read the text for one.
    const [fourth] = await f.store.put([f.memory('So that is that.', { scope })]);
    expect(await f.store.neighbors(fourth!.id, { types: ['causes'] })).toEqual([]);
    await expect(f.store.put([f.memory('bad cue', { scope, causalCue: { direction: 'sideways', weight: 0.5 } as never })])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('should store explicit links and refuse links to unknown memories', async () => {
    const [a, b] = await f.store.put([f.memory('a'), f.memory('b')]);
    await f.store.link([{ from: a!.id, to: b!.id, type: 'related', weight: 0.7 }]);
    expect((await f.store.neighbors(a!.id, { types: ['related'] })).map((n) => n.id)).toEqual([b!.id]);
    await expect(f.store.link([{ from: a!.id, to: 'ghost', type: 'related', weight: 1 }])).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(f.store.link([{ from: a!.id, to: b!.id, type: 'related', weight: Number.NaN }])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(f.store.neighbors('ghost')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('should remove the links it is asked to unlink, and only those, and skip links that are not there', async () => {
    const [a, b, c] = await f.store.put([f.memory('a'), f.memory('b'), f.memory('c')]);
    await f.store.link([
      { from: b!.id, to: a!.id, type: 'supersedes', weight: 1, label: 'sleep:run-1' },
      { from: b!.id, to: a!.id, type: 'related', weight: 0.5 },
      { from: c!.id, to: a!.id, type: 'supersedes', weight: 1 },
    ]);
    expect(await f.store.unlink([{ from: b!.id, to: a!.id, type: 'supersedes' }])).toBe(1);
    const left = (await f.store.edges(a!.id)).map((edge) => `${edge.from}>${edge.to}:${edge.type}`).sort();
    expect(left).toEqual([`${b!.id}>${a!.id}:related`, `${c!.id}>${a!.id}:supersedes`].sort());
    expect((await f.store.neighbors(b!.id, { types: ['supersedes'] })).map((n) => n.id)).toEqual([]);
    // Undoing twice, or naming ends that never existed, removes nothing and fails nothing.
    expect(
      await f.store.unlink([
        { from: b!.id, to: a!.id, type: 'supersedes' },
        { from: 'ghost', to: a!.id, type: 'related' },
      ]),
    ).toBe(0);
    await expect(f.store.unlink([{ from: b!.id, to: a!.id, type: 'nope' as never }])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(f.store.unlink('edges' as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect((await f.store.edges(a!.id)).length).toBe(2);
  });
}

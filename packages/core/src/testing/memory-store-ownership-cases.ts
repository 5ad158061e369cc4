import type { StoreFixture } from './memory-store-retrieval-cases';

/** By-id calls with a scope: another owner's id is answered exactly as an unknown id, and nothing changes. */
export function ownershipCases(f: StoreFixture): void {
  const alice = { userId: 'alice' };
  const bob = { userId: 'bob' };
  // Same agent, same session id: only the user tells the two memories apart.
  const owned = async () => {
    const [mine] = await f.store.put([f.memory('Alice met Caroline in Paris.', { scope: { userId: 'alice', agentId: 'bot', sessionId: 's1' }, tokens: [f.vector()], sessionVector: f.vector() })]);
    const [theirs] = await f.store.put([f.memory('Bob met Caroline in Rome.', { scope: { userId: 'bob', agentId: 'bot', sessionId: 's1' }, tokens: [f.vector()] })]);
    return { mine: mine!, theirs: theirs! };
  };
  /** The error a call rejects with, with the id it named blanked out (null when it resolved). */
  const errorOf = (call: Promise<unknown>, id: string) =>
    call.then(
      () => null,
      (error: { code: string; message: string }) => ({ code: error.code, message: error.message.split(id).join('<id>') }),
    );

  it("should answer another owner's id exactly as an unknown id and change nothing", async () => {
    const { mine, theirs } = await owned();
    const scope = bob;
    expect(await f.store.get(mine.id, { scope })).toBeNull();
    expect(await f.store.get(mine.id, { scope, asOf: f.clock.now() })).toBeNull();
    expect((await f.store.getMany([mine.id, theirs.id], { scope })).map((r) => r.id)).toEqual([theirs.id]);
    expect(await f.store.history(mine.id, { scope })).toEqual([]);
    expect([...(await f.store.vectors([mine.id, theirs.id], 'turn', { scope })).keys()]).toEqual([theirs.id]);
    if (f.store.tokenVectors) expect([...(await f.store.tokenVectors([mine.id, theirs.id], { scope })).keys()]).toEqual([theirs.id]);
    expect([...(await f.store.entities([mine.id, theirs.id], { scope })).keys()]).toEqual([theirs.id]);
    expect(await f.store.edges(mine.id, { scope })).toEqual([]);
    const unknown = 'no-such-id';
    const attempts: Array<(id: string) => Promise<unknown>> = [
      (id) => f.store.update(id, { importance: 0.9 }, { scope }),
      (id) => f.store.update(id, { text: 'Bob was here', vectors: { turn: f.vector() } }, { scope }),
      (id) => f.store.delete(id, { scope }),
      (id) => f.store.purge(id, { scope }),
      (id) => f.store.neighbors(id, { scope }),
    ];
    for (const attempt of attempts) {
      const foreign = await errorOf(attempt(mine.id), mine.id);
      expect(foreign).toMatchObject({ code: 'NOT_FOUND' });
      expect(foreign).toEqual(await errorOf(attempt(unknown), unknown));
    }
    expect(await f.store.get(mine.id, { scope: alice })).toEqual(mine);
    expect(await f.store.history(mine.id, { scope: alice })).toHaveLength(1);
    expect((await f.store.vectors([mine.id], 'turn')).has(mine.id)).toBe(true);
    expect(await f.store.count()).toBe(2);
  });

  it("should let a scope reach a memory when every id it sets equals the memory's", async () => {
    const { mine, theirs } = await owned();
    expect(await f.store.get(mine.id, { scope: alice })).toEqual(mine);
    expect(await f.store.get(mine.id, { scope: { userId: 'alice', agentId: 'bot', sessionId: 's1' } })).toEqual(mine);
    expect(await f.store.get(mine.id, { scope: { userId: 'alice', agentId: 'other' } })).toBeNull();
    expect(await f.store.get(mine.id, { scope: {} })).toEqual(mine);
    // An agent or a session id alone spans every user that shares it.
    expect((await f.store.getMany([mine.id, theirs.id], { scope: { agentId: 'bot' } })).map((r) => r.id)).toEqual([mine.id, theirs.id]);
    expect((await f.store.getMany([mine.id, theirs.id], { scope: { sessionId: 's1' } })).map((r) => r.id)).toEqual([mine.id, theirs.id]);
    expect((await f.store.update(mine.id, { importance: 0.9 }, { scope: alice })).version).toBe(2);
    await f.store.delete(mine.id, { scope: alice });
    expect(await f.store.get(mine.id)).toBeNull();
    await expect(f.store.put([f.memory('no scope check', { scope: alice })])).resolves.toHaveLength(1);
    await expect(f.store.get(mine.id, { scope: { userId: '' } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('should check the history of a deleted memory against its last owner, and show a purged one to no scope', async () => {
    const { mine, theirs } = await owned();
    await f.store.delete(mine.id, { scope: alice });
    expect(await f.store.history(mine.id, { scope: bob })).toEqual([]);
    expect((await f.store.history(mine.id, { scope: alice })).map((h) => h.event)).toEqual(['ADD', 'DELETE']);
    await f.store.purge(theirs.id, { scope: bob });
    expect(await f.store.history(theirs.id, { scope: bob })).toEqual([]);
    expect((await f.store.history(theirs.id)).map((h) => h.event)).toEqual(['PURGE']);
  });

  it('should keep a scoped graph walk and edge list inside the scope', async () => {
    const { mine, theirs } = await owned();
    const [other] = await f.store.put([f.memory('Alice again.', { scope: { userId: 'alice', sessionId: 's2' } })]);
    await f.store.link([
      { from: mine.id, to: theirs.id, type: 'related', weight: 1 },
      { from: mine.id, to: other!.id, type: 'related', weight: 1 },
    ]);
    expect((await f.store.neighbors(mine.id, { types: ['related'] })).map((n) => n.id).sort()).toEqual([theirs.id, other!.id].sort());
    expect((await f.store.neighbors(mine.id, { types: ['related'], scope: alice })).map((n) => n.id)).toEqual([other!.id]);
    const ends = (edges: Array<{ from: string; to: string }>) => edges.flatMap((e) => [e.from, e.to]);
    expect(ends(await f.store.edges(mine.id))).toContain(theirs.id);
    expect(ends(await f.store.edges(mine.id, { scope: alice }))).not.toContain(theirs.id);
    expect(ends(await f.store.edges(mine.id, { scope: alice }))).toContain(other!.id);
    const [session] = await f.store.neighbors(mine.id, { types: ['part_of'], scope: alice });
    expect(session!.node).toBe('session');
    await expect(f.store.neighbors(session!.id, { scope: bob })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
}

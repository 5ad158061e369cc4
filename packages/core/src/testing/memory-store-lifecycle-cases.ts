import { DAY, type StoreFixture } from './memory-store-retrieval-cases';

/** A memory's life after it is stored: an update closes the old version, a delete tombstones, a purge leaves only a marker. */
export function lifecycleCases(f: StoreFixture): void {
  it('should close the old version on update and keep it readable as of its time', async () => {
    const [v1] = await f.store.put([f.memory('Melanie lives in Boston')]);
    const before = f.clock.now();
    f.clock.advance(DAY);
    const newVector = f.vector();
    const v2 = await f.store.update(v1!.id, { text: 'Melanie lives in Denver', vectors: { turn: newVector } });
    expect(v2).toMatchObject({ id: v1!.id, version: 2, text: 'Melanie lives in Denver', validTo: null, createdAt: v1!.createdAt });
    expect((await f.store.get(v1!.id))!.text).toBe('Melanie lives in Denver');
    expect(await f.store.get(v1!.id, { asOf: before })).toMatchObject({ version: 1, text: 'Melanie lives in Boston' });
    const history = await f.store.history(v1!.id);
    expect(history.map((h) => [h.event, h.version, h.previousText, h.text])).toEqual([
      ['ADD', 1, null, 'Melanie lives in Boston'],
      ['UPDATE', 2, 'Melanie lives in Boston', 'Melanie lives in Denver'],
    ]);
    const [hit] = await f.store.searchVectors({ scale: 'turn', vector: newVector, k: 1, filter: { scope: { userId: 'alice' } } });
    expect(hit!.record.version).toBe(2);
    expect(await f.store.count()).toBe(1);
  });

  it('should reject updates of unknown ids and invalid patches without changing anything', async () => {
    const [saved] = await f.store.put([f.memory('keep me')]);
    await expect(f.store.update('missing', { text: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(f.store.update(saved!.id, { text: '' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(f.store.update(saved!.id, { importance: 2 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(await f.store.get(saved!.id)).toEqual(saved);
    expect(await f.store.history(saved!.id)).toHaveLength(1);
  });

  it('should tombstone on delete, hide the memory and keep the event in history', async () => {
    const target = f.vector();
    const [saved] = await f.store.put([f.memory('to delete', { vectors: { turn: target } })]);
    const before = f.clock.now();
    await f.store.delete(saved!.id);
    expect(await f.store.get(saved!.id)).toBeNull();
    expect(await f.store.get(saved!.id, { asOf: before })).toMatchObject({ text: 'to delete' });
    expect(await f.store.list({ scope: { userId: 'alice' } })).toEqual([]);
    expect(await f.store.searchVectors({ scale: 'turn', vector: target, k: 5, filter: { scope: { userId: 'alice' } } })).toEqual([]);
    expect((await f.store.history(saved!.id)).map((h) => h.event)).toEqual(['ADD', 'DELETE']);
    expect(await f.store.count()).toBe(0);
    await expect(f.store.delete(saved!.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(f.store.delete('never-existed')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('should purge every trace of a memory except a PURGE marker', async () => {
    const [a, b] = await f.store.put([f.memory('secret', { scope: { userId: 'alice', sessionId: 's' } }), f.memory('next one', { scope: { userId: 'alice', sessionId: 's' } })]);
    await f.store.update(a!.id, { text: 'secret v2', vectors: { turn: f.vector() } });
    await f.store.purge(a!.id);
    expect(await f.store.get(a!.id)).toBeNull();
    expect(await f.store.get(a!.id, { asOf: a!.createdAt })).toBeNull();
    const history = await f.store.history(a!.id);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ event: 'PURGE', text: null, previousText: null });
    expect(await f.store.edges(a!.id)).toEqual([]);
    expect((await f.store.edges(b!.id)).some((e) => e.from === a!.id || e.to === a!.id)).toBe(false);
    expect(await f.store.count()).toBe(1);
    await f.store.delete(b!.id);
    await f.store.purge(b!.id);
    expect(await f.store.count()).toBe(0);
    await expect(f.store.purge(a!.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
}

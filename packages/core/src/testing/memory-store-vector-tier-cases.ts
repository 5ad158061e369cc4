import type { MemoryStore, StoreCapabilities } from '../memory-store';
import { itWhen, type StoreFixture } from './memory-store-retrieval-cases';

/** Capabilities `vectorTiers` (a memory's vectors dropped and given back in place) and `compaction`. */
export function vectorTierCases(f: StoreFixture, capabilities: StoreCapabilities): void {
  const withTiers = itWhen(capabilities, 'vectorTiers');
  const store = () => f.store as Required<MemoryStore>;

  withTiers('should drop and give back a memory’s vectors without a new version or history event (capability vectorTiers)', async () => {
    const target = f.vector();
    const [cold, warm] = await store().put([f.memory('the beagle chased a squirrel', { vectors: { turn: target } }), f.memory('lunch was pasta')]);
    await store().setVectors(cold!.id, null);
    expect(await store().get(cold!.id)).toEqual(cold);
    expect(await store().history(cold!.id)).toHaveLength(1);
    expect((await store().vectors([cold!.id, warm!.id], 'turn')).has(cold!.id)).toBe(false);
    const hits = await store().searchVectors({ scale: 'turn', vector: target, k: 5, filter: { scope: { userId: 'alice' } } });
    expect(hits.map((hit) => hit.record.id)).toEqual([warm!.id]);
    expect(await store().count({ scope: { userId: 'alice' } })).toBe(2);

    await store().setVectors(cold!.id, { turn: target });
    const [hit] = await store().searchVectors({ scale: 'turn', vector: target, k: 1, filter: { scope: { userId: 'alice' } } });
    expect(hit!.record.id).toBe(cold!.id);
    expect(await store().get(cold!.id)).toEqual(cold);
  });

  withTiers('should refuse unknown, deleted and other owners’ memories, and bad vectors, changing nothing (capability vectorTiers)', async () => {
    const [mine] = await store().put([f.memory('mine')]);
    const [gone] = await store().put([f.memory('gone')]);
    await store().delete(gone!.id);
    await expect(store().setVectors('no-such-id', null)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(store().setVectors(gone!.id, null)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(store().setVectors(mine!.id, null, { scope: { userId: 'bob' } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(store().setVectors(mine!.id, { turn: new Float32Array(3) })).rejects.toMatchObject({ code: 'DIMENSION_MISMATCH' });
    await expect(store().setVectors(mine!.id, { turn: f.vector().fill(Number.NaN) })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect((await store().vectors([mine!.id], 'turn')).has(mine!.id)).toBe(true);
  });

  itWhen(capabilities, 'compaction')('should compact without changing any memory, vector, link or history (capability compaction)', async () => {
    const target = f.vector();
    const [kept, dropped, gone] = await store().put([f.memory('the beagle chased a squirrel', { vectors: { turn: target } }), f.memory('lunch was pasta'), f.memory('a note to delete')]);
    await store().link([{ from: kept!.id, to: dropped!.id, type: 'related', weight: 0.5 }]);
    await store().setVectors(dropped!.id, null);
    await store().delete(gone!.id);
    const report = await store().compact();
    expect(report.bytesBefore).toBeGreaterThanOrEqual(0);
    expect(report.bytesAfter).toBeGreaterThanOrEqual(0);
    expect(typeof report.rewritten).toBe('boolean');
    expect(await store().get(kept!.id)).toEqual(kept);
    expect(await store().get(gone!.id)).toBeNull();
    expect((await store().history(gone!.id)).map((h) => h.event)).toEqual(['ADD', 'DELETE']);
    expect((await store().vectors([kept!.id, dropped!.id], 'turn')).has(dropped!.id)).toBe(false);
    const [hit] = await store().searchVectors({ scale: 'turn', vector: target, k: 1, filter: { scope: { userId: 'alice' } } });
    expect(hit!.record.id).toBe(kept!.id);
    expect((await store().neighbors(kept!.id, { types: ['related'] })).map((n) => n.id)).toEqual([dropped!.id]);
  });
}

import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { randomUnitVectors } from '@neuromem/core/testing';
import { segmentSlots } from './owner-vector-rows';
import { onDiskStores } from './test-support';

// Each (user, scale, agent) owns one range of `owner_vectors` slots: rows land at its end, and a
// range never runs into the next one.
describe('owner vector rows', () => {
  const dimensions = 8;
  const stores = onDiskStores(dimensions);
  const { open } = stores;
  const vectors = randomUnitVectors(8, dimensions, 31);
  const sql = () => new BetterSqlite3(join(stores.dir.path, 'memory.db'));

  it("should write each owner's vectors into that owner's range, in write order, whoever writes in between", async () => {
    const store = await open(undefined, { vectorPrecision: 'int8' });
    for (const [i, vector] of vectors.entries()) await store.put([{ text: `turn ${i}`, scope: { userId: i % 2 === 0 ? 'ann' : 'bob' }, vectors: { turn: vector } }]);
    await store.close();
    const db = sql();
    const rows = db
      .prepare("SELECT s.user_id AS user, ov.slot - s.id * 4294967296 AS place FROM owner_vectors ov JOIN owner_segments s ON s.id = ov.slot >> 32 WHERE s.scale = 'turn' ORDER BY ov.key")
      .all();
    db.close();
    expect(rows).toEqual([0, 0, 1, 1, 2, 2, 3, 3].map((place, i) => ({ user: i % 2 === 0 ? 'ann' : 'bob', place })));
  });

  it('should forget every owner segment on reset, and number them afresh', async () => {
    const store = await open(undefined, { vectorPrecision: 'int8' });
    await store.put([{ text: 'first', scope: { userId: 'ann' }, vectors: { turn: vectors[0]! } }]);
    await store.reset();
    const db = sql();
    expect(db.prepare('SELECT COUNT(*) FROM owner_segments').pluck().get()).toBe(0);
    db.close();
    await store.put([{ text: 'after', scope: { userId: 'bob' }, vectors: { turn: vectors[1]! } }]);
    const hits = await store.searchVectors({ scale: 'turn', vector: vectors[1]!, k: 5, filter: { scope: { userId: 'bob' } } });
    expect(hits.map((hit) => hit.record.text)).toEqual(['after']);
    expect(await store.searchVectors({ scale: 'turn', vector: vectors[0]!, k: 5, filter: { scope: { userId: 'ann' } } })).toEqual([]);
    await store.close();
  });

  it('should refuse a vector whose owner range is full, changing nothing, rather than spill into the next range', async () => {
    const store = await open(undefined, { vectorPrecision: 'int8' });
    await store.put([{ text: 'first', scope: { userId: 'ann' }, vectors: { turn: vectors[0]! } }]);
    await store.put([{ text: 'other user', scope: { userId: 'bob' }, vectors: { turn: vectors[1]! } }]);
    await store.close();
    // Ann's only row moved to her range's last slot, as if 2^32 puts had gone before.
    const db = sql();
    const ann = db.prepare("SELECT id FROM owner_segments WHERE user_id = 'ann' AND scale = 'turn'").pluck().get() as number;
    db.prepare('UPDATE owner_vectors SET slot = ? WHERE slot = ?').run(segmentSlots(ann)[1], segmentSlots(ann)[0]);
    db.close();
    const reopened = await open(undefined, { vectorPrecision: 'int8' });
    await expect(reopened.put([{ text: 'one too many', scope: { userId: 'ann' }, vectors: { turn: vectors[2]! } }])).rejects.toMatchObject({ code: 'STORAGE' });
    expect((await reopened.list({ scope: { userId: 'ann' } })).map((record) => record.text)).toEqual(['first']);
    const hits = await reopened.searchVectors({ scale: 'turn', vector: vectors[1]!, k: 5, filter: { scope: { userId: 'bob' } } });
    expect(hits.map((hit) => hit.record.text)).toEqual(['other user']);
    expect(await reopened.verifyIndexes()).toEqual([]);
    await reopened.close();
  });
});

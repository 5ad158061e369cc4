import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { createManualClock } from '@neuromem/core';
import { createTempDir, randomUnitVectors } from '@neuromem/core/testing';
import { createSqliteStore } from './create-sqlite-store';

// By default the vector indexes are read from disk the first time a search needs them: owner-scoped
// searches scan owner segments, so a large memory opens without reading its index files.
describe('vector indexes opened on demand', () => {
  const dimensions = 8;
  const vectors = randomUnitVectors(60, dimensions, 5);
  let dir: ReturnType<typeof createTempDir>;
  beforeEach(() => (dir = createTempDir()));
  afterEach(() => dir.remove());
  const open = () => createSqliteStore({ path: dir.path, vectorScales: { turn: dimensions, session: dimensions }, clock: createManualClock(Date.UTC(2024, 0, 1), { tick: 1 }) });
  const items = (from: number, to: number, userId = 'alice') =>
    vectors.slice(from, to).map((vector, i) => ({ text: `memory ${from + i}`, scope: { userId, sessionId: 's' }, vectors: { turn: vector }, sessionVector: vector }));

  it('should open without reading an index file, answer owner-scoped searches without one, and load it for an unscoped search', async () => {
    const store = await open();
    await store.put(items(0, 20));
    await store.searchVectors({ scale: 'turn', vector: vectors[0]!, k: 1 }); // unscoped: loads (fresh) the turn index
    await store.close();
    writeFileSync(join(dir.path, 'index-turn.usearch'), 'damaged, but nobody has read it yet');
    const reopened = await open();
    expect(reopened.openReport).toMatchObject({ vectorIndexes: { turn: 'deferred', session: 'deferred' }, repairs: [] });
    const [mine] = await reopened.searchVectors({ scale: 'turn', vector: vectors[3]!, k: 1, filter: { scope: { userId: 'alice' } } });
    expect(mine!.record.text).toBe('memory 3');
    expect((await reopened.searchSessions({ vector: vectors[3]!, k: 1, scope: { userId: 'alice' } })).length).toBe(1);
    expect(reopened.openReport.vectorIndexes.turn).toBe('deferred');
    const [anyone] = await reopened.searchVectors({ scale: 'turn', vector: vectors[4]!, k: 1 });
    expect(anyone!.record.text).toBe('memory 4');
    expect(reopened.openReport.vectorIndexes.turn).toBe('rebuilt');
    expect(reopened.openReport.repairs).toEqual([expect.stringContaining('turn vector index rebuilt from SQLite')]);
    await reopened.close();
  });

  it('should catch up, when it loads, on what was written and deleted while it was not loaded', async () => {
    const store = await open();
    await store.put(items(0, 10));
    await store.loadIndexes();
    await store.close();
    const reopened = await open();
    const later = await reopened.put(items(10, 30, 'bob'));
    await reopened.delete(later[0]!.id);
    const report = await reopened.loadIndexes();
    expect(report.vectorIndexes).toEqual({ turn: 'caught-up', session: 'caught-up' });
    expect(await reopened.verifyIndexes()).toEqual([]);
    const [hit] = await reopened.searchVectors({ scale: 'turn', vector: vectors[15]!, k: 1 });
    expect(hit!.record.text).toBe('memory 15');
    const [gone] = await reopened.searchVectors({ scale: 'turn', vector: vectors[10]!, k: 1 });
    expect(gone!.record.text).not.toBe('memory 10');
    await reopened.close();
  });

  it('should replay the writes committed while an index was loading', async () => {
    const store = await open();
    await store.put(items(0, 20));
    await store.loadIndexes();
    await store.close();
    const reopened = await open();
    // The unscoped search starts the load; the writes queue behind nothing and commit meanwhile.
    const searching = reopened.searchVectors({ scale: 'turn', vector: vectors[0]!, k: 5 });
    const written = reopened.put(items(20, 40, 'bob'));
    const [, added] = await Promise.all([searching, written]);
    await reopened.delete(added[1]!.id);
    expect(await reopened.verifyIndexes()).toEqual([]);
    await reopened.close();
  });

  it('should log no removal for an index that has no snapshot to replay it on, and drop the ones older files logged', async () => {
    const logged = (write?: string) => {
      const db = new BetterSqlite3(join(dir.path, 'memory.db'), { readonly: write === undefined });
      try {
        if (write) db.exec(write);
        return (db.prepare('SELECT COUNT(*) AS n FROM index_removals').get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    const store = await open();
    // One add per turn: each replaces the session's vector, a removal from an index never saved.
    for (const item of items(0, 10)) await store.put([item]);
    await store.close();
    expect(logged()).toBe(0);
    // A file written before removals were logged only for saved indexes.
    expect(logged("INSERT INTO index_removals (scale, key) VALUES ('session', 1), ('session', 2)")).toBe(2);
    const reopened = await open();
    await reopened.close();
    expect(logged()).toBe(0);
    const again = await open();
    const [hit] = await again.searchSessions({ vector: vectors[9]!, k: 1, scope: {} }); // unscoped: opens (rebuilds) the session index
    expect(hit!.similarity).toBeCloseTo(1, 5);
    expect(await again.verifyIndexes()).toEqual([]);
    // Once the index is saved, its removals are logged until the next save covers them.
    await again.close();
    const saved = await open();
    await saved.put(items(10, 11));
    expect(logged()).toBeGreaterThan(0);
    await saved.close();
  });

  it('should refuse a loadIndexes option it does not know', async () => {
    await expect(createSqliteStore({ vectorScales: { turn: dimensions }, loadIndexes: 'eventually' as 'on-open' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

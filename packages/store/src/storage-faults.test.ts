import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTempDir, randomUnitVectors } from '@neuromem/core/testing';
import { createSqliteStore } from './create-sqlite-store';

describe('storage faults of the SQLite store', () => {
  const dimensions = 8;
  let dir: ReturnType<typeof createTempDir>;
  beforeEach(() => {
    dir = createTempDir();
  });
  afterEach(() => dir.remove());

  const open = (flushEvery?: number) => createSqliteStore({ path: dir.path, vectorScales: { turn: dimensions }, loadIndexes: 'on-open', ...(flushEvery ? { flushEvery } : {}) });
  const items = (n: number, seed: number) =>
    randomUnitVectors(n, dimensions, seed).map((v, i) => ({ text: `memory ${seed}-${i} ${'about the Lisbon trip '.repeat(40)}`, scope: { userId: 'u' }, vectors: { turn: v } }));
  /** Puts an obstacle where the index file belongs: root ignores file modes, but not a directory. */
  const obstruct = (path: string) => {
    rmSync(path, { force: true });
    mkdirSync(path);
    writeFileSync(join(path, 'obstacle'), '');
  };

  it('should empty the WAL once a checkpoint has copied it into memory.db', async () => {
    const store = await open();
    const wal = join(dir.path, 'memory.db-wal');
    // SQLite checkpoints at 1,000 pages; frames it copied must not wait in the WAL for the next write.
    const limit = 1000 * (4096 + 24);
    let checkpointed = false;
    for (let seed = 1; !checkpointed; seed++) {
      await store.put(items(20, seed));
      expect(statSync(wal).size).toBeLessThan(limit);
      checkpointed = statSync(join(dir.path, 'memory.db')).size > 64 * 1024;
    }
    await store.close();
  });

  it('should acknowledge a committed write when its periodic index snapshot cannot be saved', async () => {
    const store = await open(1);
    await store.put(items(2, 1));
    obstruct(join(dir.path, 'index-turn.usearch'));
    const [record] = await store.put(items(1, 2));
    expect(await store.get(record!.id)).toMatchObject({ text: record!.text });
    await expect(store.close()).rejects.toMatchObject({ code: 'STORAGE', message: expect.stringContaining('next open') });
  });

  it('should release the directory when close() cannot save the index, and rebuild it on the next open', async () => {
    const store = await open();
    const records = await store.put(items(5, 1));
    await store.close();
    const reopened = await open();
    records.push(...(await reopened.put(items(3, 2))));
    obstruct(join(dir.path, 'index-turn.usearch'));
    await expect(reopened.close()).rejects.toMatchObject({ code: 'STORAGE', message: expect.stringMatching(/could not save the vector index.*Nothing is lost/) });
    await expect(reopened.count()).rejects.toMatchObject({ code: 'CLOSED' });

    rmSync(join(dir.path, 'index-turn.usearch'), { recursive: true });
    const recovered = await open();
    expect(recovered.openReport.vectorIndexes.turn).toBe('rebuilt');
    expect((await recovered.getMany(records.map((r) => r.id))).map((r) => r.text)).toEqual(records.map((r) => r.text));
    expect(await recovered.verifyIndexes()).toEqual([]);
    await recovered.close();
  });
});

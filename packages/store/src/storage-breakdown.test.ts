import { createTempDir, randomUnitVectors } from '@neuromem/core/testing';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { createSqliteStore } from './create-sqlite-store';

describe('storageBreakdown', () => {
  it('should account for every page of the database by what it holds, and the index files beside it', async () => {
    const dir = createTempDir();
    try {
      const store = await createSqliteStore({ path: dir.path, vectorScales: { turn: 64, session: 64 }, flushEvery: 1 });
      const vectors = randomUnitVectors(40, 64, 5);
      await store.put(
        vectors.map((vector, i) => ({
          text: `Caroline went to the support group on day ${i}`,
          scope: { userId: 'u', sessionId: `s${i % 4}` },
          vectors: { turn: vector },
          entities: ['name:caroline'],
        })),
      );
      await store.searchVectors({ scale: 'turn', vector: vectors[0]!, k: 3 }); // opens (and writes) the turn index
      await store.flush();
      const breakdown = await store.storageBreakdown();
      for (const component of ['records', 'text index', 'vectors', 'vector indexes', 'graph', 'history'] as const) expect(breakdown[component]).toBeGreaterThan(0);
      // Pages a purge emptied are free until compact() gives them back.
      expect(breakdown.free).toBe(0);
      const ids = (await store.list({ scope: { userId: 'u' } })).map((record) => record.id);
      for (const id of ids.slice(0, 30)) await store.purge(id);
      const freed = (await store.storageBreakdown()).free;
      expect(freed).toBeGreaterThan(0);
      await store.compact();
      expect((await store.storageBreakdown()).free).toBeLessThan(freed);
      await store.close();

      const db = new Database(join(dir.path, 'memory.db'), { readonly: true });
      const pages = (db.pragma('page_count', { simple: true }) as number) - (db.pragma('freelist_count', { simple: true }) as number);
      const fileBytes = pages * (db.pragma('page_size', { simple: true }) as number);
      db.close();
      const { 'vector indexes': indexes, free: _free, ...inDatabase } = breakdown;
      expect(indexes).toBeGreaterThan(0);
      // Every used page belongs to one component (the schema page included, under records or other).
      expect(Object.values(inDatabase).reduce((sum, bytes) => sum + bytes, 0)).toBeLessThanOrEqual(fileBytes + 4096 * 8);
    } finally {
      dir.remove();
    }
  });
});

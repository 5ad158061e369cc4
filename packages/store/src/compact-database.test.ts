import { createTempDir, randomUnitVectors } from '@neuromem/core/testing';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { createSqliteStore } from './create-sqlite-store';

describe('compact', () => {
  it('should give back the room that dropped vectors leave inside pages, though no page is free', async () => {
    const dir = createTempDir();
    try {
      const store = await createSqliteStore({ path: dir.path, vectorScales: { turn: 512 } });
      const vectors = randomUnitVectors(600, 512, 3);
      const records = await store.put(vectors.map((vector, i) => ({ text: `memory number ${i}`, scope: { userId: 'u' }, vectors: { turn: vector } })));
      await store.compact();
      const before = statSync(join(dir.path, 'memory.db')).size;
      // Every other memory turns cold: each page keeps half its rows, none is emptied.
      for (const record of records.filter((_, i) => i % 2 === 1)) await store.setVectors!(record.id, null);
      expect((await store.storageBreakdown()).free).toBeLessThan(before * 0.1);
      expect((await store.compact()).rewritten).toBe(true);
      const after = statSync(join(dir.path, 'memory.db')).size;
      expect(after).toBeLessThan(before * 0.8);
      // The count starts again after a rewrite: nothing more to give back, nothing rewritten.
      expect((await store.compact()).rewritten).toBe(false);
      expect((await store.vectors([records[0]!.id, records[1]!.id], 'turn')).size).toBe(1);
      await store.close();
    } finally {
      dir.remove();
    }
  });
});

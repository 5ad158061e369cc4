import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { createManualClock } from '@neuromem/core';
import { createTempDir } from '@neuromem/core/testing';
import { createSqliteStore } from './create-sqlite-store';
import { CURRENT_FROM, RECORD_COLUMNS, RECORD_WIDTH } from './record-rows';

describe('record rows', () => {
  it('should read every record the same from a raw row (many-record reads) as from a row object (get)', async () => {
    const dir = createTempDir();
    try {
      const store = await createSqliteStore({ path: dir.path, vectorScales: { turn: 3 }, clock: createManualClock(Date.UTC(2024, 0, 1), { tick: 1 }) });
      const stored = await store.put([
        {
          text: 'Alice moved to Lisbon in May',
          scope: { userId: 'alice', sessionId: 's1' },
          role: 'user',
          vectors: { turn: Float32Array.of(1, 0, 0) },
          metadata: { dia_id: 'D1:1', tags: ['move'] },
          source: { type: 'message', ref: 'm-1' },
        },
        { text: 'Lisbon trams are yellow', scope: { userId: 'alice', agentId: 'guide' }, importance: 0.9, vectors: { turn: Float32Array.of(0.8, 0.6, 0) } },
        { text: 'The guide likes Lisbon too', scope: { agentId: 'guide' }, kind: 'semantic', eventTime: Date.UTC(2023, 4, 1) },
      ]);
      await store.update(stored[0]!.id, { text: 'Alice moved to Lisbon in June', vectors: { turn: Float32Array.of(0.6, 0.8, 0) } });
      await store.recordAccess([stored[1]!.id, stored[1]!.id]);
      for (const record of stored) {
        const one = await store.get(record.id);
        expect(await store.getMany([record.id])).toEqual([one]);
        expect((await store.list({ scope: record.scope })).find((r) => r.id === record.id)).toEqual(one);
        const [hit] = (await store.searchText({ text: 'Lisbon', k: 10, filter: { scope: record.scope } })).filter((h) => h.record.id === record.id);
        expect(hit?.record).toEqual(one);
      }
      // By vector: the records behind the nearest keys.
      for (const hit of await store.searchVectors({ scale: 'turn', vector: Float32Array.of(1, 0, 0), k: 5, filter: { scope: { userId: 'alice' } } })) {
        expect(hit.record).toEqual(await store.get(hit.record.id));
      }
      // Not scoped to one user: the shared text index answers, with the same records.
      const everyone = await store.searchText({ text: 'Lisbon', k: 10, filter: {} });
      for (const { record } of everyone) expect(record).toEqual(await store.get(record.id));
      expect(everyone).toHaveLength(3);
      await store.close();
      // The width every raw read counts on.
      const db = new BetterSqlite3(join(dir.path, 'memory.db'), { readonly: true });
      expect(db.prepare(`SELECT ${RECORD_COLUMNS} FROM ${CURRENT_FROM}`).columns()).toHaveLength(RECORD_WIDTH);
      db.close();
    } finally {
      dir.remove();
    }
  });
});

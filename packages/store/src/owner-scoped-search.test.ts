import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { cosineSimilarity, createManualClock, type Scope } from '@neuromem/core';
import { createTempDir, randomUnitVectors } from '@neuromem/core/testing';
import { createSqliteStore } from './create-sqlite-store';

// Owner-scoped searches scan per-owner segments; these check them against a brute-force answer
// while other owners' memories, edits and deletions go on around them.
describe('owner-scoped vector search', () => {
  const dimensions = 16;
  const vectors = randomUnitVectors(400, dimensions, 11);
  const open = (segmentsFollowWriters = false) =>
    createSqliteStore({ vectorScales: { turn: dimensions, session: dimensions }, clock: createManualClock(Date.UTC(2024, 0, 1), { tick: 1 }), segmentsFollowWriters });
  const scopes: Scope[] = [{ userId: 'alice' }, { userId: 'bob' }, { userId: 'alice', agentId: 'helper' }, { agentId: 'helper' }];

  /** The exact top k of the store's current memories inside `scope`. */
  async function bruteForce(store: Awaited<ReturnType<typeof open>>, scope: Scope, query: Float32Array, k: number) {
    const records = await store.list({ scope });
    const withVectors = await store.vectors(
      records.map((r) => r.id),
      'turn',
    );
    return records
      .map((record) => ({ id: record.id, similarity: cosineSimilarity(query, withVectors.get(record.id)!) }))
      .sort((a, b) => b.similarity - a.similarity)
      .slice(0, k);
  }

  async function expectExact(store: Awaited<ReturnType<typeof open>>, query: Float32Array) {
    for (const scope of scopes) {
      const hits = await store.searchVectors({ scale: 'turn', vector: query, k: 5, filter: { scope } });
      const expected = await bruteForce(store, scope, query, 5);
      expect(hits.map((hit) => hit.record.id)).toEqual(expected.map((e) => e.id));
      hits.forEach((hit, i) => expect(hit.similarity).toBeCloseTo(expected[i]!.similarity, 5));
      for (const hit of hits) expect({ ...hit.record.scope, sessionId: undefined }).toMatchObject(scope);
    }
  }

  it.each([false, true])("should give each owner the exact nearest of its own memories while others' change (segments follow writers: %s)", async (follow) => {
    const store = await open(follow);
    const owners = [{ userId: 'alice' }, { userId: 'bob' }, { userId: 'alice', agentId: 'helper' }, { userId: 'carol', agentId: 'helper' }];
    const stored = await store.put(vectors.slice(0, 120).map((vector, i) => ({ text: `memory ${i}`, scope: { ...owners[i % 4], sessionId: `s${i % 3}` }, vectors: { turn: vector } })));
    await expectExact(store, vectors[300]!); // segments read from SQLite
    await store.put(vectors.slice(120, 160).map((vector, i) => ({ text: `later ${i}`, scope: owners[i % 4]!, vectors: { turn: vector } })));
    await expectExact(store, vectors[301]!); // new memories appended
    for (const record of stored.slice(0, 20)) await store.update(record.id, { text: `${record.text} (edited)`, vectors: { turn: vectors[200 + stored.indexOf(record)]! } });
    for (const record of stored.slice(20, 40)) await store.delete(record.id);
    await expectExact(store, vectors[302]!); // edits replace vectors, deletions remove them
    await expectExact(store, vectors[205]!); // an edited memory's new vector is found...
    const old = await store.searchVectors({ scale: 'turn', vector: vectors[5]!, k: 1, filter: { scope: { userId: 'bob' } } });
    expect(old[0]?.record.id).not.toBe(stored[5]!.id); // ...its old one is not
    await store.close();
  });

  it('should answer an owner with no memories with nothing, and a store reset empties every segment', async () => {
    const store = await open();
    await store.put([{ text: 'one', scope: { userId: 'alice' }, vectors: { turn: vectors[0]! } }]);
    expect(await store.searchVectors({ scale: 'turn', vector: vectors[0]!, k: 3, filter: { scope: { userId: 'nobody' } } })).toEqual([]);
    expect(await store.searchVectors({ scale: 'turn', vector: vectors[0]!, k: 3, filter: { scope: { userId: 'alice' } } })).toHaveLength(1);
    await store.reset();
    expect(await store.searchVectors({ scale: 'turn', vector: vectors[0]!, k: 3, filter: { scope: { userId: 'alice' } } })).toEqual([]);
    await store.put([{ text: 'two', scope: { userId: 'alice' }, vectors: { turn: vectors[1]! } }]);
    const [hit] = await store.searchVectors({ scale: 'turn', vector: vectors[1]!, k: 3, filter: { scope: { userId: 'alice' } } });
    expect(hit?.record.text).toBe('two');
    await store.close();
  });

  it("should hand out the vectors the searched owner's segment holds exactly as SQLite reads them, through edits, deletions and other owners' memories", async () => {
    const dir = createTempDir();
    try {
      const openAt = () =>
        createSqliteStore({ path: dir.path, vectorScales: { turn: dimensions, session: dimensions }, vectorPrecision: 'int8', clock: createManualClock(Date.UTC(2024, 0, 1), { tick: 1 }) });
      const store = await openAt();
      const stored = await store.put(vectors.slice(0, 40).map((vector, i) => ({ text: `m${i}`, scope: { userId: i % 2 ? 'alice' : 'bob', sessionId: 's' }, vectors: { turn: vector } })));
      const ids = stored.map((record) => record.id);
      const search = () => store.searchVectors({ scale: 'turn', vector: vectors[300]!, k: 5, filter: { scope: { userId: 'alice' } } });
      // Alice's segment is read (keys only), then learns her memories as vectors() names them.
      await search();
      const first = await store.vectors(ids, 'turn');
      const again = await store.vectors(ids, 'turn');
      // Edited (a new vector), deleted, written since: the segment follows each commit.
      await store.update(ids[1]!, { text: 'm1 edited', vectors: { turn: vectors[200]! } });
      await store.delete(ids[3]!);
      const [later] = await store.put([{ text: 'later', scope: { userId: 'alice' }, vectors: { turn: vectors[201]! } }]);
      await search();
      const after = await store.vectors([...ids, later!.id], 'turn');
      await store.close();
      // A fresh process reads every vector from SQLite.
      const fresh = await openAt();
      const read = await fresh.vectors([...ids, later!.id], 'turn');
      await fresh.close();
      const asArrays = (found: Map<string, Float32Array>) => new Map([...found].map(([id, vector]) => [id, Array.from(vector)]));
      expect(first.size).toBe(40);
      expect(asArrays(again)).toEqual(asArrays(first));
      expect(after.has(ids[3]!)).toBe(false);
      expect([...after.keys()].sort()).toEqual([...read.keys()].sort());
      for (const [id, vector] of read) expect(Array.from(after.get(id)!)).toEqual(Array.from(vector).map((x) => expect.closeTo(x, 6)));
      expect(cosineSimilarity(after.get(ids[1]!)!, vectors[200]!)).toBeGreaterThan(0.99);
    } finally {
      dir.remove();
    }
  });

  it("should search an owner's sessions from its segment too", async () => {
    const store = await open();
    await store.put(
      vectors
        .slice(0, 12)
        .map((vector, i) => ({ text: `t${i}`, scope: { userId: i % 2 ? 'alice' : 'bob', sessionId: `s${i % 3}` }, vectors: { turn: vector }, sessionVector: vectors[350 + (i % 6)]! })),
    );
    const sessions = await store.searchSessions({ vector: vectors[351]!, k: 10, scope: { userId: 'alice' } });
    expect(sessions.length).toBeGreaterThan(0);
    for (const session of sessions) expect(session.scope.userId).toBe('alice');
    expect(sessions[0]!.similarity).toBeGreaterThan(0.99);
    await store.close();
  });

  it("should keep each user's int8 rows in step with every write, fill them for a schema-3 file, and rebuild them when damaged", async () => {
    const dir = createTempDir();
    try {
      // float32 first: those vectors sit in `vectors` with an int8 copy per user, as every schema-3 to 6 file kept them.
      const openAt = (vectorPrecision: 'int8' | 'float32' = 'float32') =>
        createSqliteStore({ path: dir.path, vectorScales: { turn: dimensions, session: dimensions }, vectorPrecision, clock: createManualClock(Date.UTC(2024, 0, 1), { tick: 1 }) });
      const sql = (statements: string) => {
        const db = new BetterSqlite3(join(dir.path, 'memory.db'));
        db.exec(statements);
        db.close();
      };
      let store = await openAt();
      const stored = await store.put(vectors.slice(0, 30).map((vector, i) => ({ text: `m${i}`, scope: { ...scopes[i % 3], sessionId: 's' }, vectors: { turn: vector }, sessionVector: vector })));
      await store.update(stored[0]!.id, { text: 'm0 edited', vectors: { turn: vectors[40]! } });
      await store.delete(stored[1]!.id);
      await store.purge(stored[2]!.id);
      expect(await store.verifyIndexes()).toEqual([]);
      await expectExact(store, vectors[41]!);
      await store.close();
      // A file from schema 3 has no int8 rows: they are made on open.
      sql('DROP TABLE owner_vectors; PRAGMA user_version = 3;');
      store = await openAt();
      await expectExact(store, vectors[42]!);
      expect(await store.verifyIndexes()).toEqual([]);
      await store.close();
      // Copies lost to damage (rows of the schema-3 file, whose vectors also sit in `vectors`) are
      // found by verifyIndexes() and made again.
      const damage =
        "DELETE FROM owner_vectors WHERE key IN (SELECT ov.key FROM owner_vectors ov JOIN owner_segments s ON s.id = ov.slot >> 32 WHERE s.user_id = 'alice' AND s.scale = 'turn' AND ov.length IS NULL LIMIT 3);";
      sql(damage);
      store = await openAt();
      expect(await store.verifyIndexes()).toEqual([expect.stringMatching(/^owner_vectors held \d+ int8 vectors where \d+ belong; rebuilt from vectors$/)]);
      await expectExact(store, vectors[43]!);
      // Vectors written since are kept once, in their owner rows: lost with them, their memories are
      // searched as cold ones (no vector) and every other answer stays exact.
      await store.close();
      store = await openAt('int8');
      const later = await store.put(vectors.slice(50, 56).map((vector, i) => ({ text: `later ${i}`, scope: { userId: 'alice', sessionId: 's' }, vectors: { turn: vector } })));
      await store.close();
      sql(`DELETE FROM owner_vectors WHERE key IN (SELECT key FROM vectors WHERE memory_id IN ('${later[0]!.id}', '${later[1]!.id}'))`);
      store = await openAt('int8');
      // The vector index, built when they were whole, disagrees too, and is rebuilt.
      expect(await store.verifyIndexes()).toEqual(expect.arrayContaining([expect.stringMatching(/; 2 vectors kept only there were lost/)]));
      expect([...(await store.vectors([later[0]!.id, later[1]!.id, later[2]!.id], 'turn')).keys()]).toEqual([later[2]!.id]);
      const hits = await store.searchVectors({ scale: 'turn', vector: vectors[50]!, k: 40, filter: { scope: { userId: 'alice' } } });
      expect(hits.map((hit) => hit.record.id)).not.toContain(later[0]!.id);
      expect(await store.get(later[0]!.id)).toMatchObject({ text: 'later 0' });
      expect(await store.verifyIndexes()).toEqual([]);
      await store.close();
    } finally {
      dir.remove();
    }
  });

  it("should write only a batch's last session vector per session, as if each had replaced the one before", async () => {
    const store = await open();
    const scope = { userId: 'alice', sessionId: 'trip' };
    await store.put(vectors.slice(0, 5).map((vector, i) => ({ text: `t${i}`, scope, vectors: { turn: vector }, sessionVector: vectors[100 + i]! })));
    expect((await store.stats()).vectors.session).toBe(1);
    const [session] = await store.searchSessions({ vector: vectors[104]!, k: 1, scope: { userId: 'alice' } });
    expect(session!.similarity).toBeGreaterThan(0.9999); // the very vector, as int8 rounding left it
    expect(await store.verifyIndexes()).toEqual([]);
    await store.close();
  });

  it('should refuse a negative or fractional ownerSegmentLimit or segmentCacheBytes, and a segmentsFollowWriters that is not a boolean', async () => {
    await expect(createSqliteStore({ vectorScales: { turn: dimensions }, ownerSegmentLimit: -1 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(createSqliteStore({ vectorScales: { turn: dimensions }, segmentCacheBytes: 1.5 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(createSqliteStore({ vectorScales: { turn: dimensions }, segmentsFollowWriters: 'yes' as unknown as boolean })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      details: { field: 'segmentsFollowWriters' },
    });
  });
});

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { randomUnitVectors, testMemoryStore } from '@neuromem/core/testing';
import { createExactIndex } from './create-exact-index';
import { createSqliteStore } from './create-sqlite-store';
import { onDiskStores } from './test-support';

const every = {
  textSearch: true,
  graphActivation: true,
  sessionSearch: true,
  tokenVectors: true,
  batchNeighbors: true,
  neighborIds: true,
  userState: true,
  vectorTiers: true,
  compaction: true,
  userStateSwap: true,
};

testMemoryStore({
  name: 'SQLite store on disk (usearch)',
  create: ({ dimensions, directory, clock }) => createSqliteStore({ path: directory, vectorScales: { turn: dimensions, session: dimensions, token: dimensions }, clock }),
  capabilities: { persistent: true, ...every },
});

testMemoryStore({
  name: 'SQLite store in memory',
  create: ({ dimensions, clock }) => createSqliteStore({ vectorScales: { turn: dimensions, session: dimensions, token: dimensions }, clock }),
  capabilities: { persistent: false, ...every },
});

testMemoryStore({
  name: 'SQLite store with the exact index and ANN forced for filters',
  create: ({ dimensions, directory, clock }) =>
    createSqliteStore({
      path: directory,
      vectorScales: { turn: dimensions, session: dimensions, token: dimensions },
      clock,
      createIndex: ({ dimensions: d }) => createExactIndex({ dimensions: d }),
      exactScanLimit: 1,
    }),
  capabilities: { persistent: true, ...every },
});

describe('createSqliteStore', () => {
  const dimensions = 8;
  const stores = onDiskStores(dimensions);
  const { open, items } = stores;

  it('should answer alike with and without a memory-mapped file, and refuse a map size that is not a non-negative integer', async () => {
    const written = await open();
    await written.put(items(30, 7));
    await written.close();
    const answers = [];
    for (const mmapBytes of [0, 1 << 20]) {
      const store = await open(stores.dir.path, { mmapBytes });
      const [query] = randomUnitVectors(1, dimensions, 99);
      answers.push((await store.searchVectors({ scale: 'turn', vector: query!, k: 5, filter: { scope: { userId: 'u' } } })).map((hit) => [hit.record.id, hit.similarity]));
      await store.close();
    }
    expect(answers[1]).toEqual(answers[0]);
    for (const mmapBytes of [-1, 1.5, Number.NaN]) await expect(open(stores.dir.path, { mmapBytes })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('should refuse a second open of the same directory', async () => {
    const store = await open();
    await expect(open()).rejects.toMatchObject({ code: 'LOCKED' });
    await store.close();
    const again = await open();
    await again.close();
  });

  it('should load its index snapshot when it closed cleanly', async () => {
    const store = await open();
    await store.put(items(20, 1));
    await store.close();
    const reopened = await open();
    expect(reopened.openReport.vectorIndexes.turn).toBe('loaded');
    expect(await reopened.verifyIndexes()).toEqual([]);
    await reopened.close();
  });

  /** The snapshot record flush() wrote in SQLite (read beside the open store; WAL allows readers). */
  const snapshotRecord = (scale: string) => {
    const db = new BetterSqlite3(join(stores.dir.path, 'memory.db'), { readonly: true });
    try {
      return (db.prepare('SELECT value FROM meta WHERE key = ?').get(`vector-index:${scale}`) as { value: string }).value;
    } finally {
      db.close();
    }
  };

  it('should replay writes made after the last snapshot', async () => {
    const store = await open();
    await store.put(items(30, 2));
    await store.flush();
    const file = readFileSync(join(stores.dir.path, 'index-turn.usearch'));
    const record = snapshotRecord('turn');
    const late = await store.put(items(5, 3));
    await store.delete(late[0]!.id);
    await store.update(late[1]!.id, { text: 'changed', vectors: { turn: randomUnitVectors(1, dimensions, 99)[0]! } });
    await store.close();
    // As if the process died after flush(): the file and its record are the older snapshot.
    writeFileSync(join(stores.dir.path, 'index-turn.usearch'), file);
    const db = new BetterSqlite3(join(stores.dir.path, 'memory.db'));
    db.prepare("UPDATE meta SET value = ? WHERE key = 'vector-index:turn'").run(record);
    db.close();
    const reopened = await open();
    expect(reopened.openReport.vectorIndexes.turn).toBe('caught-up');
    expect(await reopened.verifyIndexes()).toEqual([]);
    expect(await reopened.count()).toBe(34);
    const [hit] = await reopened.searchVectors({ scale: 'turn', vector: randomUnitVectors(1, dimensions, 99)[0]!, k: 1 });
    expect(hit!.record.text).toBe('changed');
    await reopened.close();
  });

  it('should rebuild an index whose file no longer matches the checksum recorded at the snapshot', async () => {
    const store = await open();
    await store.put(items(200, 5));
    await store.close();
    // Flip bytes in the middle of the file (the vector area), where the file stays structurally valid.
    const path = join(stores.dir.path, 'index-turn.usearch');
    const bytes = readFileSync(path);
    for (let i = 1000; i < 1400; i++) bytes[i] = bytes[i]! ^ 0xff;
    writeFileSync(path, bytes);
    const reopened = await open();
    expect(reopened.openReport.vectorIndexes.turn).toBe('rebuilt');
    expect(reopened.openReport.repairs).toEqual([expect.stringContaining('turn vector index rebuilt from SQLite: index file checksum mismatch')]);
    expect(await reopened.verifyIndexes()).toEqual([]);
    const [hit] = await reopened.searchVectors({ scale: 'turn', vector: randomUnitVectors(200, dimensions, 5)[17]!, k: 1 });
    expect(hit!.record.text).toBe('memory 5-17');
    await reopened.close();
  });

  it('should finish a snapshot save that a crash interrupted between recording it and renaming the file', async () => {
    const store = await open();
    await store.put(items(20, 8));
    await store.close();
    const older = readFileSync(join(stores.dir.path, 'index-turn.usearch'));
    const reopened = await open();
    await reopened.put(items(10, 9));
    await reopened.close();
    // As if killed after the record was written but before the rename: the new file still waits
    // beside the old one under its temporary name.
    writeFileSync(join(stores.dir.path, 'index-turn.usearch.tmp-31337'), readFileSync(join(stores.dir.path, 'index-turn.usearch')));
    writeFileSync(join(stores.dir.path, 'index-turn.usearch'), older);
    const recovered = await open();
    expect(recovered.openReport.vectorIndexes.turn).toBe('loaded');
    expect(recovered.openReport.repairs).toEqual([expect.stringContaining('turn vector index: put in place the snapshot whose save a crash interrupted')]);
    expect(readdirSync(stores.dir.path).filter((name) => name.includes('.tmp-'))).toEqual([]);
    expect(await recovered.verifyIndexes()).toEqual([]);
    await recovered.close();
  });

  it('should remove temporary files left by an interrupted save when it opens', async () => {
    const store = await open();
    await store.put(items(3, 6));
    await store.close();
    writeFileSync(join(stores.dir.path, 'index-turn.usearch.tmp-424242'), 'half a file');
    writeFileSync(join(stores.dir.path, 'corpus-stats.json.tmp-7'), '{');
    const reopened = await open();
    // Other files' debris goes at once; an index's when that index opens (its save might be completed from it).
    expect(reopened.openReport.repairs).toEqual([expect.stringContaining('corpus-stats.json.tmp-7'), expect.stringContaining('index-turn.usearch.tmp-424242')]);
    expect(readdirSync(stores.dir.path).filter((name) => name.includes('.tmp-'))).toEqual([]);
    await reopened.close();
  });

  it('should find vectors damaged while open, rebuild the index from SQLite, and never keep the damaged one', async () => {
    let opened = 0;
    const store = await createSqliteStore({
      vectorScales: { turn: dimensions },
      // The first index built stores a wrong vector for every key, as a corrupt vector area would.
      createIndex: async ({ dimensions: d }) => {
        const index = await createExactIndex({ dimensions: d });
        if (opened++ > 0) return index;
        return {
          ...index,
          add: (keys, vectors) =>
            index.add(
              keys,
              vectors.map((_, i) => randomUnitVectors(1, d, keys[i]! + 1000)[0]!),
            ),
        };
      },
    });
    const written = await store.put(items(40, 7));
    const problems = await store.verifyIndexes();
    expect(problems).toEqual([expect.stringContaining('no longer find themselves')]);
    expect(store.repairs).toEqual([expect.stringContaining('turn vector index rebuilt from SQLite')]);
    expect(await store.verifyIndexes()).toEqual([]);
    const [hit] = await store.searchVectors({ scale: 'turn', vector: randomUnitVectors(40, dimensions, 7)[9]!, k: 1 });
    expect(hit!.record.id).toBe(written[9]!.id);
    await store.close();
  });

  it('should set right graph edges whose liveness disagrees with their ends', async () => {
    const store = await open();
    const [first, second] = await store.put(items(2, 3));
    await store.delete(second!.id);
    await store.close();
    // A damaged file: the deleted turn's two edges are marked live again, the live part_of hidden.
    const db = new BetterSqlite3(join(stores.dir.path, 'memory.db'));
    db.exec('UPDATE edges SET live = 1 - live WHERE type IN (0, 1)'); // next, part_of
    db.close();
    const reopened = await open();
    expect(await reopened.verifyIndexes()).toEqual([expect.stringMatching(/^3 graph edge\(s\) had the wrong liveness/)]);
    expect((await reopened.neighbors(first!.id, {})).map((n) => n.node)).toEqual(['session']);
    expect(await reopened.verifyIndexes()).toEqual([]);
    await reopened.close();
  });

  it('should rebuild a damaged index from SQLite', async () => {
    const store = await open();
    await store.put(items(10, 4));
    await store.close();
    writeFileSync(join(stores.dir.path, 'index-turn.usearch'), 'not an index');
    const reopened = await open();
    expect(reopened.openReport.vectorIndexes.turn).toBe('rebuilt');
    expect(await reopened.verifyIndexes()).toEqual([]);
    const [hit] = await reopened.searchVectors({ scale: 'turn', vector: randomUnitVectors(10, dimensions, 4)[3]!, k: 1 });
    expect(hit!.record.text).toBe('memory 4-3');
    await reopened.close();
  });

  it('should reject vectors for a scale it does not index', async () => {
    const store = await open();
    await expect(store.put([{ text: 'x', scope: { userId: 'u' }, vectors: { session: new Float32Array(dimensions).fill(1) } }])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await store.close();
  });

  it('should require new vectors when the text of an indexed memory changes', async () => {
    const store = await open();
    const [saved] = await store.put(items(1, 5));
    await expect(store.update(saved!.id, { text: 'new text' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect((await store.update(saved!.id, { importance: 0.9 })).version).toBe(2);
    await store.close();
  });
});

import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { createManualClock } from '@neuromem/core';
import { createTempDir, randomUnitVectors } from '@neuromem/core/testing';
import { createSqliteStore, type SqliteMemoryStore, type SqliteStoreOptions } from './create-sqlite-store';

const dimensions = 8;
const vectors = randomUnitVectors(40, dimensions, 7);

describe('createSqliteStore({ readOnly: true })', () => {
  let dir: ReturnType<typeof createTempDir>;
  const open = (extra: Partial<SqliteStoreOptions> = {}) =>
    createSqliteStore({ path: dir.path, vectorScales: { turn: dimensions, session: dimensions }, clock: createManualClock(Date.UTC(2024, 0, 1), { tick: 1 }), ...extra });
  const item = (i: number, userId = 'alice') => ({ text: `memory number ${i} about sailing`, scope: { userId, sessionId: `s-${userId}` }, vectors: { turn: vectors[i]! } });
  /**
   * Every file of the directory with its size and modification time: what "wrote nothing" is checked
   * against. SQLite's shared-memory files are left out: a reader needs them and creates them, empty, when no writer has.
   */
  const files = () =>
    Object.fromEntries(
      readdirSync(dir.path)
        .filter((name) => !/-(wal|shm)$/.test(name))
        .map((name) => [name, `${statSync(join(dir.path, name)).size}@${statSync(join(dir.path, name)).mtimeMs}`]),
    );
  beforeEach(() => {
    dir = createTempDir();
  });
  afterEach(() => dir.remove());

  it('should read what the process holding the directory committed, and follow its later commits', async () => {
    const writer = await open();
    const [first] = await writer.put([item(0), item(1, 'bob')]);
    const reader = await open({ readOnly: true });
    try {
      expect(reader.readOnly).toBe(true);
      expect(await reader.get(first!.id, { scope: { userId: 'alice' } })).toMatchObject({ text: 'memory number 0 about sailing' });
      expect(await reader.history(first!.id)).toHaveLength(1);
      expect((await reader.searchText({ text: 'sailing', k: 5, filter: { scope: { userId: 'alice' } } })).map((hit) => hit.record.id)).toEqual([first!.id]);
      // Both the owner's segment (scoped) and the ANN index (unscoped) are loaded now, then go stale.
      expect((await reader.searchVectors({ scale: 'turn', vector: vectors[0]!, k: 1, filter: { scope: { userId: 'alice' } } }))[0]!.record.id).toBe(first!.id);
      expect(await reader.searchVectors({ scale: 'turn', vector: vectors[0]!, k: 5 })).toHaveLength(2);

      const [second] = await writer.put([item(2)]);
      await writer.delete(first!.id);
      expect(await reader.get(first!.id)).toBeNull();
      expect((await reader.searchVectors({ scale: 'turn', vector: vectors[2]!, k: 1, filter: { scope: { userId: 'alice' } } }))[0]!.record.id).toBe(second!.id);
      expect((await reader.searchVectors({ scale: 'turn', vector: vectors[2]!, k: 5 })).map((hit) => hit.record.id)).toContain(second!.id);
      expect(await reader.count()).toBe(2);
      expect((await reader.stats()).memories).toBe(2);
    } finally {
      await reader.close();
      await writer.close();
    }
  });

  it('should refuse every write with UNSUPPORTED and leave the database and its index files as they were', async () => {
    const writer = await open();
    const [memory] = await writer.put([item(0), item(1)]);
    await writer.close();
    const before = files();
    const reader = await open({ readOnly: true, loadIndexes: 'on-open' });
    const refused = { code: 'UNSUPPORTED', details: { readOnly: true } };
    const writes: Array<[string, () => Promise<unknown>]> = [
      ['put', () => reader.put([item(2)])],
      ['update', () => reader.update(memory!.id, { text: 'changed' })],
      ['delete', () => reader.delete(memory!.id)],
      ['deleteWhere', () => reader.deleteWhere({})],
      ['purge', () => reader.purge(memory!.id)],
      ['link', () => reader.link([{ from: memory!.id, to: memory!.id, type: 'related', weight: 1 }])],
      ['recordAccess', () => reader.recordAccess([memory!.id])],
      ['setVectors', () => reader.setVectors(memory!.id, null)],
      ['writeUserState', () => reader.writeUserState('alice', 'k', { a: 1 })],
      ['reset', () => reader.reset()],
      ['compact', () => reader.compact()],
      ['verifyIndexes', () => reader.verifyIndexes()],
    ];
    for (const [method, write] of writes) await expect(write()).rejects.toMatchObject({ ...refused, message: expect.stringContaining(`${method}() writes`) });
    await reader.flush(); // nothing to save
    expect((await reader.get(memory!.id))?.accessCount).toBe(0);
    await reader.close();
    expect(files()).toEqual(before);
  });

  it('should load the snapshot that matches its record, and rebuild in memory (touching no file) when it does not', async () => {
    const writer = await open({ loadIndexes: 'on-open' });
    await writer.put(vectors.slice(0, 20).map((_, i) => item(i)));
    await writer.close(); // saves the snapshot
    let reader: SqliteMemoryStore = await open({ readOnly: true, loadIndexes: 'on-open' });
    expect(reader.openReport.vectorIndexes.turn).toBe('loaded');
    await reader.close();

    // A save in progress: the record names the new file, the old one is still in place, the new one waits beside it.
    const indexFile = join(dir.path, 'index-turn.usearch');
    const saving = join(dir.path, 'index-turn.usearch.tmp-99999');
    writeFileSync(saving, readFileSync(indexFile));
    writeFileSync(indexFile, Buffer.concat([readFileSync(indexFile), Buffer.from('old')]));
    const before = files();
    reader = await open({ readOnly: true, loadIndexes: 'on-open' });
    expect(reader.openReport.vectorIndexes.turn).toBe('rebuilt');
    expect((await reader.searchVectors({ scale: 'turn', vector: vectors[3]!, k: 1 }))[0]!.record.text).toBe('memory number 3 about sailing');
    await reader.close();
    expect(files()).toEqual(before);
  });

  it('should find ids by prefix for their owner only, deleted ones on request', async () => {
    const ids = ['abcd-1', 'abcd-2', 'abce-3', 'abcd-4'];
    const store = await open();
    await store.put([0, 1, 2].map((i) => ({ ...item(i), id: ids[i]! })));
    await store.put([{ ...item(3, 'bob'), id: ids[3]! }]);
    await store.delete('abcd-2');
    const reader = await open({ readOnly: true });
    try {
      expect(await reader.idsStartingWith('abcd', { scope: { userId: 'alice' } })).toEqual(['abcd-1']);
      expect(await reader.idsStartingWith('abcd', { scope: { userId: 'alice' }, includeDeleted: true })).toEqual(['abcd-1', 'abcd-2']);
      expect(await reader.idsStartingWith('abcd', { scope: { userId: 'bob' } })).toEqual(['abcd-4']);
      expect(await reader.idsStartingWith('abc', { scope: { userId: 'alice' }, limit: 1 })).toEqual(['abcd-1']);
      expect(await reader.idsStartingWith('abc')).toEqual(['abcd-1', 'abcd-4', 'abce-3']);
      expect(await reader.idsStartingWith('zz', { scope: { userId: 'alice' } })).toEqual([]);
      await expect(reader.idsStartingWith('')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    } finally {
      await reader.close();
      await store.close();
    }
  });

  it('should refuse a directory without a memory, a file of an older schema, and no path at all', async () => {
    await expect(open({ readOnly: true })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(readdirSync(dir.path)).toEqual([]);
    await expect(createSqliteStore({ vectorScales: { turn: dimensions }, readOnly: true })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const writer = await open();
    await writer.close();
    const db = new BetterSqlite3(join(dir.path, 'memory.db'));
    db.pragma('user_version = 4');
    db.close();
    await expect(open({ readOnly: true })).rejects.toMatchObject({ code: 'STORAGE', details: { needsUpgrade: true } });
  });
});

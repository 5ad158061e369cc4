import { closeSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { isNeuroMemError } from '@neuromem/core';
import { createTempDir, randomUnitVectors } from '@neuromem/core/testing';
import { createSqliteStore } from './create-sqlite-store';
import { toStorageError } from './storage-error';

describe('storage errors at the boundary', () => {
  let dir: ReturnType<typeof createTempDir>;
  beforeEach(() => {
    dir = createTempDir();
  });
  afterEach(() => dir.remove());

  const open = () => createSqliteStore({ path: dir.path, vectorScales: { turn: 4 } });

  it('should turn a damaged database into STORAGE with advice, at open and never as a raw SQLite error', async () => {
    const store = await open();
    await store.put(Array.from({ length: 300 }, (_, i) => ({ text: `memory ${i} `.repeat(20), scope: { userId: 'u' }, vectors: { turn: randomUnitVectors(1, 4, i)[0]! } })));
    await store.close();
    // Overwrite every page after the first few with garbage: the header still says "SQLite format 3".
    const file = join(dir.path, 'memory.db');
    const db = new BetterSqlite3(file);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const { size } = statSync(file);
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(size - 4096 * 3, 0xa5), 0, size - 4096 * 3, 4096 * 3);
    closeSync(fd);
    const error = await open().catch((e: unknown) => e);
    expect(isNeuroMemError(error, 'STORAGE')).toBe(true);
    expect((error as Error).message).toMatch(/damaged|recover/);
    // The lock was released: a second attempt fails the same way, not with LOCKED.
    await expect(open()).rejects.toMatchObject({ code: 'STORAGE' });
  });

  it('should refuse a file that is not a database with STORAGE', async () => {
    writeFileSync(join(dir.path, 'memory.db'), 'this is not SQLite'.repeat(100));
    await expect(open()).rejects.toMatchObject({ code: 'STORAGE' });
  });

  it('should map SQLite and file-system failures by code and leave programming errors alone', () => {
    const sqliteFull = Object.assign(new Error('database or disk is full'), { name: 'SqliteError', code: 'SQLITE_FULL' });
    expect(toStorageError(sqliteFull, 'the write')).toMatchObject({ code: 'STORAGE', details: { code: 'SQLITE_FULL' } });
    expect((toStorageError(sqliteFull, 'the write') as Error).message).toMatch(/disk is full/);
    const eio = Object.assign(new Error('i/o error'), { code: 'EIO', syscall: 'write' });
    expect(toStorageError(eio, 'flush')).toMatchObject({ code: 'STORAGE' });
    const bug = new TypeError('x is not a function');
    expect(toStorageError(bug, 'search')).toBe(bug);
  });
});

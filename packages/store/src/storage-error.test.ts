import { closeSync, copyFileSync, mkdirSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { isNeuroMemError } from '@neuromem/core';
import { createTempDir, randomUnitVectors } from '@neuromem/core/testing';
import { createSqliteStore } from './create-sqlite-store';
import { toStorageError } from './storage-error';
import { walBackfill } from './wal-backfill';

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

  /** memory.db and its WAL copied while the store is open: what a SIGKILL leaves behind. */
  async function crashImage(target: string, { shm = false, checkpoint = false } = {}) {
    const memories = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => ({ text: `memory ${from + i} `.repeat(20), scope: { userId: 'u' }, vectors: { turn: randomUnitVectors(1, 4, from + i)[0]! } }));
    const first = await open();
    await first.put(memories(0, 190));
    await first.close(); // most pages now live in memory.db itself
    const store = await open();
    await store.put(memories(190, 10));
    if (checkpoint) {
      // A second connection copies the WAL's frames into memory.db without resetting the WAL.
      const reader = new BetterSqlite3(join(dir.path, 'memory.db'));
      reader.pragma('wal_checkpoint(PASSIVE)');
      reader.close();
    }
    mkdirSync(target);
    for (const name of ['memory.db', 'memory.db-wal', ...(shm ? ['memory.db-shm'] : [])]) copyFileSync(join(dir.path, name), join(target, name));
    await store.close();
    expect(statSync(join(target, 'memory.db-wal')).size).toBeGreaterThan(0);
  }

  it('should check the whole database after a crash, and not after a clean close', async () => {
    const image = join(dir.path, 'crashed');
    await crashImage(image);
    const clean = await open();
    expect(clean.openReport.integrityCheckMs).toBeUndefined();
    await clean.close();
    const recovered = await createSqliteStore({ path: image, vectorScales: { turn: 4 } });
    expect(recovered.openReport.integrityCheckMs).toBeGreaterThanOrEqual(0);
    expect(await recovered.count()).toBe(200);
    await recovered.close();
  });

  it('should skip the check after a crash when the WAL-index shows no frame had reached memory.db yet', async () => {
    const image = join(dir.path, 'crashed');
    await crashImage(image, { shm: true });
    expect(walBackfill(join(image, 'memory.db-shm'))).toBe(0);
    const recovered = await createSqliteStore({ path: image, vectorScales: { turn: 4 } });
    expect(recovered.openReport.integrityCheckMs).toBeUndefined();
    expect(await recovered.count()).toBe(200);
    await recovered.close();
  });

  it('should check after a crash when a checkpoint had already copied WAL frames into memory.db', async () => {
    const image = join(dir.path, 'crashed');
    await crashImage(image, { shm: true, checkpoint: true });
    expect(walBackfill(join(image, 'memory.db-shm'))).toBeGreaterThan(0);
    const recovered = await createSqliteStore({ path: image, vectorScales: { turn: 4 } });
    expect(recovered.openReport.integrityCheckMs).toBeGreaterThanOrEqual(0);
    await recovered.close();
  });

  it('should refuse, with advice, a database that a damaged WAL or disk left corrupt after a crash', async () => {
    const image = join(dir.path, 'crashed');
    await crashImage(image);
    // Garbage over the second half of the file, most of it pages the WAL does not hold: SQLite would
    // replay the WAL over it and serve what it could read.
    const file = join(image, 'memory.db');
    const half = Math.floor(statSync(file).size / 8192) * 4096;
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(half, 0x5a), 0, half, half);
    closeSync(fd);
    const error = await createSqliteStore({ path: image, vectorScales: { turn: 4 } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STORAGE', details: { code: 'SQLITE_CORRUPT' } });
    expect((error as Error).message).toMatch(/is damaged .*\.recover/);
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

import { statSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { createTempDir } from '@neuromem/core/testing';
import { createWalFolder } from './create-wal-folder';

describe('createWalFolder', () => {
  let dir: ReturnType<typeof createTempDir>;
  beforeEach(() => {
    dir = createTempDir();
  });
  afterEach(() => dir.remove());

  const open = () => {
    const db = new BetterSqlite3(join(dir.path, 'memory.db'));
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (x TEXT)');
    return db;
  };
  const walBytes = () => statSync(join(dir.path, 'memory.db-wal')).size;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('should fold the WAL into the database once writes pause', async () => {
    const db = open();
    const folder = createWalFolder(db, join(dir.path, 'memory.db-wal'), 30);
    db.prepare('INSERT INTO t VALUES (?)').run('kept');
    folder.afterCommit();
    expect(walBytes()).toBeGreaterThan(0); // a commit alone leaves its frames in the WAL
    await sleep(80);
    expect(walBytes()).toBe(0);
    expect(db.prepare('SELECT x FROM t').pluck().all()).toEqual(['kept']);
    folder.stop();
    db.close();
  });

  it('should not fold while writes keep coming, nor after stop()', async () => {
    const db = open();
    const folder = createWalFolder(db, join(dir.path, 'memory.db-wal'), 60);
    for (let i = 0; i < 4; i++) {
      db.prepare('INSERT INTO t VALUES (?)').run(`row ${i}`);
      folder.afterCommit();
      await sleep(20);
    }
    expect(walBytes()).toBeGreaterThan(0);
    folder.stop();
    await sleep(100);
    expect(walBytes()).toBeGreaterThan(0);
    db.close();
  });
});

import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, truncateSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createTempDir } from '@neuromem/core/testing';
import type { SqliteMemoryStore } from '@neuromem/store';
import { createMemory, type Memory } from './create-memory';
import { DIST, requireBuild } from './test-support';

interface Acked {
  id: string;
  text: string;
}

/**
 * A writer that adds memories one by one, prints each after add() resolved, and SIGKILLs itself
 * after `adds` of them, or right after the first add that made SQLite checkpoint into memory.db.
 */
const writerScript = (path: string, stop: { adds: number } | 'after-checkpoint') => `
import { statSync, writeSync } from 'node:fs';
import { createMemory } from ${JSON.stringify(pathToFileURL(join(DIST, 'index.js')).href)};
const memory = await createMemory({ path: ${JSON.stringify(path)} });
const dbSize = () => statSync(${JSON.stringify(join(path, 'memory.db'))}).size;
const before = dbSize();
for (let i = 0; i < 5000; i++) {
  const text = 'after note ' + i + ': Jonas moved the chess club to room ' + (i * 37 % 100);
  const { results } = await memory.add(text, { userId: 'u', runId: 'after' });
  writeSync(1, results[0].id + '\\t' + text + '\\n');
  if (${stop === 'after-checkpoint' ? 'dbSize() > before + 65536' : `i + 1 === ${typeof stop === 'object' ? stop.adds : 0}`}) process.kill(process.pid, 'SIGKILL');
}
`;

function runWriter(script: string): Promise<Acked[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`the writer was not killed: ${stderr}`));
      resolve(
        stdout
          .split('\n')
          .filter(Boolean)
          .map((line) => {
            const [id, text] = line.split('\t');
            return { id: id!, text: text! };
          }),
      );
    });
  });
}

async function addNotes(memory: Memory, count: number, label: string): Promise<Acked[]> {
  const notes: Acked[] = [];
  for (let i = 0; i < count; i++) {
    const text = `${label} note ${i}: Maria booked ${i + 2} nights in Lisbon`;
    const { results } = await memory.add(text, { userId: 'u', runId: label });
    notes.push({ id: results[0]!.id, text });
  }
  return notes;
}

/** SQLite's own integrity check, through the better-sqlite3 the store depends on. */
function integrity(path: string): string {
  const Database = createRequire(require.resolve('@neuromem/store/package.json'))('better-sqlite3') as new (
    file: string,
    o: { readonly: boolean },
  ) => { pragma(s: string, o: { simple: true }): unknown; close(): void };
  const db = new Database(join(path, 'memory.db'), { readonly: true });
  try {
    return String(db.pragma('integrity_check', { simple: true }));
  } finally {
    db.close();
  }
}

/** How many of `acked` the memory holds, checking that they are a prefix with their texts. */
async function keptPrefix(memory: Memory, acked: Acked[]): Promise<number> {
  const found = new Map((await memory.store.getMany(acked.map((a) => a.id))).map((record) => [record.id, record.text]));
  const kept = acked.filter((a) => found.has(a.id)).length;
  expect(acked.slice(0, kept).map((a) => found.get(a.id))).toEqual(acked.slice(0, kept).map((a) => a.text));
  return kept;
}

describe('a damaged WAL after a writer was killed', () => {
  let dir: ReturnType<typeof createTempDir>;
  beforeAll(requireBuild);
  beforeEach(() => {
    dir = createTempDir();
  });
  afterEach(() => dir.remove());

  /** Memories saved by a clean close (in memory.db itself), then a writer killed after `adds` more. */
  async function killedWriter(stop: { adds: number } | 'after-checkpoint'): Promise<{ saved: Acked[]; acked: Acked[] }> {
    const memory = await createMemory({ path: dir.path });
    const saved = await addNotes(memory, 10, 'before');
    await memory.close();
    return { saved, acked: await runWriter(writerScript(dir.path, stop)) };
  }

  async function expectRecovered(saved: Acked[], acked: Acked[]): Promise<number> {
    const memory = await createMemory({ path: dir.path });
    try {
      expect((await memory.store.getMany(saved.map((s) => s.id))).map((r) => r.text)).toEqual(saved.map((s) => s.text));
      const kept = await keptPrefix(memory, acked);
      // The add in flight at the kill may have committed too.
      expect(await memory.store.count({ scope: { userId: 'u' } })).toBeGreaterThanOrEqual(saved.length + kept);
      expect(await memory.store.count({ scope: { userId: 'u' } })).toBeLessThanOrEqual(saved.length + kept + 1);
      expect(await memory.store.verifyIndexes()).toEqual([]);
      await memory.add('written after the recovery', { userId: 'u' });
      expect((await memory.search('written after the recovery', { userId: 'u' })).results[0]?.memory).toBe('written after the recovery');
      return kept;
    } finally {
      await memory.close();
      expect(integrity(dir.path)).toBe('ok');
    }
  }

  it('should reopen with every memory saved before the last clean close when the WAL is deleted', async () => {
    const { saved, acked } = await killedWriter({ adds: 40 });
    rmSync(join(dir.path, 'memory.db-wal'), { force: true });
    await expectRecovered(saved, acked);
  });

  it.each([0.1, 0.5, 0.9])('should keep a prefix of the acknowledged adds when the WAL is cut at %p of its length', async (fraction) => {
    const { saved, acked } = await killedWriter({ adds: 40 });
    const wal = join(dir.path, 'memory.db-wal');
    truncateSync(wal, Math.floor(statSync(wal).size * fraction));
    await expectRecovered(saved, acked);
  });

  it('should never replay old WAL pages over memory.db when the WAL is cut after a checkpoint', async () => {
    const { saved, acked } = await killedWriter('after-checkpoint');
    const wal = join(dir.path, 'memory.db-wal');
    if (existsSync(wal)) truncateSync(wal, Math.floor(statSync(wal).size / 2));
    // Everything acknowledged was checkpointed into memory.db, so nothing may be lost.
    expect(await expectRecovered(saved, acked)).toBe(acked.length);
  }, 60_000);
});

/** Mounting needs root (or CAP_SYS_ADMIN); decided once, so a skip shows in the report. */
function canMountTmpfs(): boolean {
  const probe = mkdtempSync(join(tmpdir(), 'neuromem-mount-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}
const mountable = canMountTmpfs();
const describeDiskFull = mountable ? describe : describe.skip;

describeDiskFull(`a full disk${mountable ? '' : ' (skipped: mounting a tmpfs needs root)'}`, () => {
  let mount: string;
  beforeEach(() => {
    mount = mkdtempSync(join(tmpdir(), 'neuromem-full-'));
  });
  afterEach(() => rmSync(mount, { recursive: true, force: true }));

  it.each(['2m', '8m'])(
    'should reject the add that finds a %s disk full with STORAGE, keep every acknowledged memory and recover once space is freed',
    async (size) => {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', mount]);
      const path = join(mount, 'memory');
      let memory: Memory<SqliteMemoryStore> | undefined;
      try {
        writeFileSync(join(mount, 'filler'), Buffer.alloc(256 * 1024));
        memory = await createMemory({ path });
        const acked: Acked[] = [];
        let rejection: unknown;
        for (let i = 0; rejection === undefined && i < 50_000; i++) {
          const text = `note ${i}: Jonas plans a trip to Kyoto with ${i % 9} friends`;
          await memory.add(text, { userId: 'u', runId: `s${Math.floor(i / 20)}` }).then(
            ({ results }) => acked.push({ id: results[0]!.id, text }),
            (error: unknown) => (rejection = error),
          );
        }
        expect(rejection).toMatchObject({ name: 'NeuroMemError', code: 'STORAGE', message: expect.stringMatching(/disk is full.*free some space/i) });
        expect((await memory.search('trip to Kyoto', { userId: 'u' })).results.length).toBeGreaterThan(0);
        expect(await keptPrefix(memory, acked)).toBe(acked.length);
        // Saving the indexes may fail on the full disk too, but only as STORAGE, and the directory is released.
        await memory.close().catch((error: unknown) => expect(error).toMatchObject({ code: 'STORAGE' }));
        memory = undefined;

        rmSync(join(mount, 'filler'));
        memory = await createMemory({ path });
        expect(await keptPrefix(memory, acked)).toBe(acked.length);
        expect(await memory.store.verifyIndexes()).toEqual([]);
        await memory.add('written once space was freed', { userId: 'u' });
        expect(await memory.store.count({ scope: { userId: 'u' } })).toBe(acked.length + 1);
      } finally {
        await memory?.close();
        execFileSync('umount', [mount]);
      }
    },
    120_000,
  );
});

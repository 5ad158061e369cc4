import { spawn } from 'node:child_process';
import { existsSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createTempDir, onLines } from '@neuromem/core/testing';
import { acquireProcessLock } from './process-lock';
import { DIST, requireBuild } from './test-support';

type Line = Record<string, string>;

/** Runs an ESM script against the built store; `onLine` may act on each JSON line as it arrives. */
function runChild(body: string, onLine: (line: Line, child: ReturnType<typeof spawn>) => void = () => {}): Promise<Line[]> {
  const script = `
import { writeSync } from 'node:fs';
import { createSqliteStore } from ${JSON.stringify(pathToFileURL(join(DIST, 'index.js')).href)};
const say = (line) => writeSync(1, JSON.stringify(line) + '\\n');
const now = () => process.hrtime.bigint();
${body}`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: Line[] = [];
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    onLines(child.stdout, (text) => {
      const line = JSON.parse(text) as Line;
      lines.push(line);
      onLine(line, child);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => (code === 0 || signal === 'SIGKILL' ? resolve(lines) : reject(new Error(`child failed (${code}): ${stderr}`))));
  });
}

const tryOpen = (path: string) => `
try {
  const store = await createSqliteStore({ path: ${JSON.stringify(path)}, vectorScales: { turn: 4 } });
  await store.close();
  say({ t: 'opened' });
} catch (error) {
  say({ t: 'refused', name: error.name, code: error.code, message: error.message });
}`;

describe('acquireProcessLock', () => {
  beforeAll(() => requireBuild('process-lock.ts'));

  let dir: ReturnType<typeof createTempDir>;
  beforeEach(() => (dir = createTempDir()));
  afterEach(() => dir.remove());

  it('should refuse a second acquire in the same process with LOCKED until the first is released', () => {
    const lock = acquireProcessLock(dir.path);
    const link = join(dir.path, 'same-directory');
    symlinkSync(dir.path, link);
    try {
      expect(() => acquireProcessLock(dir.path)).toThrow(expect.objectContaining({ code: 'LOCKED', message: expect.stringContaining('already open in this process') }));
      expect(() => acquireProcessLock(link)).toThrow(expect.objectContaining({ code: 'LOCKED' }));
    } finally {
      lock.release();
    }
    lock.release(); // a second release is a no-op
    acquireProcessLock(dir.path).release();
  });

  it('should refuse another process while this one holds the directory, naming this process', async () => {
    const lock = acquireProcessLock(dir.path);
    try {
      const [answer] = await runChild(tryOpen(dir.path));
      expect(answer).toMatchObject({ t: 'refused', name: 'NeuroMemError', code: 'LOCKED' });
      expect(answer!.message).toContain(`in use by process ${process.pid}`);
    } finally {
      lock.release();
    }
    expect(await runChild(tryOpen(dir.path))).toEqual([{ t: 'opened' }]);
  });

  it('should be free as soon as its holder is SIGKILLed', async () => {
    const refusals: unknown[] = [];
    const lines = await runChild(
      `const store = await createSqliteStore({ path: ${JSON.stringify(dir.path)}, vectorScales: { turn: 4 } });
say({ t: 'holding', pid: String(process.pid) });
for (let i = 0; ; i++) await store.put([{ text: 'note ' + i, scope: { userId: 'u' }, vectors: { turn: new Float32Array(4).fill(0.5) } }]);`,
      (line, child) => {
        if (line.t !== 'holding') return;
        try {
          acquireProcessLock(dir.path).release();
        } catch (error) {
          refusals.push(error);
        }
        child.kill('SIGKILL');
      },
    );
    expect(refusals).toEqual([expect.objectContaining({ code: 'LOCKED', message: expect.stringContaining(`in use by process ${lines[0]!.pid}`) })]);
    acquireProcessLock(dir.path).release();
  });

  it('should not be blocked by a legacy LOCK file naming a running process', () => {
    writeFileSync(join(dir.path, 'LOCK'), '1');
    const lock = acquireProcessLock(dir.path);
    lock.release();
    expect(existsSync(join(dir.path, 'LOCK'))).toBe(false);
  });

  it('should let one process at a time into a brand-new directory when several start at the same instant', async () => {
    const rounds = 20;
    const periodMs = 150;
    const t0 = process.hrtime.bigint() + 2_000_000_000n; // after every racer has started and imported the store
    const racer = `
for (let round = 0; round < ${rounds}; round++) {
  const at = ${t0}n + BigInt(round) * ${periodMs * 1e6}n;
  const sleepMs = Number(at - now()) / 1e6 - 3;
  if (sleepMs > 0) await new Promise((resolve) => setTimeout(resolve, sleepMs));
  while (now() < at) {}
  let store;
  try {
    store = await createSqliteStore({ path: ${JSON.stringify(dir.path)} + '/' + round, vectorScales: { turn: 4 } });
  } catch (error) {
    say({ round, t: 'refused', name: error.name, code: error.code, message: error.message });
    continue;
  }
  const acquired = now();
  await store.put([{ text: 'round ' + round, scope: { userId: 'u' }, vectors: { turn: new Float32Array(4).fill(0.5) } }]);
  while (now() < acquired + 3000000n) {}
  const released = now();
  await store.close();
  say({ round, t: 'held', acquired: String(acquired), released: String(released) });
}`;
    const answers = (await Promise.all([runChild(racer), runChild(racer), runChild(racer)])).flat();
    for (let round = 0; round < rounds; round++) {
      const lines = answers.filter((line) => Number(line.round) === round);
      const held = lines.filter((line) => line.t === 'held').map((line) => [BigInt(line.acquired!), BigInt(line.released!)] as const);
      const overlaps = held.flatMap(([a0, a1], i) => held.slice(i + 1).filter(([b0, b1]) => a0 < b1 && b0 < a1));
      expect({ round, overlaps: overlaps.length, opened: held.length > 0 }).toEqual({ round, overlaps: 0, opened: true });
      for (const line of lines.filter((l) => l.t === 'refused')) expect(line).toMatchObject({ name: 'NeuroMemError', code: 'LOCKED' });
    }
  }, 60_000);
});

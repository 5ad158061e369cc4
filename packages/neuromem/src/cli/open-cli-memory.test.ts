import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createTempDir } from '@neuromem/core/testing';
import { DIST, requireBuild } from '../test-support';
import { addedId, holdMemory, neuromem } from './cli-test-client';

// Each step starts the CLI (about a second); the holder is a real `neuromem serve`.
jest.setTimeout(90_000);

describe('neuromem opening the memory', () => {
  let dir: ReturnType<typeof createTempDir>;
  beforeAll(requireBuild);
  beforeEach(() => {
    dir = createTempDir();
  });
  afterEach(() => dir.remove());

  it('should search, get, stats and export while another process holds the memory, and wait for it (or fail with LOCKED) to write', async () => {
    const db = join(dir.path, 'db');
    const id = addedId(await neuromem(db, 'add', 'Jonas finished the Bristol half marathon in 1:47:32', '--user', 'alice'));
    const holder = await holdMemory(db);
    try {
      const found = JSON.parse((await neuromem(db, '--json', 'search', 'half marathon time', '--user', 'alice')).stdout);
      expect(found.results[0]).toMatchObject({ id });
      expect((await neuromem(db, 'get', id.slice(0, 13), '--user', 'alice')).stdout).toContain('Bristol half marathon');
      expect(JSON.parse((await neuromem(db, '--json', 'stats')).stdout)).toMatchObject({ memories: 1 });
      expect((await neuromem(db, 'export', '--user', 'alice')).stdout).toContain('"text":"Jonas finished the Bristol half marathon in 1:47:32"');

      const locked = await neuromem(db, 'add', 'I also ran Bath', '--user', 'alice');
      expect(locked).toMatchObject({ code: 4, stderr: expect.stringMatching(/in use by process \d+.*retry with --wait <seconds>; search, get, history, stats and export work meanwhile/) });
      const waited = await neuromem(db, '--wait', '0.5', 'add', 'I also ran Bath', '--user', 'alice');
      expect(waited.code).toBe(4);
      expect(waited.stderr).toMatch(/waiting up to 0\.5 s for it \(--wait\)\n.*still in use by process \d+ after 0\.5 s/);

      // The holder lets go while the write waits: the write goes through.
      const writer = spawn(process.execPath, [join(DIST, 'cli.js'), '--db', db, '--wait', '60', 'add', 'I also ran Bath', '--user', 'alice'], { stdio: ['ignore', 'pipe', 'pipe'] });
      const [note] = (await once(createInterface({ input: writer.stderr! }), 'line')) as [string];
      expect(note).toMatch(/in use by process \d+; waiting up to 60 s for it \(--wait\)/);
      let stdout = '';
      writer.stdout!.on('data', (chunk) => (stdout += chunk));
      const exited = once(writer, 'close');
      await holder.stop();
      expect(await exited).toEqual([0, null]);
      expect(stdout).toMatch(/^added /);
    } finally {
      await holder.stop();
    }
    expect(JSON.parse((await neuromem(db, '--json', 'stats')).stdout).memories).toBe(2);
  });

  it('should refuse an empty --db, and let only add and import (or --create) start a memory', async () => {
    const empty = await neuromem('', 'stats');
    expect(empty).toMatchObject({ code: 2, stderr: expect.stringContaining('--db is empty') });
    const missing = join(dir.path, 'mistyped');
    const read = await neuromem(missing, '--json', 'search', 'anything', '--user', 'alice');
    expect(read.code).toBe(3);
    expect(JSON.parse(read.stdout)).toEqual({ error: { code: 'NOT_FOUND', message: expect.stringContaining('pass --create to start an empty one there'), details: { path: missing } } });
    expect(existsSync(missing)).toBe(false);
    expect((await neuromem(missing, '--create', 'search', 'anything', '--user', 'alice')).stdout.trim()).toBe('no memories found');
    expect(readdirSync(missing)).toContain('memory.db');
  });

  it('should print every failure as one JSON error on stdout under --json, usage errors included', async () => {
    const db = join(dir.path, 'db');
    const usage = await neuromem(db, '--json', 'frobnicate');
    expect(usage).toMatchObject({ code: 2, stderr: '' });
    expect(JSON.parse(usage.stdout)).toEqual({ error: { code: 'INVALID_INPUT', message: "unknown command 'frobnicate' (see neuromem --help)", details: { commander: 'commander.unknownCommand' } } });
    const input = await neuromem(db, '--json', 'add', '   ', '--user', 'alice');
    expect(input).toMatchObject({ code: 2, stderr: '' });
    expect(JSON.parse(input.stdout).error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('empty or only whitespace') });
  });
});

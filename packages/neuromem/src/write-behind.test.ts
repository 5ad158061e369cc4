import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createTempDir } from '@neuromem/core/testing';
import { createMemory } from './create-memory';
import { ADD_JOURNAL_FILE } from './add-journal';
import { RESERVE_BYTES } from './pending-adds';
import { SPACE_RESERVE_FILE } from './space-reserve';
import { DIST, requireBuild } from './test-support';

describe('an on-disk memory acknowledging adds before indexing them (writeBehind)', () => {
  let dir: ReturnType<typeof createTempDir>;
  beforeEach(() => {
    dir = createTempDir();
  });
  afterEach(() => dir.remove());

  it('should show an add to every read that follows it, as the item add() returned', async () => {
    const memory = await createMemory({ path: dir.path });
    try {
      const { results } = await memory.add([{ role: 'user', content: 'Biscuit the beagle turns three in May', metadata: { topic: 'pets' } }], {
        userId: 'alice',
        runId: 's1',
        timestamp: '2024-03-01T10:00:00Z',
      });
      const [added] = results;
      expect((await memory.search('beagle birthday', { userId: 'alice' })).results[0]).toMatchObject({ id: added!.id });
      const { createdAt: _acknowledged, event: _event, ...item } = added!;
      expect(await memory.get(added!.id, { userId: 'alice' })).toMatchObject(item);
      expect(await memory.store.count({ scope: { userId: 'alice' } })).toBe(1);
      const exported = [];
      for await (const line of memory.export({ userId: 'alice' })) exported.push(line);
      expect(exported).toHaveLength(1);
      const second = (await memory.add('Biscuit hates the rain', { userId: 'alice', runId: 's1' })).results[0]!;
      await memory.update(second.id, 'Biscuit loves the rain', { userId: 'alice' });
      expect((await memory.get(second.id, { userId: 'alice' }))!.memory).toBe('Biscuit loves the rain');
      const third = (await memory.add('a note to drop', { userId: 'alice' })).results[0]!;
      await memory.delete(third.id, { userId: 'alice' });
      expect(await memory.get(third.id, { userId: 'alice' })).toBeNull();
      // Another user never sees them, journaled or indexed.
      expect((await memory.search('Biscuit', { userId: 'bob' })).results).toEqual([]);
    } finally {
      await memory.close();
    }
  });

  it('should embed a session batched in the background as it embeds one add at a time', async () => {
    const turns = ['We fly to Lisbon in May.', 'The hotel is near the river.', 'My sister joins on day two.'];
    const behind = await createMemory({ path: join(dir.path, 'behind') });
    const direct = await createMemory({ path: join(dir.path, 'direct'), writeBehind: false });
    try {
      const ids = { behind: [] as string[], direct: [] as string[] };
      for (const text of turns) {
        ids.behind.push((await behind.add(text, { userId: 'alice', runId: 'trip' })).results[0]!.id);
        ids.direct.push((await direct.add(text, { userId: 'alice', runId: 'trip' })).results[0]!.id);
      }
      const a = await behind.store.vectors(ids.behind, 'turn');
      const b = await direct.store.vectors(ids.direct, 'turn');
      ids.behind.forEach((id, i) => expect(Array.from(a.get(id)!)).toEqual(Array.from(b.get(ids.direct[i]!)!)));
      // The session vector too, though a batch makes it for the session's last add only.
      const { session: sessionVector } = (await behind.embedder.embedQuery('a trip to Lisbon with my sister')).vectors;
      const [found] = await behind.store.searchSessions!({ vector: sessionVector!, k: 1, scope: { userId: 'alice' } });
      const [expected] = await direct.store.searchSessions!({ vector: sessionVector!, k: 1, scope: { userId: 'alice' } });
      expect(found!.similarity).toBeCloseTo(expected!.similarity, 5);
    } finally {
      await behind.close();
      await direct.close();
    }
  });

  it('should refuse an add after close with CLOSED, and close twice without error', async () => {
    const memory = await createMemory({ path: dir.path });
    await memory.add('the last note', { userId: 'alice' });
    // Space held for a backlog while the memory is open, given back by a clean close.
    expect(statSync(join(dir.path, SPACE_RESERVE_FILE)).size).toBe(RESERVE_BYTES);
    await memory.close();
    expect(existsSync(join(dir.path, SPACE_RESERVE_FILE))).toBe(false);
    await expect(memory.close()).resolves.toBeUndefined();
    await expect(memory.add('too late', { userId: 'alice' })).rejects.toMatchObject({ code: 'CLOSED' });
    const reopened = await createMemory({ path: dir.path });
    expect((await reopened.getAll({ userId: 'alice' })).results.map((item) => item.memory)).toEqual(['the last note']);
    await reopened.close();
  });

  it('should index within the add call with writeBehind: false, and refuse a value that is not a boolean', async () => {
    const memory = await createMemory({ path: dir.path, writeBehind: false });
    try {
      await memory.add('written through', { userId: 'alice' });
      expect(existsSync(join(dir.path, ADD_JOURNAL_FILE))).toBe(false);
      expect(existsSync(join(dir.path, SPACE_RESERVE_FILE))).toBe(false);
    } finally {
      await memory.close();
    }
    await expect(createMemory({ path: dir.path, writeBehind: 'yes' as unknown as boolean })).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { field: 'writeBehind' } });
  });

  it('should find every acknowledged add after the process is killed before it could index them', async () => {
    requireBuild();
    const script = `
      import { writeSync } from 'node:fs';
      import { createMemory } from ${JSON.stringify(pathToFileURL(join(DIST, 'index.js')).href)};
      const memory = await createMemory({ path: ${JSON.stringify(dir.path)} });
      for (let i = 0; i < 60; i++) {
        const { results } = await memory.add('killed note ' + i + ' about the Kyoto trip', { userId: 'u', runId: 's' + (i % 3) });
        writeSync(1, results[0].id + '\\n');
      }
      // Killed with adds still journaled (nothing idled to index them).
      process.kill(process.pid, 'SIGKILL');
    `;
    const acknowledged = await runKilled(script);
    expect(acknowledged).toHaveLength(60);
    await checkKilled(acknowledged);
  }, 60_000);

  it('should not bring back, after a kill, a memory deleted after it was indexed', async () => {
    requireBuild();
    const script = `
      import { writeSync } from 'node:fs';
      import { createMemory } from ${JSON.stringify(pathToFileURL(join(DIST, 'index.js')).href)};
      const memory = await createMemory({ path: ${JSON.stringify(dir.path)} });
      const ids = [];
      for (const text of ['keep this note', 'delete this note']) ids.push((await memory.add(text, { userId: 'u' })).results[0].id);
      await memory.delete(ids[1], { userId: 'u' });
      writeSync(1, ids.join('\\n') + '\\n');
      process.kill(process.pid, 'SIGKILL');
    `;
    const [kept, deleted] = await runKilled(script);
    const memory = await createMemory({ path: dir.path });
    try {
      expect((await memory.getAll({ userId: 'u' })).results.map((item) => item.id)).toEqual([kept]);
      expect(await memory.get(deleted!, { userId: 'u' })).toBeNull();
    } finally {
      await memory.close();
    }
  }, 60_000);

  it('should not bring back, after a kill, what a reset removed', async () => {
    requireBuild();
    const script = `
      import { writeSync } from 'node:fs';
      import { createMemory } from ${JSON.stringify(pathToFileURL(join(DIST, 'index.js')).href)};
      const memory = await createMemory({ path: ${JSON.stringify(dir.path)} });
      for (const text of ['an old note', 'another old note']) await memory.add(text, { userId: 'u' });
      await memory.search('note', { userId: 'u' });
      await memory.add('acknowledged, never indexed, then reset', { userId: 'u' });
      await memory.reset();
      const { results } = await memory.add('the note after the reset', { userId: 'u' });
      writeSync(1, results[0].id + '\\n');
      process.kill(process.pid, 'SIGKILL');
    `;
    const [after] = await runKilled(script);
    const memory = await createMemory({ path: dir.path });
    try {
      expect((await memory.getAll({ userId: 'u' })).results.map((item) => [item.id, item.memory])).toEqual([[after, 'the note after the reset']]);
    } finally {
      await memory.close();
    }
  }, 60_000);

  /** Runs a script that kills itself; resolves with the lines it printed. */
  function runKilled(script: string): Promise<string[]> {
    return new Promise<string[]>((resolve, reject) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('close', (_code, signal) => (signal === 'SIGKILL' ? resolve(stdout.split('\n').filter(Boolean)) : reject(new Error(stderr))));
    });
  }

  async function checkKilled(acknowledged: string[]): Promise<void> {
    const memory = await createMemory({ path: dir.path });
    try {
      const found = await memory.store.getMany(acknowledged);
      expect(found.map((record) => record.id)).toEqual(acknowledged);
      expect(await memory.store.verifyIndexes()).toEqual([]);
      const { results } = await memory.search('killed note 59 about the Kyoto trip', { userId: 'u', runId: 's2', topK: 30 });
      expect(results.map((r) => r.id)).toContain(acknowledged[59]);
    } finally {
      await memory.close();
    }
  }
});

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRandom, createTempDir } from '@neuromem/core/testing';
import { createMemory } from './create-memory';
import { DIST, requireBuild } from './test-support';

// Three kills here; `neuromem-eval chaos` runs many more (its crash check), outside CI.
const ROUNDS = 3;
const ADDS_PER_ROUND = 2000;

/** Adds memories one by one and prints each id only after its add() resolved (= acknowledged). */
const childScript = (dbPath: string, round: number) => `
import { writeSync } from 'node:fs';
import { createMemory } from ${JSON.stringify(pathToFileURL(join(DIST, 'index.js')).href)};
const memory = await createMemory({ path: ${JSON.stringify(dbPath)} });
writeSync(1, 'ready\\n');
for (let i = 0; i < ${ADDS_PER_ROUND}; i++) {
  const { results } = await memory.add(
    [{ role: 'user', content: 'round ${round} note ' + i + ' about Lisbon trip number ' + (i * 7919 % 1000) }],
    { userId: 'crash', runId: 'r${round}-s' + Math.floor(i / 50), timestamp: Date.UTC(2024, 0, 1) + i * 60000 },
  );
  writeSync(1, results[0].id + '\\t' + i + '\\n');
}
writeSync(1, 'done\\n');
await memory.close();
`;

/** Runs the child and SIGKILLs it after a random number of acknowledged adds plus a random delay. */
function runAndKill(script: string, killAfter: number, delayMs: number): Promise<Array<{ id: string; i: number }>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acknowledged: Array<{ id: string; i: number }> = [];
    let buffer = '';
    let stderr = '';
    let killScheduled = false;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        const [id, i] = line.split('\t');
        if (i !== undefined) acknowledged.push({ id: id!, i: Number(i) });
      }
      if (!killScheduled && acknowledged.length >= killAfter) {
        killScheduled = true;
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`child failed (${code}): ${stderr}`));
      else resolve(acknowledged);
    });
  });
}

describe('crash safety', () => {
  beforeAll(requireBuild);

  it('should keep every acknowledged memory searchable after SIGKILL at random moments', async () => {
    const dir = createTempDir();
    const random = createRandom(20261124);
    const all: Array<{ id: string; session: string; text: string }> = [];
    try {
      for (let round = 1; round <= ROUNDS; round++) {
        const killAfter = 20 + Math.floor(random() * (ADDS_PER_ROUND - 200));
        const acknowledged = await runAndKill(childScript(dir.path, round), killAfter, Math.floor(random() * 30));
        expect(acknowledged.length).toBeGreaterThanOrEqual(killAfter);
        all.push(...acknowledged.map(({ id, i }) => ({ id, session: `r${round}-s${Math.floor(i / 50)}`, text: `round ${round} note ${i} about Lisbon trip number ${(i * 7919) % 1000}` })));

        const memory = await createMemory({ path: dir.path });
        try {
          expect(await memory.store.verifyIndexes()).toEqual([]);
          // Each round may also have committed the one add that was in flight when it died, never more.
          const stored = await memory.store.count({ scope: { userId: 'crash' } });
          expect(stored).toBeGreaterThanOrEqual(all.length);
          expect(stored).toBeLessThanOrEqual(all.length + round);
          const found = await memory.store.getMany(all.map((a) => a.id));
          expect(found.map((r) => r.id)).toEqual(all.map((a) => a.id));
          expect(found.map((r) => r.text)).toEqual(all.map((a) => a.text));
          // The newest acknowledged writes are the ones a crash would lose: check them all, and a sample of the rest.
          const recent = all.slice(-25);
          const sample = Array.from({ length: 25 }, () => all[Math.floor(random() * all.length)]!);
          // Searchable: a search in its session returns it (each session holds at most 50 turns);
          // verifyIndexes() above already showed every stored vector is in the ANN index.
          for (const { id, text, session } of [...recent, ...sample]) {
            const { results } = await memory.search(text, { userId: 'crash', runId: session, topK: 50 });
            expect(results.map((r) => r.id)).toContain(id);
          }
        } finally {
          await memory.close();
        }
      }
    } finally {
      dir.remove();
    }
  }, 240_000);

  it('should refuse a second process on the same database, then take over once the first is killed', async () => {
    const dir = createTempDir();
    try {
      const holder = spawn(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `
        import { createMemory } from ${JSON.stringify(pathToFileURL(join(DIST, 'index.js')).href)};
        await createMemory({ path: ${JSON.stringify(dir.path)} });
        process.stdout.write('ready\\n');
        setInterval(() => {}, 1000);
      `,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
      await expect(createMemory({ path: dir.path })).rejects.toMatchObject({ code: 'LOCKED', message: expect.stringContaining(`process ${holder.pid}`) });
      const exited = new Promise((resolve) => holder.once('close', resolve));
      holder.kill('SIGKILL');
      await exited;
      const memory = await createMemory({ path: dir.path });
      await memory.close();
    } finally {
      dir.remove();
    }
  });
});

import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createTempDir } from '@neuromem/core/testing';
import { DIST, requireBuild } from './test-support';

const RETRIEVAL = join(DIST, '..', '..', 'retrieval', 'dist', 'index.js');

/**
 * The built memory on disk, as a user runs it: adds of many turns after the annotation worker has
 * loaded, each memory's stored entities checked against annotateMemory in the caller's thread.
 */
const script = (dir: string) => `
import { Worker } from 'node:worker_threads';
import { createMemory } from ${JSON.stringify(pathToFileURL(join(DIST, 'index.js')).href)};
import { annotateMemory } from ${JSON.stringify(pathToFileURL(RETRIEVAL).href)};
let posted = 0;
const post = Worker.prototype.postMessage;
Worker.prototype.postMessage = function (...args) { posted++; return post.apply(this, args); };
const memory = await createMemory({ path: ${JSON.stringify(dir)} });
const people = ['Caroline', 'Melanie', 'Ada Lovelace', 'Tom'];
const places = ['Bristol', 'Lisbon', 'the Royal Infirmary', 'Fifth Street'];
const turns = (s) => Array.from({ length: 10 }, (_, i) => ({
  role: 'user',
  content: people[(s + i) % 4] + ' went to ' + places[(s * 3 + i) % 4] + ' on ' + (i + 1) + ' May 2023 and paid $' + (10 * s + i) + ' because it was ' + (i % 2 ? 'cheaper' : 'closer') + '.',
  timestamp: Date.UTC(2023, 4, 20 + s, 9, i),
}));
const ids = [];
let session = 0;
const addSession = async () => {
  const s = session++;
  const { results } = await memory.add(turns(s), { userId: 'ada', runId: 'session-' + s });
  ids.push(...results.map((r, i) => ({ id: r.id, text: r.memory, at: Date.UTC(2023, 4, 20 + s, 9, i) })));
};
// An add this long is indexed in its own call, with no read waiting for it: it waits for the worker
// (started when the new memory opened) to load its models rather than load them in this thread too.
await memory.add(Array.from({ length: 40 }, (_, i) => ({ role: 'user', content: 'Warming up in Lisbon, turn ' + i + '.' })), { userId: 'warm-up' });
const first = posted;
await addSession();
await memory.store.count();
const before = posted;
for (let s = 0; s < 4; s++) await addSession();
const stored = await memory.store.entities(ids.map((m) => m.id));
const mismatched = ids.filter(({ id, text, at }) => JSON.stringify([...(stored.get(id) ?? [])].sort()) !== JSON.stringify([...annotateMemory(text, { eventTime: at }).entities].sort()));
await memory.close();
process.stdout.write(JSON.stringify({ memories: ids.length, first, posted: posted - before, mismatched: mismatched.map((m) => m.text) }));
`;

describe('entity extraction on a worker thread (on-disk memories, two cores or more)', () => {
  beforeAll(requireBuild);

  // With one core there is no worker (nothing to run it beside the embedding): skipped, visibly.
  const twoCores = availableParallelism() > 1 ? it : it.skip;
  twoCores('stores the same entities as extraction in the caller thread, and lets the process exit after close()', () => {
    const dir = createTempDir();
    try {
      const child = spawnSync(process.execPath, ['--input-type=module', '-e', script(join(dir.path, 'memory'))], { encoding: 'utf8', timeout: 60_000 });
      expect(child.signal).toBeNull();
      expect(child.stderr).toBe('');
      const outcome = JSON.parse(child.stdout) as { memories: number; first: number; posted: number; mismatched: string[] };
      expect(outcome.memories).toBe(50);
      expect(outcome.first).toBe(1);
      expect(outcome.mismatched).toEqual([]);
      // Each indexing transaction sends the worker one request; journaled adds of a few turns share
      // transactions (up to 64 turns), so the four adds take one to four.
      expect(outcome.posted).toBeGreaterThanOrEqual(1);
      expect(outcome.posted).toBeLessThanOrEqual(4);
    } finally {
      dir.remove();
    }
  });

  twoCores('neither keeps a memory that is never closed alive nor lets its process exit while an add waits for the worker', () => {
    const dir = createTempDir();
    try {
      // Awaited at the top level: an unreferenced worker would let the process exit with the add unfinished (code 13);
      // a referenced idle one would keep it running until the timeout kills it.
      const neverClosed = script(join(dir.path, 'memory')).replace('await memory.close();\n', '');
      const child = spawnSync(process.execPath, ['--input-type=module', '-e', neverClosed], { encoding: 'utf8', timeout: 60_000 });
      expect(child.signal).toBeNull();
      expect(child.status).toBe(0);
      const outcome = JSON.parse(child.stdout) as { posted: number; mismatched: string[] };
      expect(outcome.mismatched).toEqual([]);
      expect(outcome.posted).toBeGreaterThanOrEqual(1);
    } finally {
      dir.remove();
    }
  });
});

import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTempDir } from '@neuromem/core/testing';
import { annotateMemory } from './annotate-memory';
import { createAnnotator, type Annotator } from './create-annotator';

/** The worker as built (tests run from source, where there is none). */
const BUILT_WORKER = join(__dirname, '..', 'dist', 'annotate-worker.js');

const TURNS = [
  { text: 'Caroline moved to Bristol on 3 May 2023 because of her new job at the Royal Infirmary.', eventTime: Date.UTC(2023, 4, 8) },
  { text: 'Yesterday I paid $45 for two tickets to see Hamilton with Ada.', eventTime: Date.UTC(2023, 6, 1) },
  { text: 'ok', eventTime: 0 },
  { text: 'So we adopted a beagle named Biscuit last spring.', eventTime: Date.UTC(2024, 2, 10) },
];
const expected = TURNS.map(({ text, eventTime }) => annotateMemory(text, { eventTime }));

async function until(annotator: Annotator, mode: Annotator['mode']): Promise<void> {
  for (let waited = 0; annotator.mode !== mode; waited += 20) {
    if (waited > 20_000) throw new Error(`annotator still ${annotator.mode}, expected ${mode}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A worker that says it is ready, then does `onMessage` with each request (source code). */
const readyThen = (onMessage: string) => `import { parentPort, workerData } from 'node:worker_threads';\nworkerData.readyPort.postMessage('ready');\nparentPort.on('message', ${onMessage});\n`;

/** Runs `test` with a worker file holding `source`, removed afterwards. */
async function withWorkerFile(source: string, test: (file: string, dir: string) => Promise<void>): Promise<void> {
  const dir = createTempDir();
  try {
    const file = join(dir.path, 'worker.mjs');
    writeFileSync(file, source);
    await test(file, dir.path);
  } finally {
    dir.remove();
  }
}

/** An annotator on `worker` once the worker is up. */
async function startedAnnotator(worker: string, options: { requestTimeoutMs?: number } = {}): Promise<Annotator> {
  const annotator = createAnnotator({ worker, ...options });
  annotator.warmUp();
  await until(annotator, 'worker');
  return annotator;
}

describe('createAnnotator', () => {
  it('annotates in this thread by default, exactly as annotateMemory does', async () => {
    const annotator = createAnnotator();
    expect(annotator.mode).toBe('inline');
    await expect(annotator.annotate(TURNS)).resolves.toEqual(expected);
    await expect(annotator.annotate([])).resolves.toEqual([]);
  });

  it('annotates on a worker thread once it has loaded, with the same answers in the same order', async () => {
    if (!existsSync(BUILT_WORKER)) throw new Error('packages/retrieval/dist is missing: run "npm run build" first (npm test does it for you).');
    const annotator = createAnnotator({ worker: BUILT_WORKER });
    try {
      expect(annotator.mode).toBe('starting');
      await expect(annotator.annotate(TURNS.slice(0, 1))).resolves.toEqual(expected.slice(0, 1));
      expect(annotator.mode).toBe('worker');
      const batches = await Promise.all([annotator.annotate(TURNS), annotator.annotate(TURNS.slice(1, 3))]);
      expect(batches).toEqual([expected, expected.slice(1, 3)]);
    } finally {
      await annotator.close();
    }
    expect(annotator.mode).toBe('inline');
    await expect(annotator.annotate(TURNS)).resolves.toEqual(expected);
  });

  it('has requests made while the worker loads its models wait for its answers rather than load them here too', () =>
    withWorkerFile(
      // Ready after 300 ms; each answer marked, so an answer made here would show.
      "import { parentPort, workerData } from 'node:worker_threads';\nawait new Promise((resolve) => setTimeout(resolve, 300));\nworkerData.readyPort.postMessage('ready');\nparentPort.on('message', ({ id, items }) => parentPort.postMessage({ id, annotations: items.map(() => ({ by: 'worker' })) }));\n",
      async (slow) => {
        const annotator = createAnnotator({ worker: slow });
        annotator.warmUp();
        expect(annotator.mode).toBe('starting');
        await expect(annotator.annotate(TURNS.slice(0, 2))).resolves.toEqual([{ by: 'worker' }, { by: 'worker' }]);
        expect(annotator.mode).toBe('worker');
        await annotator.close();
      },
    ));

  it('answers here what a hurried reader waits for, and what comes while it waits, until the worker has loaded', () =>
    withWorkerFile(
      // Ready after 1.5 s; each answer marked, so an answer made here would show.
      "import { parentPort, workerData } from 'node:worker_threads';\nawait new Promise((resolve) => setTimeout(resolve, 1500));\nworkerData.readyPort.postMessage('ready');\nparentPort.on('message', ({ id, items }) => parentPort.postMessage({ id, annotations: items.map(() => ({ by: 'worker' })) }));\n",
      async (slow) => {
        const annotator = createAnnotator({ worker: slow });
        const waiting = annotator.annotate(TURNS.slice(0, 2));
        expect(annotator.mode).toBe('starting');
        const served = annotator.hurry();
        await expect(waiting).resolves.toEqual(expected.slice(0, 2));
        await expect(annotator.annotate(TURNS.slice(2))).resolves.toEqual(expected.slice(2));
        served();
        // No reader waits any more: the next request waits for the worker, as before.
        const later = annotator.annotate(TURNS.slice(0, 1));
        expect(annotator.mode).toBe('starting');
        await expect(later).resolves.toEqual([{ by: 'worker' }]);
        // Once the worker is up, hurrying changes nothing.
        annotator.hurry()();
        await expect(annotator.annotate(TURNS.slice(1, 2))).resolves.toEqual([{ by: 'worker' }]);
        await annotator.close();
      },
    ));

  it('gives up a worker that never finishes loading its models, answering the requests waiting for it here', () =>
    // Never says it is ready (and keeps running); with the 30 s request timeout alone the test would time out.
    withWorkerFile('setInterval(() => undefined, 1000);\n', async (stuck) => {
      const annotator = createAnnotator({ worker: stuck, startTimeoutMs: 200 });
      await expect(annotator.annotate(TURNS)).resolves.toEqual(expected);
      expect(annotator.mode).toBe('inline');
      await expect(annotator.annotate(TURNS.slice(1))).resolves.toEqual(expected.slice(1));
      await annotator.close();
    }));

  it('answers in this thread when the worker dies with requests in flight, and from then on', () =>
    withWorkerFile(readyThen('() => process.exit(3)'), async (dying) => {
      const annotator = await startedAnnotator(dying);
      await expect(annotator.annotate(TURNS)).resolves.toEqual(expected);
      expect(annotator.mode).toBe('inline');
      await annotator.close();
    }));

  it('stays in this thread when the worker cannot start or its file is missing', () =>
    withWorkerFile("throw new Error('cannot load the models');\n", async (broken, dir) => {
      const annotator = createAnnotator({ worker: broken });
      await expect(annotator.annotate(TURNS)).resolves.toEqual(expected);
      await until(annotator, 'inline');
      await expect(annotator.annotate(TURNS)).resolves.toEqual(expected);
      await annotator.close();
      const missing = createAnnotator({ worker: join(dir, 'no-such-worker.mjs') });
      expect(missing.mode).toBe('inline');
      await expect(missing.annotate(TURNS)).resolves.toEqual(expected);
    }));

  it('gives up a worker that does not answer in time, answering here from then on', () =>
    withWorkerFile(readyThen('() => undefined'), async (stuck) => {
      const annotator = await startedAnnotator(stuck, { requestTimeoutMs: 200 });
      await expect(annotator.annotate(TURNS)).resolves.toEqual(expected);
      expect(annotator.mode).toBe('inline');
      await annotator.close();
      expect(() => createAnnotator({ requestTimeoutMs: Number.NaN })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
      expect(() => createAnnotator({ startTimeoutMs: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', details: { field: 'startTimeoutMs' } }));
    }));

  it('answers requests in flight at close() here rather than dropping them', () =>
    withWorkerFile(readyThen('() => undefined'), async (silent) => {
      const annotator = await startedAnnotator(silent);
      const inFlight = annotator.annotate(TURNS);
      await annotator.close();
      await expect(inFlight).resolves.toEqual(expected);
    }));
});

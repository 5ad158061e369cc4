import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { createErrorFactory } from '@neuromem/core';
import { annotateMemory, type MemoryAnnotations } from './annotate-memory';

const fail = createErrorFactory('retrieval');

/** A text to annotate and when it was said (relative dates resolve against it). */
export interface AnnotationInput {
  text: string;
  eventTime: number;
}

export interface Annotator {
  /**
   * `annotateMemory()` of each input, in order. Rejects only as `annotateMemory()` would throw on
   * a text; a worker that fails or exits is replaced by this thread, its requests answered here.
   */
  annotate(items: readonly AnnotationInput[]): Promise<MemoryAnnotations[]>;
  /**
   * Starts the worker (if there is one and it has not started), so that it loads its models before
   * the first request rather than after it. `annotate` starts it too.
   */
  warmUp(): void;
  /**
   * Someone waits for the requests made so far (a search must see the adds they annotate). While
   * the worker still loads its models, this thread answers those requests, and those made until the
   * returned function is called (the reader has what it waited for): it loads its own models for that
   * once (a search reads its query with them anyway), which costs the waiting reader less than the
   * rest of the worker's start.
   */
  hurry(): () => void;
  /** Where annotations run now: `worker` once the worker has loaded its models, `starting` while it loads them. */
  readonly mode: 'worker' | 'starting' | 'inline';
  /** Stops the worker (if any); later calls annotate in this thread. */
  close(): Promise<void>;
}

export interface AnnotatorOptions {
  /**
   * Annotate in a worker thread, beside the caller's embedding: `true` (the built worker next to
   * this module), a path or URL of a worker file, or `false` (in this thread). Default false.
   */
  worker?: boolean | string | URL;
  /**
   * A request the worker has not answered within this many milliseconds gives it up: the worker is
   * stopped and this thread answers that request and all after it. Default 30,000 (a 20-turn add
   * takes the worker about 10 ms).
   */
  requestTimeoutMs?: number;
  /**
   * A worker that has not loaded its models this many milliseconds after it started is given up:
   * the requests waiting for it, and all after them, are answered in this thread. Default 10,000
   * (it takes about 0.5 s).
   */
  startTimeoutMs?: number;
}

/** @internal The messages between `createAnnotator()` and its worker. */
export interface AnnotationRequest {
  id: number;
  items: readonly AnnotationInput[];
}
/** @internal */
export type AnnotationReply = { id: number; annotations: MemoryAnnotations[] } | { id: number; error: string };
/** @internal What the worker is given: the port it says "ready" on once its models are loaded. */
export interface AnnotationWorkerData {
  readyPort: MessagePort;
}

interface Pending {
  items: readonly AnnotationInput[];
  timer: ReturnType<typeof setTimeout>;
  resolve: (annotations: MemoryAnnotations[]) => void;
  reject: (error: unknown) => void;
}

/**
 * Entity and cue extraction for writes, optionally in a worker thread. A write embeds its turns
 * (stateful: the session and the corpus counts) in the caller's thread; the annotations depend on
 * nothing but the text and its time, so on a second core they cost the write nothing. Requests made
 * while the worker loads its models wait for it there: loading them here as well would block this
 * thread for as long (about 0.3 s) and annotate a bulk import's first batches here, at a third of
 * the worker's pace. A search waiting for them is another matter (`hurry`): it would wait for the
 * whole start, and then load the models here anyway for its query. If the worker fails, exits or
 * does not answer in time, annotations run here:
 * a write never fails or hangs because of it. The worker never keeps the process alive.
 */
export function createAnnotator(options: AnnotatorOptions = {}): Annotator {
  const file = workerFile(options.worker ?? false);
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const startTimeoutMs = options.startTimeoutMs ?? 10_000;
  for (const [field, value] of [
    ['requestTimeoutMs', timeoutMs],
    ['startTimeoutMs', startTimeoutMs],
  ] as const) {
    if (!(value > 0)) throw fail('INVALID_INPUT', `${field} must be a positive number of milliseconds, got ${String(value)}.`, { details: { field } });
  }
  let worker: Worker | undefined;
  /** Polled without waiting (a writer that never yields to the event loop still sees the worker come up). */
  let readyPort: MessagePort | undefined;
  let state: Annotator['mode'] = file === undefined ? 'inline' : 'starting';
  let nextId = 0;
  const pending = new Map<number, Pending>();

  const inline = (items: readonly AnnotationInput[]) => items.map(({ text, eventTime }) => annotateMemory(text, { eventTime }));
  /** Answers a request in this thread (an exception becomes its rejection, never an uncaught one). */
  const answerHere = ({ items, resolve, reject, timer }: Pending) => {
    clearTimeout(timer);
    try {
      resolve(inline(items));
    } catch (error) {
      reject(error);
    }
  };

  /** The worker is gone or broken: this thread answers what it had and everything after. */
  const fallBack = () => {
    state = 'inline';
    const stranded = [...pending.values()];
    pending.clear();
    const dead = worker;
    worker = undefined;
    readyPort?.close();
    readyPort = undefined;
    void dead?.terminate().catch(() => undefined);
    stranded.forEach(answerHere);
  };

  const start = (path: string) => {
    const channel = new MessageChannel();
    try {
      worker = new Worker(path, {
        // The process's flags, but `--input-type` (for `node -e` code) stops a worker from starting at all.
        execArgv: process.execArgv.filter((flag) => !flag.startsWith('--input-type')),
        workerData: { readyPort: channel.port2 } satisfies AnnotationWorkerData,
        transferList: [channel.port2],
      });
    } catch {
      channel.port1.close();
      state = 'inline';
      return;
    }
    readyPort = channel.port1;
    readyPort.unref();
    worker.on('message', (reply: AnnotationReply) => {
      const request = pending.get(reply.id);
      if (!request) return;
      pending.delete(reply.id);
      if (pending.size === 0) worker?.unref();
      // A text the worker could not annotate is annotated here, where the error (if it repeats) reaches the caller.
      if ('error' in reply) answerHere(request);
      else {
        clearTimeout(request.timer);
        request.resolve(reply.annotations);
      }
    });
    worker.on('error', fallBack);
    worker.on('exit', () => {
      if (worker !== undefined) fallBack();
    });
    // Held only while a request waits for its answer (see annotate), so a memory never closed does
    // not keep its process alive. After the listeners: attaching a 'message' listener refs it again.
    worker.unref();
    // A worker stuck loading its models must not keep the writes waiting for it much longer than loading takes.
    const deadline = setTimeout(() => {
      noticeReady();
      if (state === 'starting') fallBack();
    }, startTimeoutMs);
    deadline.unref();
  };

  /** Has the worker said it is ready? Read without waiting for the event loop. */
  const noticeReady = () => {
    if (state !== 'starting' || readyPort === undefined || receiveMessageOnPort(readyPort) === undefined) return;
    state = 'worker';
    readyPort.close();
    readyPort = undefined;
  };

  const warmUp = () => {
    if (state === 'starting' && worker === undefined) start(file!);
  };

  /** Readers waiting (`hurry`): while there are any and the worker loads, this thread answers. */
  let hurried = 0;
  const answersHere = () => state === 'inline' || (state === 'starting' && hurried > 0);

  return {
    get mode() {
      noticeReady();
      return state;
    },
    warmUp,
    hurry() {
      noticeReady();
      if (state !== 'starting') return () => undefined;
      hurried++;
      const waiting = [...pending.values()];
      pending.clear();
      // The worker answers these too, later; its replies find no request and are dropped.
      if (waiting.length > 0) worker?.unref();
      waiting.forEach(answerHere);
      let done = false;
      return () => {
        if (!done) hurried--;
        done = true;
      };
    },
    annotate(items) {
      if (items.length === 0) return Promise.resolve([]);
      warmUp();
      noticeReady();
      return new Promise<MemoryAnnotations[]>((resolve, reject) => {
        const target = worker;
        if (target === undefined || answersHere()) return resolve(inline(items));
        const id = nextId++;
        // A worker stuck on a request, or on loading its models, must not hang the write waiting for it.
        const timer = setTimeout(fallBack, timeoutMs);
        timer.unref();
        pending.set(id, { items, resolve, reject, timer });
        // A caller awaiting only this answer must not see its process exit first.
        target.ref();
        target.postMessage({ id, items } satisfies AnnotationRequest);
      });
    },
    async close() {
      state = 'inline';
      const stopping = worker;
      worker = undefined;
      readyPort?.close();
      readyPort = undefined;
      // Requests still in flight are answered here rather than dropped.
      const stranded = [...pending.values()];
      pending.clear();
      stranded.forEach(answerHere);
      await stopping?.terminate();
    },
  };
}

/** The worker file to start, or undefined when there is none (running from source, or not asked for). */
function workerFile(option: boolean | string | URL): string | undefined {
  if (option === false) return undefined;
  const path = option === true ? builtWorker() : option instanceof URL ? fileURLToPath(option) : option;
  return path !== undefined && existsSync(path) ? path : undefined;
}

/** The built worker beside this module (dist/annotate-worker.js); from source (tests) there is none. */
function builtWorker(): string | undefined {
  try {
    return fileURLToPath(new URL('./annotate-worker.js', import.meta.url));
  } catch {
    return undefined;
  }
}

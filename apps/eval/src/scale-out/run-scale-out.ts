import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createErrorFactory } from '@neuromem/core';
import { createPostgresStore } from '@neuromem/store-postgres';
import { createMemory } from 'neuromem';
import pg from 'pg';
import type { WorkerResult, WorkerTask } from './scale-out-worker';

const fail = createErrorFactory('eval');

export interface ScaleOutOptions {
  /** `postgres://` URL of a server with pgvector, or `postgres` for PGlite served on loopback by this process. */
  store: string;
  workerCounts: number[];
  users: number;
  addsPerWorker: number;
  searchesPerWorker: number;
  sessionTurns: number;
  seed: number;
  /** The CLI to start workers with (`node <cli> scale-out-worker <task>`). */
  cli: string;
  onProgress?: (message: string) => void;
}

export interface ScaleOutRow {
  workers: number;
  seconds: number;
  addsPerSecond: number;
  searchesPerSecond: number;
  addP50: number;
  addP95: number;
  searchP50: number;
  searchP95: number;
  acked: number;
  stored: number;
  lost: number;
  crossUser: number;
  errors: number;
}

export interface ScaleOutReport {
  store: string;
  server: string;
  options: Omit<ScaleOutOptions, 'onProgress' | 'cli' | 'store'>;
  rows: ScaleOutRow[];
}

/**
 * 1, 2, 4... worker processes share one Postgres-backed memory, each adding and searching at once
 * (users shared by all of them); then every write a worker saw acknowledged is read back. Reports
 * throughput, latency per worker count, lost writes and cross-user results (both must be 0).
 */
export async function runScaleOut(options: ScaleOutOptions): Promise<ScaleOutReport> {
  if (options.store === 'postgres' && options.workerCounts.some((n) => n > 1)) {
    // Its socket server multiplexes every client onto PGlite's one connection, and statements of two
    // clients outside a transaction interleave (a Bind meets another client's Parse).
    throw fail('INVALID_INPUT', 'PGlite serves one process at a time: use --workers 1 with --store postgres, or a postgres:// URL of a PostgreSQL server with pgvector for more workers.', {
      details: { field: '--workers' },
    });
  }
  const server = await serverFor(options.store);
  const rows: ScaleOutRow[] = [];
  try {
    for (const workers of options.workerCounts) {
      const schema = `scale_out_${process.pid}_${workers}`;
      // The schema is made once, before the workers race to open it.
      await (await createMemory({ store: ({ vectorScales }) => createPostgresStore({ connectionString: server.url, schema, vectorScales }) })).close();
      options.onProgress?.(`${workers} worker(s): starting`);
      const tasks: WorkerTask[] = Array.from({ length: workers }, (_, worker) => ({
        url: server.url,
        schema,
        worker,
        workers,
        users: options.users,
        adds: options.addsPerWorker,
        searches: options.searchesPerWorker,
        sessionTurns: options.sessionTurns,
        seed: options.seed,
      }));
      const children = tasks.map((task) => startWorker(options.cli, task));
      await Promise.all(children.map((child) => child.ready));
      const started = performance.now();
      children.forEach((child) => child.go());
      const results = await Promise.all(children.map((child) => child.result));
      const seconds = (performance.now() - started) / 1000;
      options.onProgress?.(`${workers} worker(s): ${seconds.toFixed(1)} s, checking every acknowledged write`);
      rows.push({ workers, seconds, ...(await check(server.url, schema, results)), ...rates(results, seconds) });
      await dropSchema(server.url, schema);
    }
  } finally {
    await server.stop();
  }
  const { onProgress: _p, cli: _c, store: _s, ...rest } = options;
  return { store: options.store.startsWith('postgres://') ? 'postgres server' : 'postgres (PGlite over loopback)', server: server.describe, options: rest, rows };
}

function rates(results: WorkerResult[], seconds: number) {
  const adds = results.flatMap((r) => r.addMs).sort((a, b) => a - b);
  const searches = results.flatMap((r) => r.searchMs).sort((a, b) => a - b);
  const at = (values: number[], q: number) => (values.length === 0 ? 0 : values[Math.min(values.length - 1, Math.floor(q * values.length))]!);
  return {
    addsPerSecond: adds.length / seconds,
    searchesPerSecond: searches.length / seconds,
    addP50: at(adds, 0.5),
    addP95: at(adds, 0.95),
    searchP50: at(searches, 0.5),
    searchP95: at(searches, 0.95),
    crossUser: results.reduce((n, r) => n + r.crossUser, 0),
    errors: results.reduce((n, r) => n + r.errors.length, 0),
  };
}

/** Reads back every acknowledged write with its owner and text; counts what is missing or wrong. */
async function check(url: string, schema: string, results: WorkerResult[]) {
  const memory = await createMemory({ store: ({ vectorScales }) => createPostgresStore({ connectionString: url, schema, vectorScales }) });
  const acked = results.flatMap((r) => r.acked);
  let lost = 0;
  for (let i = 0; i < acked.length; i += 500) {
    const batch = acked.slice(i, i + 500);
    const found = new Map((await memory.store.getMany(batch.map((a) => a.id))).map((record) => [record.id, record]));
    lost += batch.filter((a) => found.get(a.id)?.text !== a.text || found.get(a.id)?.scope.userId !== a.userId).length;
  }
  const stored = await memory.store.count();
  await memory.close();
  return { acked: acked.length, stored, lost };
}

function startWorker(cli: string, task: WorkerTask): { ready: Promise<void>; go(): void; result: Promise<WorkerResult> } {
  const child: ChildProcess = spawn(process.execPath, [cli, 'scale-out-worker', JSON.stringify(task)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  let markReady: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const result = new Promise<WorkerResult>((resolve, reject) => {
    let last = '';
    lines.on('line', (line) => (line === 'ready' ? markReady() : (last = line)));
    child.on('exit', (code) =>
      code === 0 && last.startsWith('{') ? resolve(JSON.parse(last) as WorkerResult) : reject(fail('UPSTREAM', `scale-out worker ${task.worker} exited with code ${code}.`)),
    );
  });
  return { ready, go: () => child.stdin!.write('go\n'), result };
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => pool.end());
}

/** The server the workers share: the URL given, or PGlite served on a loopback port by this process. */
async function serverFor(store: string): Promise<{ url: string; describe: string; stop(): Promise<void> }> {
  if (/^postgres(ql)?:\/\//.test(store)) {
    const pool = new pg.Pool({ connectionString: store, max: 1 });
    const [row] = (await pool.query<{ version: string; vector: string | null }>(`SELECT version(), (SELECT extversion FROM pg_extension WHERE extname = 'vector') AS vector`)).rows;
    await pool.end();
    return { url: store, describe: `${row!.version.split(' on ')[0]}, pgvector ${row!.vector ?? 'not yet installed'}`, stop: async () => undefined };
  }
  if (store !== 'postgres') throw fail('INVALID_INPUT', `--store must be postgres (PGlite on loopback) or a postgres:// URL, got ${JSON.stringify(store)}.`);
  const [{ PGlite }, { vector }, { PGLiteSocketServer }] = await Promise.all([import('@electric-sql/pglite'), import('@electric-sql/pglite-pgvector'), import('@electric-sql/pglite-socket')]);
  const db = await PGlite.create({ extensions: { vector } });
  const socket = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 64 });
  await socket.start();
  const url = `postgres://postgres@127.0.0.1:${(socket as unknown as { port: number }).port}/postgres`;
  return { url, describe: 'PGlite 0.5.14 (PostgreSQL 18, WebAssembly, one thread), pgvector 0.8.7', stop: async () => (await socket.stop(), await db.close()) };
}

import { createInterface } from 'node:readline';
import { createPostgresStore } from '@neuromem/store-postgres';
import { annotateMemory } from '@neuromem/retrieval';
import { createMemory } from 'neuromem';
import { createScaleWorkload } from '../scale/scale-workload';

/** What the parent asks one worker process to do (passed as JSON on the command line). */
export interface WorkerTask {
  url: string;
  schema: string;
  worker: number;
  workers: number;
  users: number;
  adds: number;
  searches: number;
  sessionTurns: number;
  seed: number;
}

/** What a worker reports back on its last stdout line. */
export interface WorkerResult {
  worker: number;
  acked: Array<{ id: string; userId: string; text: string }>;
  addMs: number[];
  searchMs: number[];
  /** Search results that belonged to another user than the one asked for: must be 0. */
  crossUser: number;
  errors: string[];
}

const userOf = (index: number) => `user-${index}`;

/**
 * One app process: opens the shared Postgres-backed memory, says `ready`, waits for `go` on stdin,
 * then interleaves its adds (its own sessions, users shared with every other worker) with searches
 * of random users, and prints what it did as one JSON line.
 */
export async function runScaleOutWorker(task: WorkerTask): Promise<void> {
  const memory = await createMemory({ store: ({ vectorScales }) => createPostgresStore({ connectionString: task.url, schema: task.schema, vectorScales, poolSize: 2 }), trackAccess: false });
  const workload = createScaleWorkload({ seed: task.seed + task.worker * 7919, users: task.users, sessionTurns: task.sessionTurns });
  // Warm up what the first add and search would load (models, compiled code) without writing:
  // the timed part measures the shared database, not each process's start.
  const warm = workload.turn().content;
  annotateMemory(warm, { eventTime: Date.now() });
  await memory.embedder.embedSession([warm]);
  await memory.search(warm, { userId: 'warm-up-nobody', topK: 10 });
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => {
    const lines = createInterface({ input: process.stdin });
    lines.once('line', () => {
      // Only one line is ever sent: stop reading, so the process can end when its work is done.
      lines.close();
      process.stdin.destroy();
      resolve();
    });
  });

  const result: WorkerResult = { worker: task.worker, acked: [], addMs: [], searchMs: [], crossUser: 0, errors: [] };
  const searchEvery = Math.max(1, Math.round(task.adds / Math.max(1, task.searches)));
  let searches = 0;
  for (let i = 0; i < task.adds; i++) {
    const userId = userOf((task.worker + Math.floor(i / task.sessionTurns) * task.workers) % task.users);
    const runId = `w${task.worker}-s${Math.floor(i / task.sessionTurns)}`;
    const text = `${workload.turn().content} [w${task.worker} #${i}]`;
    let started = performance.now();
    try {
      const { results } = await memory.add(text, { userId, runId });
      result.addMs.push(performance.now() - started);
      result.acked.push({ id: results[0]!.id, userId, text });
    } catch (error) {
      result.errors.push(`add: ${(error as Error).message}`);
    }
    if ((i + 1) % searchEvery === 0 && searches < task.searches) {
      searches++;
      const asked = userOf((task.worker * 31 + i) % task.users);
      started = performance.now();
      try {
        const { results } = await memory.search(workload.turn().content, { userId: asked, topK: 10 });
        result.searchMs.push(performance.now() - started);
        result.crossUser += results.filter((r) => r.userId !== asked).length;
      } catch (error) {
        result.errors.push(`search: ${(error as Error).message}`);
      }
    }
  }
  await memory.close();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

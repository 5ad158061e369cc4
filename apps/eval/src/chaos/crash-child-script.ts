/** The calls a crash child makes, with their weights (summing to 1). */
export type OperationMix = ReadonlyArray<readonly ['add' | 'batch' | 'update' | 'delete', number]>;

export interface CrashChildOptions {
  /** `file:` URL of the built neuromem entry point. */
  entry: string;
  /** Database directory shared by every round. */
  path: string;
  seed: number;
  round: number;
  userId: string;
  /** runId of every add in this round, so the parent can list the round's memories. */
  session: string;
  mix: OperationMix;
  /** Memories the child may update or delete: acknowledged, current and not in doubt. */
  pool: Array<[id: string, text: string]>;
  /** close() and reopen after 1..closeEvery calls; omitted = never close. */
  closeEvery?: number;
}

/**
 * The program a crash child runs: seeded calls on a durable memory, one JSON line before each call
 * (`begin`, what it will write) and one after it resolved (`ack`, what was written). Lines are
 * written synchronously, so an `ack` on the pipe means the call had returned before any kill.
 */
export function crashChildScript(options: CrashChildOptions): string {
  const { entry, ...config } = options;
  return `
import { writeSync } from 'node:fs';
import { createMemory } from ${JSON.stringify(entry)};
const config = ${JSON.stringify(config)};
const say = (line) => writeSync(1, JSON.stringify(line) + '\\n');
let state = config.seed >>> 0;
const random = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const below = (n) => Math.floor(random() * n);
const WORDS = ${JSON.stringify(WORDS)};
const sentence = (label) => label + ' ' + WORDS[below(WORDS.length)] + ' ' + WORDS[below(WORDS.length)] + ' near ' + WORDS[below(WORDS.length)];
const chooseOp = () => {
  let x = random();
  for (const [op, weight] of config.mix) if ((x -= weight) < 0) return op;
  return config.mix[config.mix.length - 1][0];
};
const scope = { userId: config.userId, runId: config.session };
const pool = config.pool;
const failed = (op, n, error) => {
  say({ t: 'error', op, n, code: error?.code, message: String(error?.message ?? error) });
  process.exit(1);
};

async function open() {
  const started = performance.now();
  const memory = await createMemory({ path: config.path });
  const openMs = performance.now() - started;
  await memory.search('where did Maria go on vacation', { userId: config.userId });
  const ms = performance.now() - started;
  // Opened now (they open on demand), so the kills below can land in index snapshot saves too.
  const rebuilt = Object.values((await memory.store.loadIndexes()).vectorIndexes).includes('rebuilt');
  return { memory, ms, openMs, rebuilt };
}

let memory;
try {
  const opened = await open();
  memory = opened.memory;
  say({ t: 'open', ms: opened.ms, openMs: opened.openMs, rebuilt: opened.rebuilt });
} catch (error) {
  failed('open', -1, error);
}
let untilClose = config.closeEvery ? 1 + below(config.closeEvery) : -1;
for (let n = 0; n < 100000; n++) {
  let op = chooseOp();
  if ((op === 'update' || op === 'delete') && pool.length === 0) op = 'add';
  try {
    if (op === 'add' || op === 'batch') {
      const size = op === 'add' ? 1 : 2 + below(5);
      const texts = Array.from({ length: size }, (_, j) => sentence('r' + config.round + ' op' + n + '.' + j));
      say({ t: 'begin', n, op, texts });
      const { results } = await memory.add(texts.map((content, j) => ({ role: j % 2 ? 'assistant' : 'user', content })), scope);
      say({ t: 'ack', n, op, ids: results.map((r) => r.id), texts: results.map((r) => r.memory) });
      for (const r of results) pool.push([r.id, r.memory]);
    } else {
      const i = below(pool.length);
      const id = pool[i][0];
      const text = op === 'update' ? sentence('r' + config.round + ' op' + n + ' edit') : undefined;
      say({ t: 'begin', n, op, id, text });
      if (op === 'update') {
        await memory.update(id, text);
        pool[i] = [id, text];
      } else {
        await memory.delete(id);
        pool[i] = pool[pool.length - 1];
        pool.pop();
      }
      say({ t: 'ack', n, op, id, text });
    }
  } catch (error) {
    failed(op, n, error);
  }
  if (--untilClose === 0) {
    try {
      say({ t: 'begin', n, op: 'close' });
      await memory.close();
      say({ t: 'ack', n, op: 'close' });
      memory = (await open()).memory;
    } catch (error) {
      failed('close', n, error);
    }
    untilClose = 1 + below(config.closeEvery);
  }
}
say({ t: 'done' });
setInterval(() => {}, 1000); // wait for the kill
`;
}

const WORDS = [
  'Lisbon',
  'Kyoto',
  'Oslo',
  'Nairobi',
  'Lima',
  'Denver',
  'piano',
  'marathon',
  'sourdough',
  'garden',
  'chess',
  'kayak',
  'violin',
  'pottery',
  'salsa',
  'camping',
  'Python',
  'Rust',
  'knitting',
  'yoga',
  'Maria',
  'Tomás',
  'Aiko',
  'Jonas',
  'Priya',
  'Chen',
  'birthday',
  'wedding',
  'promotion',
  'vacation',
];

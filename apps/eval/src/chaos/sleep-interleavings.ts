import { createSleepJournal } from '@neuromem/agents';
import { createManualClock, isNeuroMemError, type AgentAction } from '@neuromem/core';
import { createRandom } from '@neuromem/core/testing';
import { createMemory, type Memory as AnyMemory, type SleepReport, type SqliteMemoryStore } from 'neuromem';
import type { ChaosCheck, ChaosCheckOptions, ChaosCheckResult } from './chaos-check';
import { factProblems } from './fact-problems';
import { FACT_KINDS, sleepFactText, type FactKind } from './sleep-fact-texts';

type Memory = AnyMemory<SqliteMemoryStore>;

const HOUR = 3_600_000;
const T0 = Date.UTC(2025, 0, 6);
const USERS = ['ana', 'ben', 'caro'];
const FULL_RUNS = 1_000;
const QUICK_RUNS = 30;
const MIN_OPS = 15;
const MAX_OPS = 25;
/** Budgets in ms of the memory's clock, which ticks 1 ms a reading: the small ones cut a sleep short. */
const BUDGETS = [1, 3, 8, 20, 60_000, 60_000];
/** Storage budgets a sleep may work to (`sleep({ warmShare })`). */
const WARM_SHARES = [0, 0.5, 1];
/**
 * Expiries, in hours from now: half-hour offsets, while the clock moves by whole hours (plus a few ms
 * of ticks), so the check and the memory never disagree on whether a memory has expired.
 */
const EXPIRIES_H = [-1.5, 0.5, 1.5, 5.5, 23.5, 47.5];
const ADVANCES_H = [1, 2, 6, 24];

const QUERIES = ['Where do I live?', 'What is my job?', 'What food do I like?', 'What is my phone number?', 'What is my dog called?', 'What did I do last weekend?'];

/** The actions a run journaled, oldest first (read through the journal `@neuromem/agents` keeps). */
export async function journaledActions(store: SqliteMemoryStore, runId: string): Promise<AgentAction[]> {
  return (await createSleepJournal(store).steps(runId)).flatMap((step) => step.actions);
}

/** The `supersedes` links a run journaled, as "from>to" keys. */
export const linkKeysOf = (actions: readonly AgentAction[]): string[] =>
  actions.flatMap((action) => (action.type === 'link' && action.edgeType === 'supersedes' ? [`${action.from}>${action.to}`] : []));

interface ModelMemory {
  id: string;
  userId: string;
  text: string;
  expiresAt?: number;
  /** Tombstoned: by its owner, or by the forgetting agent once expired. */
  deleted: boolean;
  /** History actions, oldest first. */
  events: Array<'ADD' | 'UPDATE' | 'DELETE'>;
}

export interface SleepInterleavingsOptions extends ChaosCheckOptions {
  /** Sequences (each a run of the check). */
  runs: number;
  /** Operations per sequence: from `minOps` to `maxOps`. */
  minOps?: number;
  maxOps?: number;
  /** The first sequence's number: `{ firstRun: k, runs: 1 }` replays sequence k of a seed alone. */
  firstRun?: number;
}

/** Kinds of broken promises, counted for the JSON report. */
const KINDS = ['lostOrChanged', 'history', 'foreignLink', 'unjournaledLink', 'doneLinkMissing', 'journal', 'search', 'error', 'notForgotten', 'facts'] as const;
type Kind = (typeof KINDS)[number];

/** `neuromem-eval chaos`: random interleavings of users' writes, clock moves, sleeps and undos. */
export const runSleepInterleavings: ChaosCheck = (options) => runSleepInterleavingsOf({ ...options, runs: options.quick ? QUICK_RUNS : FULL_RUNS });

/**
 * The sleep's promises as a property: seeded sequences of adds by two or three users (facts that
 * change, some expiring), updates, deletes, clock moves, sleeps (some cut short by their budget,
 * some with writes arriving while they run) and undos of finished runs, on one in-process memory
 * reset between sequences. After every operation: each user reads exactly their live, unexpired
 * memories; every history holds exactly the events its user caused (plus, after a sleep, a DELETE
 * for an expired memory); every `supersedes` link joins two memories of one user and was journaled
 * by a run that is `done`; every link of a `done` run is still there; search returns only the
 * caller's live memories. A sequence stops at its first failure (its model no longer holds).
 */
export async function runSleepInterleavingsOf(options: SleepInterleavingsOptions): Promise<ChaosCheckResult> {
  const minOps = options.minOps ?? MIN_OPS;
  const maxOps = options.maxOps ?? MAX_OPS;
  const firstRun = options.firstRun ?? 0;
  const clock = createManualClock(T0, { tick: 1 });
  const memory: Memory = await createMemory({ clock });
  const failures: string[] = [];
  const kinds = Object.fromEntries(KINDS.map((kind) => [kind, 0])) as Record<Kind, number>;
  const stats = emptyStats();
  let failed = 0;
  const started = performance.now();
  try {
    for (let run = firstRun; run < firstRun + options.runs; run++) {
      await memory.reset();
      clock.set(T0);
      const problem = await runSequence(memory, clock, sequenceSeed(options.seed, run), { minOps, maxOps, stats });
      if (problem) {
        failed++;
        kinds[problem.kind]++;
        if (failures.length < 10) failures.push(`sleep interleavings, seed ${options.seed}, sequence ${run} (replay with firstRun ${run}, runs 1): ${problem.message}`);
      }
      options.onProgress?.(run - firstRun + 1, options.runs);
    }
  } finally {
    await memory.close();
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    rows: [
      {
        check: 'sleep interleavings (property)',
        runs: options.runs,
        failures: failed,
        detail:
          `${stats.ops.toLocaleString('en')} ops in sequences of ${minOps}-${maxOps}: ${stats.sleeps.toLocaleString('en')} sleeps (${stats.cutShort.toLocaleString('en')} cut short, ` +
          `${stats.sleepsWithWrites.toLocaleString('en')} with writes meanwhile, ${stats.budgeted.toLocaleString('en')} to a storage budget: ${stats.tierChanges.toLocaleString('en')} memories faded or restored), ` +
          `${stats.undos.toLocaleString('en')} undos, ${stats.linksMade.toLocaleString('en')} links, ` +
          `${stats.factsSeen.toLocaleString('en')} facts checked, ${stats.expiriesTombstoned.toLocaleString('en')} expiries tombstoned; ${seconds.toFixed(1)} s`,
      },
    ],
    failures,
    figures: {
      sleepInterleavingRuns: options.runs,
      sleepInterleavingFailures: failed,
      sleepInterleavingOps: stats.ops,
      sleepInterleavingSleeps: stats.sleeps,
      sleepInterleavingCutShort: stats.cutShort,
      sleepInterleavingBudgeted: stats.budgeted,
      sleepInterleavingTierChanges: stats.tierChanges,
      sleepInterleavingUndos: stats.undos,
      sleepInterleavingLinks: stats.linksMade,
      sleepInterleavingFactsChecked: stats.factsSeen,
      sleepInterleavingExpiries: stats.expiriesTombstoned,
      ...Object.fromEntries(KINDS.map((kind) => [`sleepInterleaving_${kind}`, kinds[kind]])),
    },
  };
}

/** Each sequence's own seed, so one can be replayed alone. */
const sequenceSeed = (seed: number, run: number) => (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(run + 1, 0x85ebca6b)) >>> 0;

type Problem = { kind: Kind; message: string };

class Broken extends Error {
  constructor(
    readonly kind: Kind,
    message: string,
  ) {
    super(message);
  }
}

/** What the sequences did, summed for the report. */
const emptyStats = () => ({ ops: 0, sleeps: 0, cutShort: 0, sleepsWithWrites: 0, budgeted: 0, tierChanges: 0, undos: 0, linksMade: 0, expiriesTombstoned: 0, searches: 0, factsSeen: 0 });
type InterleavingStats = ReturnType<typeof emptyStats>;

async function runSequence(
  memory: Memory,
  clock: ReturnType<typeof createManualClock>,
  seed: number,
  settings: {
    minOps: number;
    maxOps: number;
    stats: InterleavingStats;
  },
): Promise<Problem | undefined> {
  const { stats } = settings;
  const random = createRandom(seed);
  const chance = (p: number) => random() < p;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const users = USERS.slice(0, chance(0.6) ? 2 : 3);
  // Two or three kinds of fact a sequence: enough restatements of one fact for the agent to link.
  const kinds: FactKind[] = [...FACT_KINDS];
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
  }
  kinds.length = 2 + Math.floor(random() * 2);
  const memories: ModelMemory[] = [];
  const byId = new Map<string, ModelMemory>();
  /** This sequence's runs and the status each must have. */
  const runs = new Map<string, 'done' | 'undone'>();
  /** Links journaled by each finished run (a finished run's steps no longer change). */
  const runLinks = new Map<string, string[]>();
  const log: string[] = [];
  const short = (id: string) => id.slice(-6);
  const expired = (m: ModelMemory, now: number) => m.expiresAt !== undefined && m.expiresAt <= now;
  const visible = (m: ModelMemory, now: number) => !m.deleted && !expired(m, now);
  const broken = (kind: Kind, message: string): never => {
    throw new Broken(kind, message);
  };

  const add = async () => {
    const userId = pick(users);
    const text = sleepFactText(random, kinds);
    const expiresAt = chance(0.3) ? clock.now() + pick(EXPIRIES_H) * HOUR : undefined;
    const { results } = await memory.add(text, { userId, ...(expiresAt !== undefined ? { expirationDate: expiresAt } : {}) });
    if (results.length !== 1 || results[0]!.memory !== text || results[0]!.userId !== userId) broken('lostOrChanged', `add("${text}") by ${userId} returned ${JSON.stringify(results)}`);
    const m: ModelMemory = { id: results[0]!.id, userId, text, deleted: false, events: ['ADD'], ...(expiresAt !== undefined ? { expiresAt } : {}) };
    memories.push(m);
    byId.set(m.id, m);
    log.push(`add(${userId}, ${short(m.id)}, "${text}"${expiresAt !== undefined ? `, expires ${((expiresAt - clock.now()) / HOUR).toFixed(1)} h` : ''})`);
  };
  const someVisible = () => {
    const now = clock.now();
    const candidates = memories.filter((m) => visible(m, now));
    return candidates.length === 0 ? undefined : pick(candidates);
  };
  const update = async () => {
    const m = someVisible();
    if (!m) return add();
    let text = sleepFactText(random, kinds);
    while (text === m.text) text = sleepFactText(random, kinds);
    await memory.update(m.id, text, { userId: m.userId });
    m.text = text;
    m.events.push('UPDATE');
    log.push(`update(${m.userId}, ${short(m.id)}, "${text}")`);
  };
  const remove = async () => {
    const m = someVisible();
    if (!m) return add();
    await memory.delete(m.id, { userId: m.userId });
    m.deleted = true;
    m.events.push('DELETE');
    log.push(`delete(${m.userId}, ${short(m.id)})`);
  };
  const userWrite = () => {
    const roll = random();
    return roll < 0.5 ? add() : roll < 0.8 ? update() : remove();
  };

  /** Expired memories a finished sleep must have tombstoned (all users', or one user's). */
  let mustForget: ModelMemory[] = [];
  const sleep = async (withWrites: boolean) => {
    const budgetMs = pick(BUDGETS);
    const userId = chance(0.2) ? pick(users) : undefined;
    // A third of the sleeps also work to a storage budget: memories fade and come back, never lost.
    const warmShare = chance(0.33) ? pick(WARM_SHARES) : undefined;
    const expiredBefore = memories.filter((m) => !m.deleted && expired(m, clock.now()) && (userId === undefined || m.userId === userId));
    const entry = log.push(`sleep(${budgetMs} ms${userId ? `, ${userId}` : ''}${warmShare !== undefined ? `, warm share ${warmShare}` : ''}${withWrites ? ', with writes meanwhile' : ''})`) - 1;
    const pending = memory.sleep({ budgetMs, ...(userId !== undefined ? { userId } : {}), ...(warmShare !== undefined ? { warmShare } : {}) });
    if (withWrites) {
      // Caught at once so an early rejection is not unhandled while the writes run.
      pending.catch(() => undefined);
      for (let i = 1 + Math.floor(random() * 2); i > 0; i--) await userWrite();
    }
    const report: SleepReport = await pending;
    stats.sleeps++;
    if (withWrites) stats.sleepsWithWrites++;
    if (warmShare !== undefined) stats.budgeted++;
    for (const r of report.reports) if (r.agent === 'forgetting') stats.tierChanges += (r.actions.demoted ?? 0) + (r.actions.promoted ?? 0);
    if (!report.done) stats.cutShort++;
    if (budgetMs === 60_000 && !report.done) broken('journal', `a sleep with a 60 s budget on ${memories.length} memories did not finish: ${JSON.stringify(report.reports)}`);
    runs.set(report.runId, 'done');
    log[entry] += ` -> run ${short(report.runId)}${report.done ? '' : ' (cut short)'}`;
    mustForget = report.done && !withWrites ? expiredBefore : [];
  };
  const undo = async () => {
    const finished = [...runs].filter(([, status]) => status === 'done').map(([runId]) => runId);
    if (runs.size === 0) return sleep(false);
    const runId = finished.length > 0 && chance(0.8) ? pick(finished) : pick([...runs.keys()]);
    const was = runs.get(runId)!;
    const actions = await journaledActions(memory.store, runId);
    log.push(`undoSleep(${short(runId)}, ${was}, ${actions.length} actions)`);
    const result = await memory.undoSleep(runId);
    stats.undos++;
    // An agent's own progress (`state`) is restored too, but is not a memory or link: not counted.
    const expected = was === 'done' ? actions.filter((action) => action.type !== 'state').length : 0;
    if (result.undone + result.kept !== expected) broken('journal', `undoSleep(${runId}) of a ${was} run reversed ${result.undone} and kept ${result.kept} of ${expected} journaled actions`);
    runs.set(runId, 'undone');
  };
  const advance = async () => {
    const hours = pick(ADVANCES_H);
    clock.advance(hours * HOUR);
    log.push(`advance(${hours} h)`);
  };
  const search = async () => {
    const userId = pick(users);
    const query = pick(QUERIES);
    const { results } = await memory.search(query, { userId, topK: 10 });
    stats.searches++;
    const now = clock.now();
    for (const item of results) {
      const m = byId.get(item.id);
      if (!m) broken('search', `search("${query}") by ${userId} returned ${item.id}, a memory no user stored`);
      else if (m.userId !== userId) broken('search', `search("${query}") by ${userId} returned ${m.userId}'s memory ${short(m.id)} "${m.text}"`);
      else if (!visible(m, now)) broken('search', `search("${query}") by ${userId} returned ${m.deleted ? 'deleted' : 'expired'} memory ${short(m.id)}`);
    }
  };

  const operations: Array<[weight: number, name: string, run: () => Promise<void>]> = [
    [0.34, 'add', add],
    [0.12, 'update', update],
    [0.08, 'delete', remove],
    [0.12, 'advance', advance],
    [0.14, 'sleep', () => sleep(false)],
    [0.07, 'sleep+writes', () => sleep(true)],
    [0.08, 'undo', undo],
    [0.05, 'search', search],
  ];
  const totalWeight = operations.reduce((sum, [weight]) => sum + weight, 0);

  const verify = async (afterSleep: boolean) => {
    const now = clock.now();
    for (const userId of users) {
      const { results } = await memory.getAll({ userId });
      const got = new Map(results.map((item) => [item.id, item.memory]));
      const expected = memories.filter((m) => m.userId === userId && visible(m, now));
      const wrong = expected.filter((m) => got.get(m.id) !== m.text).map((m) => `${short(m.id)} should read "${m.text}" but ${got.has(m.id) ? `reads "${got.get(m.id)}"` : 'is missing'}`);
      const extra = results.filter((item) => !expected.some((m) => m.id === item.id)).map((item) => `${short(item.id)} "${item.memory}" should not be there`);
      if (wrong.length > 0 || extra.length > 0) broken('lostOrChanged', `getAll of ${userId}: ${[...wrong, ...extra].join('; ')}`);
      for (const problem of await factProblems(memory, userId, expected)) {
        stats.factsSeen++;
        if (problem) broken('facts', problem);
      }
    }

    for (const m of memories) {
      const actions = (await memory.history(m.id)).map((item) => item.action);
      if (actions.join() === m.events.join()) {
        if (mustForget.includes(m)) broken('notForgotten', `${short(m.id)} of ${m.userId} expired before a sleep that finished, but it was not tombstoned (history [${actions}])`);
        continue;
      }
      const forgotten = afterSleep && !m.deleted && expired(m, now) && actions.join() === [...m.events, 'DELETE'].join();
      if (!forgotten)
        broken(
          'history',
          `history of ${short(m.id)} (${m.userId}${m.expiresAt !== undefined ? `, expires ${((m.expiresAt - now) / HOUR).toFixed(1)} h from now` : ''}) is [${actions}], expected [${m.events}]`,
        );
      m.deleted = true;
      m.events.push('DELETE');
      stats.expiriesTombstoned++;
    }
    mustForget = [];

    const journal = await memory.sleepRuns();
    const statuses = new Map(journal.map((entry) => [entry.runId, entry.status]));
    for (const [runId, status] of runs) {
      if (statuses.get(runId) !== status) broken('journal', `run ${short(runId)} is ${statuses.get(runId) ?? 'missing'} in the journal, expected ${status}`);
    }
    const running = journal.find((entry) => entry.status === 'running');
    if (running) broken('journal', `run ${short(running.runId)} is still running in the journal after its sleep returned`);
    const doneLinks = new Map<string, string>();
    for (const [runId, status] of runs) {
      if (!runLinks.has(runId)) {
        const links = linkKeysOf(await journaledActions(memory.store, runId));
        runLinks.set(runId, links);
        stats.linksMade += links.length;
      }
      if (status === 'done') for (const key of runLinks.get(runId)!) doneLinks.set(key, runId);
    }

    const present = new Set<string>();
    for (const m of memories) {
      for (const edge of await memory.store.edges(m.id)) {
        if (edge.type !== 'supersedes') continue;
        const key = `${edge.from}>${edge.to}`;
        if (present.has(key)) continue;
        present.add(key);
        const [from, to] = [byId.get(edge.from), byId.get(edge.to)];
        if (!from || !to) broken('foreignLink', `a supersedes link ${key} ends at a memory no user stored`);
        else if (from.userId !== to.userId) broken('foreignLink', `a supersedes link joins ${from.userId}'s ${short(from.id)} "${from.text}" to ${to.userId}'s ${short(to.id)} "${to.text}"`);
        if (!doneLinks.has(key)) {
          const undone = [...runLinks].filter(([runId, links]) => runs.get(runId) === 'undone' && links.includes(key)).map(([runId]) => short(runId));
          broken('unjournaledLink', `supersedes link ${short(edge.from)}>${short(edge.to)} is there but ${undone.length > 0 ? `its runs (${undone.join(', ')}) were undone` : 'no run journaled it'}`);
        }
      }
    }
    for (const [key, runId] of doneLinks) {
      if (present.has(key)) continue;
      const [from, to] = key.split('>').map(short);
      const undone = [...runLinks].filter(([other, links]) => other !== runId && runs.get(other) === 'undone' && links.includes(key)).map(([other]) => short(other));
      broken(
        'doneLinkMissing',
        `the link ${from}>${to} of run ${short(runId)}, which is done, is gone${undone.length > 0 ? ` (run ${undone.join(', ')} journaled the same link and was undone)` : ''}`,
      );
    }
  };

  const count = settings.minOps + Math.floor(random() * (settings.maxOps - settings.minOps + 1));
  let step = 0;
  try {
    for (step = 0; step < count; step++) {
      let roll = random() * totalWeight;
      const [, name, operation] = operations.find(([weight]) => (roll -= weight) < 0) ?? operations[0]!;
      await operation();
      stats.ops++;
      await verify(name.startsWith('sleep') || (name === 'undo' && log.at(-1)!.startsWith('sleep')));
    }
    return undefined;
  } catch (error) {
    const { kind, message } =
      error instanceof Broken ? error : { kind: 'error' as const, message: `threw ${isNeuroMemError(error) ? `${error.code}: ${error.message}` : String((error as Error)?.stack ?? error)}` };
    return { kind, message: `op ${step}: ${message}; ops: ${log.map((entry, i) => `${i}. ${entry}`).join(' | ')}` };
  }
}

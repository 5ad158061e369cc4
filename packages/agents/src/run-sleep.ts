import { randomUUID } from 'node:crypto';
import {
  createErrorFactory,
  systemClock,
  validateId,
  type AgentContext,
  type AgentReport,
  type Clock,
  type Embedder,
  type Foreground,
  type MemoryAgent,
  type MemoryStore,
  type Scale,
} from '@neuromem/core';
import { createSleepJournal, LEASE_MS, SLEEP_OWNER, summarizeReports, type SleepJournal, type SleepRunEntry } from './sleep-journal';
import { undoSteps } from './undo-steps';
import { usersToVisit, usersVisited } from './users-to-visit';

const fail = createErrorFactory('agents');

/** The share of a sleep's budget the users' agents leave to the store-wide ones. */
export const STORE_WIDE_SHARE = 0.2;

/** The longest budget a sleep accepts: a day. */
export const MAX_SLEEP_BUDGET_MS = 86_400_000;

export interface SleepOptions {
  store: MemoryStore;
  /** How long the sleep may take, in ms (> 0); agents stop at the end of the step they are in. */
  budgetMs: number;
  /** The agents, run in order for each user. */
  agents: readonly MemoryAgent[];
  /** Embeds as the store's vectors were made (agents that write memories need it). */
  embedder?: Embedder;
  /** The searched scale (default `turn`). */
  scale?: Scale;
  clock?: Clock;
  /**
   * This process alone writes the store (the embedded SQLite store holds a process lock), so a run
   * still marked running is one that crashed, however recent its heartbeat.
   */
  soleWriter?: boolean;
  /** Only this user. Default: every user with memories written since the last sleep, then the rest in turn. */
  userId?: string;
  /** Runs an agent's write while the owner's own writes wait (default: runs it directly). */
  exclusive?: <T>(write: () => Promise<T>) => Promise<T>;
  signal?: AbortSignal;
  /** The memory's searches, for the pre-loading agent (see `Foreground`). */
  foreground?: Foreground;
  onProgress?: (progress: SleepProgress) => void;
}

export interface SleepProgress {
  userId: string;
  agent: string;
  /** Users finished so far, of `users`. */
  done: number;
  users: number;
}

export interface SleepReport {
  runId: string;
  startedAt: number;
  durationMs: number;
  /** Users visited. */
  users: number;
  /** False when the budget (or an abort) ended the sleep before every agent saw every user. */
  done: boolean;
  reports: Array<AgentReport & { userId: string }>;
  /** Runs that had crashed (no heartbeat for `LEASE_MS`) and were rolled back before this one began. */
  rolledBack: string[];
}

/**
 * One sleep: rolls back any run that crashed, then runs each agent for each user within the budget,
 * journaling every action before it is made (`SleepJournal`), so `undoSleep(runId)` can reverse it.
 * A second sleep while one runs gets `LOCKED`.
 */
export async function runSleep(options: SleepOptions): Promise<SleepReport> {
  const budgetMs = validateBudget(options.budgetMs);
  const userId = options.userId === undefined ? undefined : validateId(options.userId, 'agents', 'userId');
  const { store, agents } = options;
  if (!Array.isArray(agents) || agents.some((agent) => agent?.specVersion !== 'neuromem.agent/v1')) {
    throw fail('INVALID_INPUT', 'agents must be an array of MemoryAgent objects (specVersion "neuromem.agent/v1").', { details: { field: 'agents' } });
  }
  const clock = options.clock ?? systemClock;
  const scale = options.scale ?? 'turn';
  const exclusive = options.exclusive ?? (<T>(write: () => Promise<T>) => write());
  const journal = createSleepJournal(store);
  const startedAt = clock.now();
  const deadline = startedAt + budgetMs;

  if (sleeping.has(store)) throw fail('LOCKED', 'a sleep is already running on this store in this process; wait for it to finish.');
  sleeping.add(store);
  try {
    return await sleepOnce(options, { userId, clock, scale, exclusive, journal, startedAt, deadline });
  } finally {
    sleeping.delete(store);
  }
}

/** Stores with a sleep running in this process. */
const sleeping = new WeakSet<MemoryStore>();

interface SleepSettings {
  userId: string | undefined;
  clock: Clock;
  scale: Scale;
  exclusive: <T>(write: () => Promise<T>) => Promise<T>;
  journal: SleepJournal;
  startedAt: number;
  deadline: number;
}

async function sleepOnce(options: SleepOptions, { userId, clock, scale, exclusive, journal, startedAt, deadline }: SleepSettings): Promise<SleepReport> {
  const { store, agents } = options;
  const rolledBack = await recoverCrashedRuns(journal, store, { now: startedAt, scale, soleWriter: options.soleWriter ?? false, ...(options.embedder ? { embedder: options.embedder } : {}) });
  const entry: SleepRunEntry = { runId: randomUUID(), status: 'running', startedAt, heartbeatAt: startedAt, finishedAt: null, reports: [] };
  const reports: Array<AgentReport & { userId: string }> = [];
  await journal.claimRun(entry);

  let done = true;
  const users = userId !== undefined ? [userId] : await usersToVisit(store);
  const perUser = agents.filter((agent) => agent.reach !== 'store');
  const storeWide = agents.filter((agent) => agent.reach === 'store');
  // Users first, but never all of the budget: a store with many users still gets its maintenance.
  const usersDeadline = storeWide.length > 0 ? startedAt + (deadline - startedAt) * (1 - STORE_WIDE_SHARE) : deadline;
  const contextFor = (owner: string, agent: string, until: number): AgentContext => ({
    store,
    clock,
    userId: owner,
    scale,
    journal: { record: (actions) => (actions.length === 0 ? Promise.resolve() : journal.appendStep(entry.runId, { agent, userId: owner, actions: [...actions] })) },
    exclusive,
    deadline: until,
    ...(options.embedder ? { embedder: options.embedder } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.foreground ? { foreground: options.foreground } : {}),
  });
  try {
    const visited: string[] = [];
    for (const [index, owner] of users.entries()) {
      let finished = true;
      for (const agent of perUser) {
        if (stopped(options.signal, usersDeadline, clock)) {
          done = false;
          finished = false;
          break;
        }
        options.onProgress?.({ userId: owner, agent: agent.name, done: index, users: users.length });
        const report = await agent.run(contextFor(owner, agent.name, usersDeadline));
        reports.push({ ...report, userId: owner });
        if (!report.done) {
          done = false;
          finished = false;
        }
        if (clock.now() - entry.heartbeatAt > LEASE_MS / 4) {
          entry.heartbeatAt = clock.now();
          entry.reports = summarizeReports(reports);
          await journal.saveRun(entry);
        }
      }
      if (finished) visited.push(owner);
      if (!done) break;
    }
    // The users it did not reach come first next time (see `usersToVisit`).
    await usersVisited(store, visited);
    // Maintenance after the users, in the rest of the budget (at least `STORE_WIDE_SHARE` of it).
    for (const agent of storeWide) {
      if (stopped(options.signal, deadline, clock)) {
        done = false;
        break;
      }
      options.onProgress?.({ userId: SLEEP_OWNER, agent: agent.name, done: users.length, users: users.length });
      const report = await agent.run(contextFor(SLEEP_OWNER, agent.name, deadline));
      reports.push({ ...report, userId: SLEEP_OWNER });
      if (!report.done) done = false;
    }
  } catch (error) {
    // A failed agent leaves its run `running`: the next sleep rolls it back (nothing half-done stays).
    entry.heartbeatAt = 0;
    entry.reports = summarizeReports(reports);
    await journal.saveRun(entry).catch(() => undefined);
    throw error;
  }
  entry.status = 'done';
  entry.reports = summarizeReports(reports);
  entry.finishedAt = clock.now();
  entry.heartbeatAt = entry.finishedAt;
  await journal.saveRun(entry);
  options.onProgress?.({ userId: users.at(-1) ?? '', agent: '', done: users.length, users: users.length });
  return { runId: entry.runId, startedAt, durationMs: entry.finishedAt - startedAt, users: users.length, done, reports, rolledBack };
}

/** Reverses everything a finished run did; `NOT_FOUND` for a run the journal does not hold. */
export async function undoSleep(store: MemoryStore, runId: string, options: { embedder?: Embedder; scale?: Scale; clock?: Clock } = {}): Promise<{ runId: string; undone: number; kept: number }> {
  const id = validateId(runId, 'agents', 'runId');
  const journal = createSleepJournal(store);
  const entry = await journal.run(id);
  if (!entry) throw fail('NOT_FOUND', `no sleep run ${id} in the journal (it never ran, or it is older than the last ${50} runs).`, { details: { runId: id } });
  if (entry.status === 'running') throw fail('LOCKED', `sleep run ${id} is still running; undo it once it has finished.`, { details: { runId: id } });
  if (entry.status !== 'done') return { runId: id, undone: 0, kept: 0 };
  const counts = await undoSteps(store, await journal.steps(id), { scale: options.scale ?? 'turn', ...(options.embedder ? { embedder: options.embedder } : {}) });
  await journal.saveRun({ ...entry, status: 'undone', finishedAt: (options.clock ?? systemClock).now() });
  return { runId: id, ...counts };
}

/**
 * Rolls back every run a crash left `running` (see `runSleep`); `LOCKED` when one is alive in
 * another process. Safe to call on open: it reads one small document when nothing crashed.
 */
export async function recoverSleep(store: MemoryStore, options: { embedder?: Embedder; scale?: Scale; clock?: Clock; soleWriter?: boolean } = {}): Promise<string[]> {
  return recoverCrashedRuns(createSleepJournal(store), store, {
    now: (options.clock ?? systemClock).now(),
    scale: options.scale ?? 'turn',
    soleWriter: options.soleWriter ?? false,
    ...(options.embedder ? { embedder: options.embedder } : {}),
  });
}

async function recoverCrashedRuns(journal: SleepJournal, store: MemoryStore, options: { now: number; scale: Scale; soleWriter: boolean; embedder?: Embedder }): Promise<string[]> {
  const rolledBack: string[] = [];
  for (const entry of await journal.runs()) {
    if (entry.status !== 'running') continue;
    if (!options.soleWriter && options.now - entry.heartbeatAt < LEASE_MS) {
      throw fail('LOCKED', `another sleep (run ${entry.runId}) is running on this store; wait for it to finish.`, { details: { runId: entry.runId } });
    }
    await undoSteps(store, await journal.steps(entry.runId), options);
    await journal.saveRun({ ...entry, status: 'rolled-back', finishedAt: options.now });
    rolledBack.push(entry.runId);
  }
  return rolledBack;
}

function stopped(signal: AbortSignal | undefined, deadline: number, clock: Clock): boolean {
  return signal?.aborted === true || clock.now() >= deadline;
}

function validateBudget(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_SLEEP_BUDGET_MS) {
    throw fail('INVALID_INPUT', `budgetMs must be a number of milliseconds above 0 and at most ${MAX_SLEEP_BUDGET_MS}, got ${JSON.stringify(value) ?? String(value)}.`, {
      details: { field: 'budgetMs' },
    });
  }
  return value;
}

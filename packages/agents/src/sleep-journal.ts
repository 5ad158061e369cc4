import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { createErrorFactory, requireCapability, supports, type AgentAction, type AgentReport, type JsonValue, type MemoryStore, type StoreWith } from '@neuromem/core';

const fail = createErrorFactory('agents');

/**
 * The user-state owner the journal is kept under. No memory belongs to it: the store's per-user
 * documents are the one place every conforming store with `userState` can keep a small log.
 */
export const SLEEP_OWNER = 'neuromem:sleep';
const RUNS_KEY = 'runs';
const stepKey = (runId: string, step: number) => `run:${runId}:${step}`;

/** Runs kept in the journal (older ones, and their steps, are dropped and can no longer be undone). */
export const KEPT_RUNS = 50;

/**
 * A sleep run's entry: `running` while it works (and, after a crash, until the next sleep rolls it
 * back), then `done`, `undone` or `rolled-back`.
 */
export interface SleepRunEntry {
  runId: string;
  status: 'running' | 'done' | 'undone' | 'rolled-back';
  startedAt: number;
  /** The last time the run showed it was alive (a run silent for `LEASE_MS` has crashed). */
  heartbeatAt: number;
  finishedAt: number | null;
  /**
   * What each agent did, summed over the users it ran for (filled in as agents finish). Per-user
   * reports are in the `SleepReport` the sleep returns, not here: the entry must stay small whatever
   * the number of users.
   */
  reports: AgentSummary[];
}

/** One agent's reports in a run, summed over users. */
export interface AgentSummary {
  agent: string;
  actions: Record<string, number>;
  durationMs: number;
  /** Users it ran for (1 for a store-wide agent). */
  users: number;
  /** False when any of its runs stopped before the end. */
  done: boolean;
}

/** Per-user reports summed per agent, in the order the agents first ran. */
export function summarizeReports(reports: readonly AgentReport[]): AgentSummary[] {
  const byAgent = new Map<string, AgentSummary>();
  for (const report of reports) {
    const summary = byAgent.get(report.agent) ?? { agent: report.agent, actions: {}, durationMs: 0, users: 0, done: true };
    for (const [action, count] of Object.entries(report.actions)) summary.actions[action] = (summary.actions[action] ?? 0) + count;
    summary.durationMs += report.durationMs;
    summary.users += 1;
    summary.done &&= report.done;
    byAgent.set(report.agent, summary);
  }
  return [...byAgent.values()];
}

/** One recorded step: the actions an agent announced for one user, before making them. */
export interface SleepStep {
  agent: string;
  userId: string;
  actions: AgentAction[];
}

/**
 * Steps whose actions take more JSON than this are kept deflated (base64 in `packed`): a sleep that
 * re-tiers a user's memories journals one id per memory, 36 characters of hex each, which deflate
 * to about a third. Smaller steps stay readable as they are.
 */
const PACK_FROM_CHARS = 1_024;

/** A run silent this long is taken for crashed: the next sleep rolls it back. */
export const LEASE_MS = 60_000;

export interface SleepJournal {
  runs(): Promise<SleepRunEntry[]>;
  run(runId: string): Promise<SleepRunEntry | null>;
  /** Adds or replaces the run's entry (keeping the newest `KEPT_RUNS`). */
  saveRun(entry: SleepRunEntry): Promise<void>;
  /**
   * Adds a new run's entry only while no other run is running: `LOCKED` otherwise. Atomic between
   * processes on a store that can swap user state (`userStateSwap`): of two sleeps starting at the
   * same moment, one gets `LOCKED`.
   */
  claimRun(entry: SleepRunEntry): Promise<void>;
  /** Appends a step to the run; durable when the promise resolves. */
  appendStep(runId: string, step: SleepStep): Promise<void>;
  /** The run's steps in the order they were recorded. */
  steps(runId: string): Promise<SleepStep[]>;
}

/** The journal of sleep runs, kept in the store's user state (capability `userState`). */
export function createSleepJournal(store: MemoryStore): SleepJournal {
  requireCapability(store, 'userState');
  const state = store as StoreWith<'userState'>;
  const stepCounts = new Map<string, number>();

  const runs = async (): Promise<SleepRunEntry[]> => runList(await state.readUserState(SLEEP_OWNER, RUNS_KEY));

  /** The journal's run list as stored (null: none yet); `STORAGE` when it is not one. */
  function runList(value: JsonValue | null): SleepRunEntry[] {
    if (value === null) return [];
    if (!isRunList(value))
      throw fail('STORAGE', `the sleep journal (user state "${RUNS_KEY}" of ${SLEEP_OWNER}) is damaged; remove it with writeUserState to start a new one.`, { details: { journal: 'damaged' } });
    return value as unknown as SleepRunEntry[];
  }

  async function steps(runId: string): Promise<SleepStep[]> {
    const found: SleepStep[] = [];
    // Steps are numbered from 0 with no gaps: the first missing one ends the run's log.
    for (let step = 0; ; step++) {
      const value = await state.readUserState(SLEEP_OWNER, stepKey(runId, step));
      if (value === null) return found;
      const unpacked = unpackStep(value);
      if (!unpacked)
        throw fail(
          'STORAGE',
          `the sleep journal's step ${step} of run ${runId} is damaged; the run cannot be undone or rolled back. Remove the run's entry from the journal (user state "${RUNS_KEY}" of ${SLEEP_OWNER}) to go on.`,
          { details: { runId, step, journal: 'damaged' } },
        );
      found.push(unpacked);
    }
  }

  async function dropSteps(dropped: readonly SleepRunEntry[]): Promise<void> {
    for (const old of dropped) {
      const count = (await steps(old.runId)).length;
      for (let step = 0; step < count; step++) await state.writeUserState(SLEEP_OWNER, stepKey(old.runId, step), null);
    }
  }

  return {
    runs,
    steps,
    async run(runId) {
      return (await runs()).find((entry) => entry.runId === runId) ?? null;
    },
    async saveRun(entry) {
      const { list, dropped } = withEntry(await runs(), entry);
      await state.writeUserState(SLEEP_OWNER, RUNS_KEY, list as unknown as JsonValue);
      await dropSteps(dropped);
    },
    async claimRun(entry) {
      // Read once: the swap below writes only if the list is still exactly what was read.
      const before = await state.readUserState(SLEEP_OWNER, RUNS_KEY);
      const current = runList(before);
      const other = current.find((run) => run.status === 'running' && run.runId !== entry.runId);
      if (other) throw fail('LOCKED', `another sleep (run ${other.runId}) is running on this store; wait for it to finish.`, { details: { runId: other.runId } });
      const { list, dropped } = withEntry(current, entry);
      if (supports(store, 'userStateSwap')) {
        const claimed = await store.swapUserState(SLEEP_OWNER, RUNS_KEY, before, list as unknown as JsonValue);
        if (!claimed) throw fail('LOCKED', 'another sleep started on this store at the same moment; wait for it to finish.');
      } else {
        await state.writeUserState(SLEEP_OWNER, RUNS_KEY, list as unknown as JsonValue);
      }
      await dropSteps(dropped);
    },
    async appendStep(runId, step) {
      let next = stepCounts.get(runId);
      if (next === undefined) next = (await steps(runId)).length;
      await state.writeUserState(SLEEP_OWNER, stepKey(runId, next), packStep(step));
      stepCounts.set(runId, next + 1);
    },
  };
}

/** The list with `entry` added or replaced, oldest first, and the runs beyond `KEPT_RUNS` it drops. */
function withEntry(runs: readonly SleepRunEntry[], entry: SleepRunEntry): { list: SleepRunEntry[]; dropped: SleepRunEntry[] } {
  const list = runs.filter((other) => other.runId !== entry.runId);
  list.push(entry);
  list.sort((a, b) => a.startedAt - b.startedAt);
  return { list, dropped: list.splice(0, Math.max(0, list.length - KEPT_RUNS)) };
}

/** A step as stored: its actions as they are, or deflated when they are long. */
function packStep(step: SleepStep): JsonValue {
  const actions = JSON.stringify(step.actions);
  if (actions.length < PACK_FROM_CHARS) return step as unknown as JsonValue;
  return { agent: step.agent, userId: step.userId, packed: deflateRawSync(actions).toString('base64') };
}

/** A stored step read back (either form); undefined when it is damaged. */
function unpackStep(value: JsonValue): SleepStep | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || typeof value.agent !== 'string' || typeof value.userId !== 'string') return undefined;
  if (Array.isArray(value.actions)) return value as unknown as SleepStep;
  if (typeof value.packed !== 'string') return undefined;
  try {
    const actions: unknown = JSON.parse(inflateRawSync(Buffer.from(value.packed, 'base64')).toString('utf8'));
    return Array.isArray(actions) ? { agent: value.agent, userId: value.userId, actions: actions as AgentAction[] } : undefined;
  } catch {
    return undefined;
  }
}

function isRunList(value: JsonValue): boolean {
  return Array.isArray(value) && value.every((entry) => typeof entry === 'object' && entry !== null && !Array.isArray(entry) && typeof entry.runId === 'string' && typeof entry.status === 'string');
}

import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PRELOADING_STATE, SLEEP_OWNER, type PreloadingAgentOptions } from '@neuromem/agents';
import { createManualClock } from '@neuromem/core';
import { createRandom } from '@neuromem/core/testing';
import { createMemory } from 'neuromem';
import { percentile } from '../metrics/retrieval-metrics';
import { createScaleWorkload } from '../scale/scale-workload';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The simulated days start here (a Monday, midnight UTC). */
const T0 = Date.UTC(2026, 0, 5);

export interface PreloadBenchOptions {
  /** Memories stored before the simulation. */
  memories: number;
  users: number;
  /** Simulated days; the first is for learning only, the rest are scored. */
  days: number;
  seed: number;
  onPhase?: (phase: string) => void;
}

/** The systems compared: no pre-loading, a fixed recency baseline, and the self-tuning agent. */
export const PRELOAD_SYSTEMS: ReadonlyArray<{ name: string; preloading: false | PreloadingAgentOptions }> = [
  { name: 'none', preloading: false },
  { name: 'recency, fixed', preloading: { start: { users: 8, recencyWeight: 1 }, tune: false } },
  { name: 'learned (self-tuning)', preloading: {} },
];

export interface PreloadSystemResult {
  system: string;
  /** The first search of each user in an hour: what pre-loading is for. */
  firstSearch: Latency;
  /** The user's second search in the same hour: the warm reference. */
  secondSearch: Latency;
  /** Share of first searches whose user the last sleep had pre-loaded (from the agent's own record). */
  userHitRate: number | null;
  /** Share of those searches' results among the memories it pre-loaded. */
  memoryHitRate: number | null;
  /** Users pre-loaded per sleep, on average. */
  preloadedPerSleep: number | null;
  /** The agent's parameters at the end. */
  finalParams: { users: number; recencyWeight: number } | null;
}

interface Latency {
  p50: number;
  p95: number;
  count: number;
}

export interface PreloadBenchReport {
  memories: number;
  users: number;
  days: number;
  scoredFirstSearches: number;
  systems: PreloadSystemResult[];
}

/**
 * Module 5's pre-loading, measured: `users` users, each with one or two habitual hours of the day,
 * search a store of `memories` turns over `days` simulated days. Every simulated hour the memory is
 * in which someone searches, the memory is opened afresh (its caches cold, as after a restart or eviction), sleeps (pre-loading for the hour
 * to come), answers that hour's searches, sleeps again (learning from them) and closes. The same
 * searches run for every system; latency is wall time on this machine.
 */
export async function runPreloadBench(options: PreloadBenchOptions): Promise<PreloadBenchReport> {
  const root = mkdtempSync(join(tmpdir(), 'neuromem-preload-bench-'));
  try {
    const workload = createScaleWorkload({ seed: options.seed, users: options.users, sessionTurns: 20 });
    const built = join(root, 'built');
    options.onPhase?.('storing');
    const writer = await createMemory({ path: built, durability: 'normal', clock: createManualClock(T0 - DAY, { tick: 1 }) });
    for (let stored = 0; stored < options.memories; ) {
      const session = workload.nextSession(options.memories - stored);
      await writer.add(
        session.turns.map((turn) => ({ role: 'user', content: turn.content })),
        { userId: session.userId, runId: session.runId },
      );
      stored += session.turns.length;
    }
    await writer.close();
    const schedule = searchSchedule(
      options,
      workload.queries(options.days * 24 * options.users * 2).map((query) => query.text),
    );

    const systems: PreloadSystemResult[] = [];
    for (const system of PRELOAD_SYSTEMS) {
      options.onPhase?.(`simulating ${options.days} days: ${system.name}`);
      const path = join(root, `system-${systems.length}`);
      cpSync(built, path, { recursive: true });
      systems.push(await simulate(path, system, schedule, options));
    }
    return { memories: options.memories, users: options.users, days: options.days, scoredFirstSearches: systems[0]!.firstSearch.count, systems };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

interface HourOfSearches {
  at: number;
  /** Each searching user's two queries. */
  searches: Array<{ userId: string; queries: [string, string] }>;
}

/** Who searches when: each user has a habitual hour (and half of them a second), and rarely searches at others. */
function searchSchedule(options: PreloadBenchOptions, texts: string[]): HourOfSearches[] {
  const random = createRandom(options.seed * 31 + 5);
  const habits = Array.from({ length: options.users }, () => {
    const hours = new Set([Math.floor(random() * 24)]);
    if (random() < 0.5) hours.add(Math.floor(random() * 24));
    return hours;
  });
  let next = 0;
  const text = () => texts[next++ % texts.length]!;
  const hours: HourOfSearches[] = [];
  for (let hour = 0; hour < options.days * 24; hour++) {
    const searches = habits.flatMap((habit, user) => (random() < (habit.has(hour % 24) ? 0.85 : 0.02) ? [{ userId: `user-${user}`, queries: [text(), text()] as [string, string] }] : []));
    // An hour nobody searches in needs no pre-loading: the next busy hour's open does it.
    if (searches.length > 0) hours.push({ at: T0 + hour * HOUR, searches });
  }
  return hours;
}

async function simulate(path: string, system: (typeof PRELOAD_SYSTEMS)[number], schedule: HourOfSearches[], options: PreloadBenchOptions): Promise<PreloadSystemResult> {
  const first: number[] = [];
  const second: number[] = [];
  const scoredFrom = T0 + DAY;
  let record: unknown = null;
  for (const hour of schedule) {
    const clock = createManualClock(hour.at, { tick: 1 });
    const memory = await createMemory({ path, clock, trackAccess: false, preloading: system.preloading });
    try {
      if (system.preloading !== false) await memory.sleep({ budgetMs: 60_000 });
      for (const { userId, queries } of hour.searches) {
        clock.advance(60_000);
        const times = [];
        for (const query of queries) {
          const started = performance.now();
          await memory.search(query, { userId, topK: 10 });
          times.push(performance.now() - started);
        }
        if (hour.at >= scoredFrom) {
          first.push(times[0]!);
          second.push(times[1]!);
        }
      }
      if (system.preloading !== false) {
        clock.set(hour.at + HOUR - 1);
        await memory.sleep({ budgetMs: 60_000 });
        record = await memory.store.readUserState?.(SLEEP_OWNER, PRELOADING_STATE);
      }
    } finally {
      await memory.close();
    }
  }
  return { system: system.name, firstSearch: latency(first), secondSearch: latency(second), ...agentRecord(record, scoredFrom) };
}

/** Hit rates over the scored days, from the outcomes the agent recorded about itself. */
function agentRecord(state: unknown, scoredFrom: number): Pick<PreloadSystemResult, 'userHitRate' | 'memoryHitRate' | 'preloadedPerSleep' | 'finalParams'> {
  const saved = state as {
    outcomes?: Array<{ at: number; searchers: number; usersReady: number; results: number; resultsReady: number; preloaded: number }>;
    params?: { users: number; recencyWeight: number };
  } | null;
  const outcomes = (saved?.outcomes ?? []).filter((outcome) => outcome.at >= scoredFrom);
  if (!saved || outcomes.length === 0) return { userHitRate: null, memoryHitRate: null, preloadedPerSleep: null, finalParams: null };
  const sum = (field: 'searchers' | 'usersReady' | 'results' | 'resultsReady' | 'preloaded') => outcomes.reduce((total, outcome) => total + outcome[field], 0);
  return {
    userHitRate: round(sum('usersReady') / Math.max(1, sum('searchers'))),
    memoryHitRate: round(sum('resultsReady') / Math.max(1, sum('results'))),
    preloadedPerSleep: round(sum('preloaded') / outcomes.length),
    finalParams: saved.params ?? null,
  };
}

const latency = (samples: number[]): Latency => ({ p50: round(percentile(samples, 50)), p95: round(percentile(samples, 95)), count: samples.length });
const round = (value: number) => Math.round(value * 1000) / 1000;

export function formatPreloadBench(report: PreloadBenchReport): string {
  const rate = (value: number | null) => (value === null ? 'n/a' : `${(value * 100).toFixed(1)} %`);
  return [
    `${report.memories} memories of ${report.users} users, ${report.days} simulated days (the first for learning), ${report.scoredFirstSearches} scored first searches`,
    '| system | first search p50 / p95 (ms) | second search p50 / p95 (ms) | users ready | results pre-loaded | users pre-loaded per sleep | final (users, recency weight) |',
    '|---|---|---|---|---|---|---|',
    ...report.systems.map(
      (s) =>
        `| ${s.system} | ${s.firstSearch.p50.toFixed(2)} / ${s.firstSearch.p95.toFixed(2)} | ${s.secondSearch.p50.toFixed(2)} / ${s.secondSearch.p95.toFixed(2)} | ${rate(s.userHitRate)} | ${rate(s.memoryHitRate)} | ${s.preloadedPerSleep ?? 'n/a'} | ${s.finalParams ? `${s.finalParams.users}, ${s.finalParams.recencyWeight}` : 'n/a'} |`,
    ),
  ].join('\n');
}

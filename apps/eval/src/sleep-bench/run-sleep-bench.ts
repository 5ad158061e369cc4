import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemory, type Memory } from 'neuromem';
import { percentile } from '../metrics/retrieval-metrics';
import { createScaleWorkload, type ScaleQuery } from '../scale/scale-workload';
import { diskUsage } from '../scale/scale-measures';

export interface SleepBenchOptions {
  /** Memories stored before the sleep. */
  memories: number;
  /** Users they belong to. */
  users: number;
  /** Timed searches per phase. */
  queries: number;
  seed: number;
  /** A storage budget for both sleeps (`sleep({ warmShare })`): the forgetting agent's share of memories with vectors. */
  warmShare?: number;
  onPhase?: (phase: string) => void;
}

export interface SleepBenchReport {
  memories: number;
  users: number;
  /** The sleep alone: memories it read (and compared) per second of wall time. */
  sleep: { durationMs: number; memoriesRead: number; memoriesPerSecond: number; linked: number; facts: number; expired: number; demoted: number; agentMs: Record<string, number> };
  warmShare: number | null;
  /** Scoped search latency with nothing else running, and while a background sleep runs in the same process. */
  search: { idle: Latency; idleAfter: Latency; duringSleep: Latency; p95Increase: number };
  /** Bytes on disk before and after the sleep (its links and journal). */
  bytes: { before: number; after: number };
}

interface Latency {
  p50: number;
  p95: number;
  count: number;
}

/**
 * Module 5's cost: a store of `memories` turns over `users` users (the scale workload's chat turns) is
 * copied twice. On one copy the sleep runs alone, for its throughput. On the other, searches run
 * idle, then again while the same sleep runs in the background of the same process, for the rise
 * in foreground p95 (the target: at most 20 %).
 */
export async function runSleepBench(options: SleepBenchOptions): Promise<SleepBenchReport> {
  const root = mkdtempSync(join(tmpdir(), 'neuromem-sleep-bench-'));
  try {
    const workload = createScaleWorkload({ seed: options.seed, users: options.users, sessionTurns: 20 });
    const built = join(root, 'built');
    options.onPhase?.('storing');
    const memory = await createMemory({ path: built, durability: 'normal' });
    for (let stored = 0; stored < options.memories; ) {
      const session = workload.nextSession(options.memories - stored);
      await memory.add(
        session.turns.map((turn) => ({ role: 'user', content: turn.content, timestamp: turn.timestamp })),
        { userId: session.userId, runId: session.runId },
      );
      stored += session.turns.length;
    }
    await memory.close();
    const queries = workload.queries(options.queries);
    const warmup = workload.queries(20, 'warmup');

    options.onPhase?.('sleeping alone');
    const alone = join(root, 'alone');
    cpSync(built, alone, { recursive: true });
    const before = diskUsage(alone).bytes;
    const sleeper = await createMemory({ path: alone });
    const budget = { budgetMs: 3_600_000, ...(options.warmShare !== undefined ? { warmShare: options.warmShare } : {}) };
    const report = await sleeper.sleep(budget);
    await sleeper.close();
    const after = diskUsage(alone).bytes;
    const sum = (agent: string, action: string) => report.reports.filter((r) => r.agent === agent).reduce((total, r) => total + (r.actions[action] ?? 0), 0);
    const memoriesRead = sum('consolidation', 'read');

    options.onPhase?.('searching idle and during a sleep');
    const shared = join(root, 'shared');
    cpSync(built, shared, { recursive: true });
    const foreground = await createMemory({ path: shared, trackAccess: false });
    await timedSearches(foreground, warmup);
    const idle = await timedSearches(foreground, queries);
    const sleeping = foreground.sleep(budget);
    let finished = false;
    void sleeping.finally(() => (finished = true));
    const during: number[] = [];
    // Searches keep coming until the sleep is over (at least one round of the queries).
    for (let round = 0; !finished || round === 0; round++) during.push(...(await timedSearches(foreground, queries, () => finished)).samples);
    await sleeping;
    // Idle again once the sleep is over, with caches as warm as during it: the fair baseline.
    const idleAfter = await timedSearches(foreground, queries);
    await foreground.close();
    const latency = (samples: number[]): Latency => ({ p50: round(percentile(samples, 50)), p95: round(percentile(samples, 95)), count: samples.length });
    const idleLatency = latency(idle.samples);
    const idleAfterLatency = latency(idleAfter.samples);
    const baseline = Math.min(idleLatency.p95, idleAfterLatency.p95);
    const duringLatency = latency(during);
    return {
      memories: options.memories,
      users: options.users,
      warmShare: options.warmShare ?? null,
      sleep: {
        durationMs: report.durationMs,
        memoriesRead,
        memoriesPerSecond: round(memoriesRead / Math.max(1e-3, report.durationMs / 1000)),
        linked: sum('consolidation', 'linked'),
        facts: sum('facts', 'written') + sum('facts', 'revised'),
        expired: sum('forgetting', 'expired'),
        demoted: sum('forgetting', 'demoted'),
        agentMs: report.reports.reduce<Record<string, number>>((ms, r) => ({ ...ms, [r.agent]: Math.round((ms[r.agent] ?? 0) + r.durationMs) }), {}),
      },
      search: { idle: idleLatency, idleAfter: idleAfterLatency, duringSleep: duringLatency, p95Increase: round(duringLatency.p95 / baseline - 1) },
      bytes: { before, after },
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

async function timedSearches(memory: Memory, queries: readonly ScaleQuery[], stop?: () => boolean): Promise<{ samples: number[] }> {
  const samples: number[] = [];
  for (const query of queries) {
    if (stop?.() && samples.length > 0) break;
    // Requests arrive as I/O events: between two of them the event loop turns (and a sleep runs).
    await new Promise((resolve) => setImmediate(resolve));
    const started = performance.now();
    await memory.search(query.text, { userId: query.userId, topK: 10 });
    samples.push(performance.now() - started);
  }
  return { samples };
}

const round = (value: number) => Math.round(value * 1000) / 1000;

export function formatSleepBench(report: SleepBenchReport): string {
  const { sleep, search, bytes } = report;
  return [
    `${report.memories} memories of ${report.users} users${report.warmShare === null ? '' : `, a storage budget of ${report.warmShare} warm`}`,
    '| measure | value |',
    '|---|---|',
    `| sleep (alone) | ${sleep.memoriesRead} memories read in ${sleep.durationMs} ms = ${sleep.memoriesPerSecond.toFixed(0)} memories/s; ${sleep.linked} supersedes links, ${sleep.facts} facts written, ${sleep.expired} expired${report.warmShare === null ? '' : `, ${sleep.demoted} turned cold`} |`,
    `| time per agent | ${Object.entries(sleep.agentMs)
      .map(([agent, ms]) => `${agent} ${ms} ms`)
      .join(', ')} |`,
    `| search idle p50 / p95 | ${search.idle.p50.toFixed(2)} / ${search.idle.p95.toFixed(2)} ms (${search.idle.count}) |`,
    `| search idle after the sleep p50 / p95 | ${search.idleAfter.p50.toFixed(2)} / ${search.idleAfter.p95.toFixed(2)} ms (${search.idleAfter.count}) |`,
    `| search during the sleep p50 / p95 | ${search.duringSleep.p50.toFixed(2)} / ${search.duringSleep.p95.toFixed(2)} ms (${search.duringSleep.count}) |`,
    `| foreground p95 rise (vs the faster idle round) | ${(search.p95Increase * 100).toFixed(1)} % |`,
    `| bytes on disk before / after | ${bytes.before} / ${bytes.after} |`,
  ].join('\n');
}

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createErrorFactory } from '@neuromem/core';
import { createMemory } from 'neuromem';
import { summarize } from '../bench/bench-measure';
import { createScaleWorkload, type ScaleQuery } from './scale-workload';

const fail = createErrorFactory('eval');

export interface ReopenOptions {
  /** A memory directory, e.g. one `scale --keep` left behind. */
  path: string;
  /** The workload's users and seed: searches go to users the store has (as `scale` named them). */
  users: number;
  seed: number;
  /** Searches after the open, each by a seeded random user; the first is the "first search". */
  searches: number;
  /** Drop the page cache first (Linux, root): the open reads from disk, as after a reboot. */
  dropCaches: boolean;
  /** `memory.prefetch()` each user before their first search (timed apart), as an app does when a session opens. Default false. */
  prefetch?: boolean;
}

export interface ReopenReport {
  path: string;
  cold: boolean;
  openMs: number;
  /** The first search's user and time. */
  firstSearch: { userId: string; ms: number };
  /** The later searches, in order (other users: each reads its own memories for the first time). */
  laterSearchesMs: number[];
  /** With `prefetch`: each user's prefetch, in order of their first search (not counted in the searches). */
  prefetchMs?: number[];
  /** What the store says it loaded and rebuilt when it opened. */
  openReport: unknown;
  memories: number;
}

/**
 * Opens an existing memory in this (fresh) process and times the open and the first searches: what
 * a user waits for after a restart. With `dropCaches`, the operating system's page cache is emptied
 * first, so nothing of the store is in memory.
 */
export async function runReopen(options: ReopenOptions): Promise<ReopenReport> {
  if (!existsSync(join(options.path, 'memory.db'))) throw fail('NOT_FOUND', `${options.path} holds no memory (no memory.db); make one with \`neuromem-eval scale --keep\`.`);
  if (options.dropCaches) dropPageCache();
  const queries = reopenQueries(options);

  let started = performance.now();
  const memory = await createMemory({ path: options.path });
  const openMs = performance.now() - started;
  try {
    const times: number[] = [];
    const prefetchMs: number[] = [];
    const prefetched = new Set<string>();
    for (const { userId, text } of queries) {
      if (options.prefetch && !prefetched.has(userId)) {
        prefetched.add(userId);
        started = performance.now();
        await memory.prefetch({ userId });
        prefetchMs.push(performance.now() - started);
      }
      started = performance.now();
      await memory.search(text, { userId, limit: 10 });
      times.push(performance.now() - started);
    }
    return {
      path: options.path,
      cold: options.dropCaches,
      openMs,
      firstSearch: { userId: queries[0]!.userId, ms: times[0]! },
      laterSearchesMs: times.slice(1),
      ...(options.prefetch ? { prefetchMs } : {}),
      openReport: structuredClone(memory.store.openReport),
      memories: await memory.store.count(),
    };
  } finally {
    await memory.close();
  }
}

/** The searches `runReopen` asks: seeded random users of the `scale` workload and their questions. */
export function reopenQueries({ seed, users, searches }: Pick<ReopenOptions, 'seed' | 'users' | 'searches'>): ScaleQuery[] {
  const workload = createScaleWorkload({ seed, users, sessionTurns: 1 });
  // The queries name users among the first `users`; one session each makes them all active.
  for (let i = 0; i < users; i++) workload.nextSession();
  return workload.queries(searches);
}

function dropPageCache(): void {
  if (process.platform !== 'linux') throw fail('UNSUPPORTED', '--drop-caches empties the Linux page cache; this is not Linux.');
  try {
    execFileSync('sh', ['-c', 'sync && echo 1 > /proc/sys/vm/drop_caches'], { stdio: 'pipe' });
  } catch (error) {
    throw fail('UNSUPPORTED', `--drop-caches could not write /proc/sys/vm/drop_caches (it needs root): ${String((error as Error).message).trim()}`);
  }
}

/** The report as a table. */
export function formatReopenTable(report: ReopenReport): string {
  const ms = (x: number) => x.toFixed(1);
  const searches = summarize([report.firstSearch.ms, ...report.laterSearchesMs]);
  const prefetches = report.prefetchMs && summarize(report.prefetchMs);
  const rows = [
    ['memories', report.memories.toLocaleString('en-US')],
    ['page cache', report.cold ? 'dropped (cold)' : 'as it was'],
    ['open ms', ms(report.openMs)],
    [`first search ms (${report.firstSearch.userId})`, ms(report.firstSearch.ms)],
    ['open + first search ms', ms(report.openMs + report.firstSearch.ms)],
    ['later searches ms (other users)', report.laterSearchesMs.length > 10 ? `${report.laterSearchesMs.length} searches` : report.laterSearchesMs.map(ms).join(', ') || '-'],
    ['searches p50 / p95 ms (n)', `${ms(searches.p50)} / ${ms(searches.p95)} (${report.laterSearchesMs.length + 1})`],
    ...(prefetches ? [['prefetch p50 / p95 ms (users, before their first search)', `${ms(prefetches.p50)} / ${ms(prefetches.p95)} (${report.prefetchMs!.length})`]] : []),
  ];
  return ['| measure | value |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isNeuroMemError } from '@neuromem/core';
import { createMemory } from 'neuromem';
import { createScaleWorkload } from './scale-workload';
import { formatReopenTable, reopenQueries, runReopen } from './run-reopen';

describe('runReopen', () => {
  let path: string;
  beforeAll(async () => {
    path = mkdtempSync(join(tmpdir(), 'neuromem-reopen-test-'));
    // Three users' sessions, stored as `scale` stores them.
    const workload = createScaleWorkload({ seed: 7, users: 3, sessionTurns: 5 });
    const memory = await createMemory({ path });
    for (let i = 0; i < 6; i++) {
      const session = workload.nextSession();
      await memory.add(
        session.turns.map((turn) => ({ role: 'user' as const, content: turn.content, timestamp: turn.timestamp })),
        { userId: session.userId, runId: session.runId },
      );
    }
    await memory.close();
  }, 60_000);
  afterAll(() => rmSync(path, { recursive: true, force: true }));

  it('should time the open and each search by a user the store has, and say what the store loaded', async () => {
    const report = await runReopen({ path, users: 3, seed: 7, searches: 3, dropCaches: false });
    expect(report.memories).toBe(30);
    expect(report.cold).toBe(false);
    expect(report.openMs).toBeGreaterThan(0);
    expect(report.firstSearch.userId).toMatch(/^user-[012]$/);
    expect(report.firstSearch.ms).toBeGreaterThan(0);
    expect(report.laterSearchesMs).toHaveLength(2);
    expect(report.openReport).toEqual(expect.any(Object));
    expect(formatReopenTable(report)).toMatch(/\| open \+ first search ms \| \d+\.\d \|/);
  }, 60_000);

  it('should prefetch each user once before their first search, timed apart from the searches', async () => {
    const report = await runReopen({ path, users: 3, seed: 7, searches: 6, dropCaches: false, prefetch: true });
    const users = new Set(reopenQueries({ seed: 7, users: 3, searches: 6 }).map((query) => query.userId));
    expect(report.prefetchMs).toHaveLength(users.size);
    expect(report.laterSearchesMs).toHaveLength(5);
    expect(formatReopenTable(report)).toMatch(/\| prefetch p50 \/ p95 ms \(users, before their first search\) \| \d+\.\d \/ \d+\.\d \(\d\) \|/);
    expect((await runReopen({ path, users: 3, seed: 7, searches: 2, dropCaches: false })).prefetchMs).toBeUndefined();
  }, 60_000);

  it('should refuse a directory that holds no memory, naming the command that makes one', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'neuromem-reopen-empty-'));
    try {
      const error = await runReopen({ path: empty, users: 3, seed: 7, searches: 1, dropCaches: false }).catch((caught: unknown) => caught);
      expect(isNeuroMemError(error, 'NOT_FOUND')).toBe(true);
      expect(String((error as Error).message)).toMatch(/scale --keep/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

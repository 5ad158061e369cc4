import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTempDir } from '@neuromem/core/testing';
import { DIST, requireBuild } from './test-support';

const run = promisify(execFile);

async function neuromem(db: string, ...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(DIST, 'cli.js'), '--db', db, ...args]);
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

// Each case starts several CLI processes (each loads the NLP model and the trained heads).
jest.setTimeout(60_000);

describe('neuromem CLI', () => {
  let dir: ReturnType<typeof createTempDir>;
  beforeAll(requireBuild);
  beforeEach(() => {
    dir = createTempDir();
  });
  afterEach(() => dir.remove());

  it('should find in a new process what another process added, for the same user only', async () => {
    const db = join(dir.path, 'db');
    const added = await neuromem(db, 'add', 'Jonas finished the Bristol half marathon in 1:47:32', '--user', 'alice', '--time', '2024-06-02T10:00:00Z');
    expect(added.code).toBe(0);
    const id = /added (\S+)/.exec(added.stdout)![1];
    const alice = await neuromem(db, 'search', 'half marathon time', '--user', 'alice', '--json');
    expect(alice.code).toBe(0);
    const results = JSON.parse(alice.stdout).results;
    expect(results[0]).toMatchObject({ id, memory: 'Jonas finished the Bristol half marathon in 1:47:32', eventTime: '2024-06-02T10:00:00.000Z' });
    expect(Object.keys(results[0].scoreBreakdown.factors)).toEqual(expect.arrayContaining(['turnSimilarity', 'lexical', 'graph', 'temporalFit', 'recency']));
    expect(results[0].scoreBreakdown.contributions.lexical).not.toBe(0);
    const bob = await neuromem(db, 'search', 'half marathon time', '--user', 'bob', '--json');
    expect(JSON.parse(bob.stdout).results).toEqual([]);
  });

  it('should show a memory, its history and the store stats', async () => {
    const db = join(dir.path, 'db');
    const id = /added (\S+)/.exec((await neuromem(db, 'add', 'I moved to Denver', '--user', 'alice')).stdout)![1]!;
    expect((await neuromem(db, 'get', id, '--user', 'alice')).stdout).toContain('I moved to Denver');
    expect((await neuromem(db, 'history', id, '--user', 'alice')).stdout).toMatch(/ADD\s+I moved to Denver/);
    const stats = JSON.parse((await neuromem(db, '--json', 'stats')).stdout);
    expect(stats).toMatchObject({ memories: 1, historyEvents: 1, vectors: { turn: 1 } });
    expect(stats.bytesOnDisk).toBeGreaterThan(0);
    const { components } = JSON.parse((await neuromem(db, '--json', 'stats', '--components')).stdout);
    expect(Object.keys(components)).toEqual(['records', 'text index', 'vectors', 'vector indexes', 'graph', 'history', 'other', 'free']);
    expect(components.records).toBeGreaterThan(0);
    expect(components.vectors).toBeGreaterThan(0);
  });

  it('should re-tier a user to a share of warm memories and count the tiers in stats', async () => {
    const db = join(dir.path, 'db');
    for (const text of ['I adopted a beagle named Biscuit in May 2023.', 'ok', 'My sister Ana lives in Porto.', 'lol']) await neuromem(db, 'add', text, '--user', 'alice');
    const retier = await neuromem(db, 'retier', '--user', 'alice', '--warm-share', '0.5');
    expect(retier.stdout).toContain('2 warm, 2 cold (2 turned cold, 0 given their vectors back)');
    expect(JSON.parse((await neuromem(db, '--json', 'stats')).stdout).tiers).toEqual({ warm: 2, cold: 2 });
    const bad = await neuromem(db, 'retier', '--user', 'alice', '--warm-share', '2');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/warmShare/);
  });

  it("should answer another user's id as an unknown one and want --user on by-id commands", async () => {
    const db = join(dir.path, 'db');
    const id = /added (\S+)/.exec((await neuromem(db, 'add', 'my PIN is 4512', '--user', 'alice', '--agent', 'bank')).stdout)![1]!;
    for (const command of ['get', 'history']) {
      const foreign = await neuromem(db, command, id, '--user', 'bob', '--agent', 'bank');
      const unknown = await neuromem(db, command, 'missing-id', '--user', 'bob', '--agent', 'bank');
      expect(foreign.code).toBe(3);
      expect(foreign.stdout).toBe('');
      expect(foreign.stderr.replace(id, '<id>')).toBe(unknown.stderr.replace('missing-id', '<id>'));
      const unscoped = await neuromem(db, command, id, '--agent', 'bank');
      expect(unscoped.code).toBe(2);
      expect(unscoped.stderr).toMatch(/pass --user <id>/);
    }
    expect((await neuromem(db, 'search', 'PIN', '--agent', 'bank')).stderr).toMatch(/pass --user <id>/);
    // A single-user database may opt out: then the id alone (or the agent alone) reaches the memory.
    expect((await neuromem(db, '--no-require-scope', 'get', id)).stdout).toContain('my PIN is 4512');
    expect((await neuromem(db, '--no-require-scope', 'get', id, '--user', 'bob')).code).toBe(3);
  });

  it('should sleep, list the journal and undo a run, and refuse a budget of 0', async () => {
    const db = join(dir.path, 'db');
    await neuromem(db, 'add', 'I work as a nurse at the Royal Infirmary, mostly night shifts.', '--user', 'sam', '--time', '2024-01-05');
    await neuromem(db, 'add', 'I left the Royal Infirmary: no more night shifts as a nurse, I work as a teacher now.', '--user', 'sam', '--time', '2024-09-01');
    const slept = JSON.parse((await neuromem(db, '--json', 'sleep', '--user', 'sam')).stdout);
    expect(slept).toMatchObject({ done: true, users: 1 });
    expect(slept.reports.find((r: { agent: string }) => r.agent === 'consolidation').actions.linked).toBe(1);
    expect((await neuromem(db, 'sleep', '--runs')).stdout).toContain(`${slept.runId}  done`);
    // The link, the fact written from it and the fact's two `consolidates` links.
    expect((await neuromem(db, 'sleep', '--undo', slept.runId)).stdout).toContain('4 actions reversed');
    const refused = await neuromem(db, 'sleep', '--budget', '0');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/budgetMs must be a number of milliseconds above 0/);
    // A storage budget: every memory fades to text, words and links, and comes back on undo.
    const faded = await neuromem(db, 'sleep', '--user', 'sam', '--warm-share', '0');
    expect(faded.stdout).toContain('forgetting demoted 2');
    expect((await neuromem(db, 'sleep', '--warm-share', 'half')).code).toBe(2);
  });

  it('should round-trip memories through export and import', async () => {
    const source = join(dir.path, 'a');
    await neuromem(source, 'add', 'first memory', '--user', 'alice', '--run', 's1');
    await neuromem(source, 'add', 'second memory', '--user', 'bob');
    const file = join(dir.path, 'memories.jsonl');
    expect((await neuromem(source, 'export', '--out', file)).code).toBe(0);
    const target = join(dir.path, 'b');
    const imported = await neuromem(target, 'import', file);
    expect(imported.stdout).toContain('imported 2, skipped 0');
    expect((await neuromem(target, 'import', file)).stdout).toContain('imported 0, skipped 2');
    const exported = (await neuromem(target, 'export', '--user', 'alice')).stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(exported).toEqual([expect.objectContaining({ text: 'first memory', userId: 'alice', runId: 's1' })]);
  });

  it('should exit non-zero with a one-line reason on bad input', async () => {
    const db = join(dir.path, 'db');
    const cases = [
      { args: ['add', '   ', '--user', 'alice'], code: 2, reason: /empty or only whitespace/ },
      { args: ['add', 'no owner'], code: 2, reason: /--user/ },
      { args: ['add', 'x', '--user', 'alice', '--time', 'not a date'], code: 2, reason: /not a valid date/ },
      { args: ['get', 'missing-id', '--user', 'alice'], code: 3, reason: /no memory with id missing-id/ },
      { args: ['history', 'missing-id', '--user', 'alice'], code: 3, reason: /no history/ },
      { args: ['get', 'missing-id'], code: 2, reason: /--user/ },
      { args: ['frobnicate'], code: 2, reason: /unknown command/ },
    ];
    for (const { args, code, reason } of cases) {
      const result = await neuromem(db, ...args);
      expect(result.code).toBe(code);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(reason);
    }
    const bad = join(dir.path, 'bad.jsonl');
    writeFileSync(bad, '{"text":"ok","userId":"a"}\n{broken\n');
    const imported = await neuromem(db, 'import', bad);
    expect(imported.code).toBe(2);
    expect(imported.stderr).toContain('line 2 is not valid JSON');
    expect(JSON.parse((await neuromem(db, '--json', 'stats')).stdout).memories).toBe(0);
  });
});

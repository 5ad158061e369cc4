import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTempDir } from '@neuromem/core/testing';

const run = promisify(execFile);
const BIN = join(__dirname, '..', 'bin', 'neuromem-eval.mjs');
const FIXTURE = join(__dirname, '..', '..', '..', 'datasets', 'fixtures', 'conversations.json');

async function evalCli(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args]);
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

// Each case starts CLI processes that load the NLP model, the tokenizer and the trained heads.
jest.setTimeout(60_000);

describe('neuromem-eval CLI', () => {
  let dir: ReturnType<typeof createTempDir>;
  beforeAll(() => {
    if (!existsSync(join(__dirname, '..', 'dist', 'cli.js'))) throw new Error('apps/eval/dist is missing: run "npm run build" first (npm test does it for you).');
  });
  beforeEach(() => {
    dir = createTempDir();
  });
  afterEach(() => dir.remove());

  it('should reopen a memory that scale kept, and refuse a directory without one', async () => {
    const kept = await evalCli('scale', '--sizes', '200', '--users', '3', '--session-turns', '10', '--probe-memories', '20', '--queries', '3', '--adds', '2', '--dir', dir.path, '--keep', '--quiet');
    expect(kept.code).toBe(0);
    const store = /kept the stores in (\S+)/.exec(kept.stderr)![1]!;
    const path = join(store, readdirSync(store).find((name) => existsSync(join(store, name, 'memory.db')))!);
    const json = join(dir.path, 'reopen.json');
    const reopened = await evalCli('reopen', '--path', path, '--users', '3', '--searches', '2', '--json', json);
    expect(reopened.code).toBe(0);
    expect(reopened.stdout).toMatch(/\| open \+ first search ms \| \d+\.\d \|/);
    expect(JSON.parse(readFileSync(json, 'utf8'))).toMatchObject({ cold: false, laterSearchesMs: [expect.any(Number)] });
    const refused = await evalCli('reopen', '--path', dir.path);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/no memory.*scale --keep/);
  });

  it('should run locomo on PostgreSQL (PGlite in-process) with the recall it has on SQLite', async () => {
    const recall = async (store: string) => {
      const json = join(dir.path, `${store}.json`);
      const result = await evalCli('locomo', '--data', FIXTURE, '--systems', 'neuromem', '--k', '5', '--store', store, '--json', json, '--quiet');
      expect(result.code).toBe(0);
      return JSON.parse(readFileSync(json, 'utf8')).systems.neuromem.recall['5'] as number;
    };
    // SQLite writes int8 vectors by default, PostgreSQL float32: rounding may move one evidence turn
    // across the cut on this small fixture (on LoCoMo dev: R@10 0.784 on SQLite, 0.787 on PostgreSQL).
    expect(Math.abs((await recall('postgres')) - (await recall('sqlite')))).toBeLessThanOrEqual(0.05);
  });

  it('should run scale-out with one worker on PGlite, read back every write, and refuse more workers there', async () => {
    const json = join(dir.path, 'scale-out.json');
    const result = await evalCli('scale-out', '--store', 'postgres', '--workers', '1', '--adds', '6', '--searches', '3', '--users', '2', '--json', json, '--quiet');
    expect(result.code).toBe(0);
    const [row] = JSON.parse(readFileSync(json, 'utf8')).rows;
    expect(row).toMatchObject({ workers: 1, acked: 6, stored: 6, lost: 0, crossUser: 0, errors: 0 });
    const refused = await evalCli('scale-out', '--store', 'postgres', '--workers', '1,2');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/PGlite serves one process at a time/);
  });

  it('should run locomo on the fixture and write the JSON, Markdown report and chart', async () => {
    const json = join(dir.path, 'out.json');
    const report = join(dir.path, 'report.md');
    const result = await evalCli('locomo', '--data', FIXTURE, '--systems', 'bm25,vector,neuromem', '--k', '1,5,10,20', '--json', json, '--report', report, '--quiet');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/bm25 .*\n.*vector .*\n.*neuromem /s);
    const parsed = JSON.parse(readFileSync(json, 'utf8'));
    expect(parsed).toMatchObject({ dataset: 'conversations.json', questions: expect.any(Number) });
    for (const name of ['bm25', 'vector', 'neuromem']) {
      const system = parsed.systems[name];
      expect(Object.keys(system.recall)).toEqual(['1', '5', '10', '20']);
      for (const category of ['1', '2', '3', '4']) expect(Object.keys(system.byCategory[category])).toEqual(['1', '5', '10', '20']);
      expect(system).toMatchObject({ sessionRecall: { '10': expect.any(Number) }, ndcg10: expect.any(Number), mrr: expect.any(Number), storageBytes: expect.any(Number) });
      expect(system.latencyMs).toEqual({ add: { p50: expect.any(Number), p95: expect.any(Number) }, search: { p50: expect.any(Number), p95: expect.any(Number) } });
    }
    expect(readFileSync(report, 'utf8')).toContain('| bm25 |');
    expect(readFileSync(join(dir.path, 'report.svg'), 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>$/);
  });

  it("should run locomo over the conversations' observations in place of their turns (--facts)", async () => {
    const json = join(dir.path, 'facts.json');
    const result = await evalCli('locomo', '--data', FIXTURE, '--facts', '--systems', 'bm25,neuromem', '--k', '1,5', '--json', json, '--quiet');
    expect(result.code).toBe(0);
    const parsed = JSON.parse(readFileSync(json, 'utf8'));
    expect(parsed.dataset).toBe('conversations.json (observations as memories)');
    expect(parsed.questions).toBeGreaterThan(0);
    const stored = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Array<{ observation: Record<string, Record<string, unknown[]>> }>;
    const observations = stored.reduce((sum, c) => sum + Object.values(c.observation).reduce((n, bySpeaker) => n + Object.values(bySpeaker).reduce((m, facts) => m + facts.length, 0), 0), 0);
    expect(parsed.turns).toBe(observations);
    for (const name of ['bm25', 'neuromem']) expect(parsed.systems[name].recall['5']).toBeGreaterThan(0);
    const without = join(dir.path, 'no-observations.json');
    writeFileSync(without, JSON.stringify(stored.map((c) => ({ ...c, observation: {} }))));
    const refused = await evalCli('locomo', '--data', without, '--facts', '--systems', 'bm25', '--quiet');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/--facts needs observations/);
  });

  it("should time a fresh process's cold start, a new memory and a reopened one, and write the JSON", async () => {
    const json = join(dir.path, 'cold-start.json');
    const result = await evalCli('cold-start', '--runs', '1', '--quiet', '--json', json);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\| \*\*createMemory\(\)\*\* \| [\d.]+ \([\d.]+\) \| [\d.]+ \([\d.]+\) \|/);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { runs: number; samples: Record<'fresh' | 'reopen', Array<Record<string, number>>> };
    expect(report.runs).toBe(1);
    // The fresh process stores a fact before its first search; the reopened one finds it at once.
    expect(Object.keys(report.samples.fresh[0]!).sort()).toEqual(['add', 'createMemory', 'emptySearch', 'firstAnswer', 'firstSearch', 'import', 'secondSearch']);
    expect(Object.keys(report.samples.reopen[0]!).sort()).toEqual(['createMemory', 'firstAnswer', 'firstSearch', 'import', 'secondSearch']);
    for (const run of [...report.samples.fresh, ...report.samples.reopen]) expect(Object.values(run).every((ms) => ms > 0)).toBe(true);
  });

  it('should fail with a one-line reason and a non-zero exit on bad input', async () => {
    const malformed = join(dir.path, 'malformed.json');
    writeFileSync(malformed, '{"not": "an array"');
    const empty = join(dir.path, 'empty.json');
    writeFileSync(empty, JSON.stringify([{ sample_id: 'x', conversation: { speaker_a: 'A', speaker_b: 'B' }, qa: [] }]));
    const cases: Array<[string[], RegExp]> = [
      [['locomo', '--data', join(dir.path, 'missing.json')], /cannot read --data/],
      [['locomo', '--data', malformed], /not valid JSON/],
      [['locomo', '--data', empty], /no sessions with turns/],
      [['locomo', '--data', FIXTURE, '--systems', 'bm25,oracle'], /unknown system "oracle"/],
      [['locomo', '--data', FIXTURE, '--k', '0,10'], /--k: "0" is not an integer/],
      [['locomo', '--data', FIXTURE, '--conversations', 'conv-99'], /conv-99 not in/],
      [['locomo', '--data', FIXTURE, '--llm', 'http://127.0.0.1:9'], /--llm needs --model/],
      [['locomo'], /required option '--data <file>'/],
      [['adapt', '--data', FIXTURE, '--patterns', 'none,psychic'], /--patterns has unknown pattern "psychic"; choose from none, recent/],
      [['adapt', '--data', FIXTURE, '--interactions', '0'], /--interactions: "0" is not an integer/],
      [['adapt', '--data', FIXTURE, '--negative-weight', '1.5'], /--negative-weight must be a number in \[0, 1\], got "1.5"/],
      [['tiers', '--data', FIXTURE, '--policies', 'lru'], /--policies has unknown policy "lru"/],
      [['cold-start', '--runs', '0'], /--runs: "0" is not an integer/],
      [['tiers', '--data', FIXTURE, '--shares', '0.5,1.2'], /--shares must be comma-separated numbers in \[0, 1\)/],
      // Before any conversation is stored, not after minutes of work.
      [['relevance', '--data', FIXTURE, '--extra-data', join(dir.path, 'missing.json')], /cannot read --extra-data .*missing\.json: ENOENT\.$/m],
      [['relevance', '--data', FIXTURE, '--gate-keep', '1.5'], /--gate-keep must be a share strictly between 0 and 1, got 1\.5/],
      [['fit-ranker', '--data', FIXTURE, '--extra-data', join(dir.path, 'missing.json'), '--out', join(dir.path, 'ranker.json')], /cannot read --extra-data/],
      [['fit-ranker', '--data', FIXTURE, '--extra-weight', '0', '--out', join(dir.path, 'ranker.json')], /--extra-weight: "0" is not an integer/],
      [
        ['fit-ranker', '--data', FIXTURE, '--extra-data', FIXTURE, '--extra-conversations', 'fixture-9', '--out', join(dir.path, 'ranker.json')],
        /--extra-conversations names fixture-9, which no --extra-data file holds/,
      ],
      [['fit-ranker', '--data', FIXTURE, '--reword', join(dir.path, 'no-wordnet'), '--out', join(dir.path, 'ranker.json')], /no-wordnet\/index\.noun is missing; install WordNet 3\.0/],
    ];
    for (const [args, reason] of cases) {
      const result = await evalCli(...args);
      expect(result.code).not.toBe(0);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(reason);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('should answer and judge every question through an OpenAI-compatible server with --llm', async () => {
    const prompts: string[] = [];
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        const { messages } = JSON.parse(body) as { messages: Array<{ content: string }> };
        const prompt = messages.map((m) => m.content).join('\n');
        prompts.push(prompt);
        const content = /generated answer/i.test(prompt) ? '{"label": "CORRECT"}' : 'Biscuit';
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content } }], usage: { prompt_tokens: 10, completion_tokens: 2 } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const json = join(dir.path, 'llm.json');
      const result = await evalCli(
        'locomo',
        '--data',
        FIXTURE,
        '--systems',
        'bm25',
        '--conversations',
        'fixture-1',
        '--llm',
        `http://127.0.0.1:${port}/v1`,
        '--model',
        'test',
        '--json',
        json,
        '--quiet',
      );
      expect(result.code).toBe(0);
      const answers = JSON.parse(readFileSync(json, 'utf8')).systems.bm25.answers;
      expect(answers.judge).toBe(1);
      expect(answers.f1).toBeGreaterThan(0);
      expect(answers.f1).toBeLessThan(1);
      expect(prompts.some((p) => p.includes("What is the name of Maya's beagle?"))).toBe(true);
    } finally {
      server.close();
    }
  });
});

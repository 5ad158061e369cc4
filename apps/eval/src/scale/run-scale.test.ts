import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Latency } from '../bench/bench-measure';
import { parseScaleFlags, resolveScaleOptions, type ScaleFlags } from './scale-options';
import { createBm25Reference, exactTopK, ftsQuery, packVectors } from './scale-references';
import { createScaleWorkload, MAX_TURN_WORDS, MIN_TURN_WORDS, PROBE_USER, wordCount } from './scale-workload';
import { formatScaleTable, runScale, type ScaleReport } from './run-scale';

/** Every Latency object in the report, with its path. */
function latenciesIn(value: unknown, path = 'report'): Array<[string, Latency]> {
  if (typeof value !== 'object' || value === null) return [];
  const keys = Object.keys(value);
  if (keys.length === 3 && ['p50', 'p95', 'p99'].every((key) => keys.includes(key))) return [[path, value as Latency]];
  return Object.entries(value).flatMap(([key, child]) => latenciesIn(child, `${path}.${key}`));
}

describe('runScale', () => {
  let directory: string;
  let report: ScaleReport;
  const phases = new Set<string>();
  const partials: ScaleReport[] = [];

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'neuromem-scale-test-'));
    report = await runScale({
      sizes: [300, 600],
      users: 5,
      sessionTurns: 10,
      probeMemories: 100,
      queries: 10,
      adds: 5,
      longSession: 30,
      seed: 3,
      directory,
      onProgress: ({ phase }) => phases.add(phase),
      onCheckpoint: (partial) => partials.push(partial),
    });
  }, 120_000);

  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('should hand over the report so far after every checkpoint, so a stopped run keeps its numbers', () => {
    expect(partials.map((partial) => partial.checkpoints.map((c) => c.memories))).toEqual([[300], [300, 600]]);
    expect(partials[1]!.checkpoints).toEqual(report.checkpoints);
    expect(partials[0]!.longSession).toBeUndefined();
  });

  it('should reach every checkpoint size exactly, as the store counts it', () => {
    expect(report.checkpoints.map((c) => c.memories)).toEqual([300, 600]);
    for (const checkpoint of report.checkpoints) {
      expect(checkpoint.stats.memories).toBe(checkpoint.memories);
      expect(checkpoint.stats.vectors.turn).toBe(checkpoint.memories);
      expect(checkpoint.users).toBe(6);
      expect(checkpoint.stats.edges).toBeGreaterThan(0);
    }
    expect(report.checkpoints[0]!.ingest.turns).toBe(295);
    expect(report.checkpoints[1]!.ingest.turns).toBe(295);
  });

  it('should give finite, positive latencies and sizes', () => {
    const latencies = latenciesIn(report);
    expect(latencies.length).toBe(2 * 9 + 2);
    for (const [path, latency] of latencies) {
      for (const value of Object.values(latency)) expect([path, Number.isFinite(value) && value > 0]).toEqual([path, true]);
      expect(latency.p50).toBeLessThanOrEqual(latency.p99);
    }
    for (const checkpoint of report.checkpoints) {
      expect(checkpoint.disk.bytes).toBeGreaterThan(0);
      expect(checkpoint.disk.bytesPerMemory).toBeCloseTo(checkpoint.disk.bytes / checkpoint.memories);
      expect(Object.keys(checkpoint.disk.files)).toContain('memory.db');
      expect(checkpoint.reopen.totalMs).toBeCloseTo(checkpoint.reopen.openMs + checkpoint.reopen.firstSearchMs);
      // Owner-scoped searches (the first search after reopening is one) never open the HNSW index.
      expect(checkpoint.reopen.openReport.vectorIndexes.turn).toBe('deferred');
      expect(checkpoint.unscoped.indexLoadMs).toBeGreaterThan(0);
      // The HNSW indexes load in a process of their own: its peak is reported apart from the ingesting one's.
      expect(checkpoint.unscoped.peakRssMb).toBeGreaterThan(0);
      expect(checkpoint.references.meanUserMemories).toBeGreaterThan(0);
      expect(checkpoint.ingest.turnsPerSec).toBeGreaterThan(0);
      expect(checkpoint.process.rssMb).toBeGreaterThan(0);
      expect(checkpoint.process.heapUsedMb).toBeGreaterThan(0);
      expect(checkpoint.process.peakRssMb).toBeGreaterThanOrEqual(checkpoint.process.rssMb);
    }
    expect(report.peakRssMb).toBeGreaterThan(0);
    expect(report.longSession).toMatchObject({ turns: 30, window: 15 });
  });

  it('should round-trip through JSON and describe the run', () => {
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    expect(report.options).toEqual({ sizes: [300, 600], users: 5, sessionTurns: 10, probeMemories: 100, queries: 10, adds: 5, seed: 3, longSession: 30, durability: 'full' });
    expect(report.machine.node).toBe(process.version);
    expect(report.directory).toBeUndefined();
  });

  it('should report progress and remove its directory', () => {
    expect([...phases]).toEqual(
      expect.arrayContaining([
        'probe user: ingest',
        '300: ingest',
        '300: single adds',
        '600: search',
        '600: search again',
        '600: probe search',
        '600: index load',
        '600: unscoped vector search',
        'long session: single adds',
      ]),
    );
    expect(readdirSync(directory)).toEqual([]);
  });

  it('should format a Markdown table with a column per checkpoint and every row', () => {
    const table = formatScaleTable(report);
    const rows = table.split('\n').filter((line) => line.startsWith('|'));
    expect(rows[0]).toMatch(/^\|\s+\|\s+300 \|\s+600 \|$/);
    const labels = [
      'memories',
      'users',
      'search p50 ms (random users)',
      'search p95 ms (random users)',
      'search p99 ms (random users)',
      'search again p50 ms (same queries)',
      'search again p95 ms (same queries)',
      'probe search p50 ms',
      'probe search p95 ms',
      'BM25 ref p50 ms',
      'plain vector ref p50 ms',
      'HNSW load ms',
      'unscoped vector p50 ms',
      'unscoped text p50 ms',
      'add single p50 ms',
      'add single p95 ms',
      'batched turns/s',
      'open ms',
      'first search ms',
      'bytes/memory',
      'RSS MB',
      'heap MB',
      'peak RSS MB',
      'unscoped peak RSS MB (own process)',
      'edges',
    ];
    for (const label of labels) expect(rows.filter((row) => row.startsWith(`| ${label}`))).toHaveLength(1);
    expect(rows.find((row) => row.startsWith('| memories'))).toMatch(/\|\s+300 \|\s+600 \|$/);
    expect(table).toMatch(/long session \(30 single adds to one session\): first 15 p50/);
  });

  it('should keep the directory with keep, and name it', async () => {
    const kept = await runScale({ sizes: [40], users: 2, sessionTurns: 5, probeMemories: 10, queries: 2, adds: 2, directory, keep: true });
    expect(kept.directory).toBeDefined();
    expect(existsSync(join(kept.directory!, 'memory', 'memory.db'))).toBe(true);
    rmSync(kept.directory!, { recursive: true, force: true });
  }, 60_000);
});

describe('createScaleWorkload', () => {
  const sample = (seed: number) => {
    const workload = createScaleWorkload({ seed, users: 3, sessionTurns: 4 });
    return { probe: [...workload.probeSessions(6)], sessions: [workload.nextSession(), workload.nextSession(2), workload.continuation()], queries: workload.queries(5) };
  };

  it('should be deterministic for a seed and differ across seeds', () => {
    expect(sample(9)).toEqual(sample(9));
    expect(sample(10).sessions[0]!.turns).not.toEqual(sample(9).sessions[0]!.turns);
  });

  it('should give the probe its memories first, users sessions in turn, and increasing timestamps', () => {
    const { probe, sessions } = sample(1);
    expect(probe.map((s) => [s.userId, s.turns.length])).toEqual([
      [PROBE_USER, 4],
      [PROBE_USER, 2],
    ]);
    expect(sessions.map((s) => s.turns.length)).toEqual([4, 2, 1]);
    expect(sessions.slice(0, 2).map((s) => [s.userId, s.runId])).toEqual([
      ['user-0', 's0'],
      ['user-1', 's1'],
    ]);
    expect(['s0', 's1']).toContain(sessions[2]!.runId);
    const times = [...probe, ...sessions].flatMap((s) => s.turns.map((t) => t.timestamp));
    expect(times.every((t, i) => i === 0 || t > times[i - 1]!)).toBe(true);
  });

  it('should write turns of 15-30 words and questions over the same words', () => {
    const workload = createScaleWorkload({ seed: 5, users: 10, sessionTurns: 20 });
    const turns = Array.from({ length: 50 }, () => workload.nextSession().turns).flat();
    for (const { content } of turns) {
      expect(wordCount(content)).toBeGreaterThanOrEqual(MIN_TURN_WORDS);
      expect(wordCount(content)).toBeLessThanOrEqual(MAX_TURN_WORDS);
    }
    expect(new Set(turns.map((t) => t.content)).size).toBe(turns.length);
    const queries = workload.queries(20);
    expect(queries.every((q) => q.text.endsWith('?') && /^user-\d$/.test(q.userId))).toBe(true);
    expect(workload.queries(20)).toEqual(queries);
    const corpus = new Set(turns.flatMap((t) => t.content.toLowerCase().match(/[a-z]+/g) ?? []));
    const shared = queries.map((q) => (ftsQuery(q.text) ?? '').split(' OR ').filter((word) => corpus.has(word.replace(/"/g, ''))).length);
    expect(shared.every((n) => n > 0)).toBe(true);
  });
});

describe('scale references', () => {
  it('should rank by BM25 within one user only', () => {
    const bm25 = createBm25Reference(':memory:');
    bm25.add('a', ['Alice bought a guitar in Lisbon', 'Bob fixed a bicycle']);
    bm25.add('b', ['Alice bought a guitar too']);
    expect(bm25.search('What did Alice buy? A guitar?', 'a')).toEqual([1]);
    expect(bm25.search('the and of', 'a')).toEqual([]);
    bm25.close();
  });

  it('should quote every content word so none is read as FTS5 syntax', () => {
    expect(ftsQuery('What did NEAR "Alice" buy OR sell?')).toBe('"near" OR "alice" OR "buy" OR "sell"');
  });

  it('should find the exact top k by dot product', () => {
    const vectors = new Map(Array.from({ length: 30 }, (_, i) => [`m${i}`, Float32Array.from([Math.cos(i / 10), Math.sin(i / 10)])] as const));
    expect(exactTopK(packVectors(vectors), Float32Array.from([1, 0]), 3)).toEqual(['m0', 'm1', 'm2']);
    expect(exactTopK(packVectors(vectors), Float32Array.from([0, 1]), 2)).toEqual(['m16', 'm15']);
    expect(exactTopK(packVectors(new Map()), Float32Array.from([0, 1]))).toEqual([]);
  });
});

describe('scale options', () => {
  const flags = (overrides: Partial<ScaleFlags> = {}): ScaleFlags => ({
    sizes: '1000,10000',
    users: '100',
    sessionTurns: '20',
    probeMemories: '500',
    queries: '200',
    adds: '100',
    seed: '42',
    longSession: '0',
    durability: 'full',
    ...overrides,
  });

  it('should parse the flags with their defaults', () => {
    expect(parseScaleFlags(flags({ dir: '/tmp/x', keep: true, longSession: '3000' }))).toEqual({
      sizes: [1000, 10_000],
      users: 100,
      sessionTurns: 20,
      probeMemories: 500,
      queries: 200,
      adds: 100,
      seed: 42,
      longSession: 3000,
      keep: true,
      durability: 'full',
      directory: '/tmp/x',
    });
    expect(resolveScaleOptions({})).toMatchObject({
      sizes: [1000, 10_000, 50_000],
      users: 100,
      sessionTurns: 20,
      probeMemories: 500,
      queries: 200,
      adds: 100,
      seed: 42,
      longSession: 0,
      keep: false,
      durability: 'full',
    });
  });

  it('should reject bad flags by their names', () => {
    expect(() => parseScaleFlags(flags({ sizes: '1000,abc' }))).toThrow(/--sizes: "abc" is not an integer/);
    expect(() => parseScaleFlags(flags({ sizes: '10000,1000' }))).toThrow(/--sizes must increase.*previous size \(10000\).*--adds \(100\); got 1000/);
    expect(() => parseScaleFlags(flags({ sizes: '500,10000' }))).toThrow(/--sizes must increase and each size must exceed --probe-memories \(500\) by more than --adds/);
    expect(() => parseScaleFlags(flags({ users: '0' }))).toThrow(/--users: "0" is not an integer between 1 and/);
    expect(() => parseScaleFlags(flags({ sessionTurns: '2.5' }))).toThrow(/--session-turns/);
    for (const longSession of ['1', '-3', 'x', '']) expect(() => parseScaleFlags(flags({ longSession }))).toThrow(/--long-session: .* is not 0 \(off\) or an integer between 2 and/);
    expect(() => resolveScaleOptions({ longSession: 1 })).toThrow(/longSession must be 0 \(off\) or an integer of at least 2/);
    expect(() => parseScaleFlags(flags({ durability: 'sometimes' }))).toThrow(/--durability must be full or normal, got "sometimes"/);
    expect(parseScaleFlags(flags({ durability: 'normal' })).durability).toBe('normal');
  });

  it('should reject bad options by their field names before doing any work', async () => {
    await expect(runScale({ sizes: [] })).rejects.toThrow(/sizes must be positive integers/);
    await expect(runScale({ sizes: [100], probeMemories: 100, adds: 1 })).rejects.toThrow(/exceed probeMemories \(100\) by more than adds \(1\)/);
    await expect(runScale({ queries: 0 })).rejects.toThrow(/queries must be a positive integer/);
  });
});

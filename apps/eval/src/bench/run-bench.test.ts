import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatBenchTable, runBench, type BenchReport } from './run-bench';

/** Every number in the report, with its path, except memory deltas: a process may give memory back. */
function numbersIn(value: unknown, path = 'report'): Array<[string, number]> {
  if (typeof value === 'number') return /DeltaMb$/.test(path) ? [] : [[path, value]];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => numbersIn(child, `${path}.${key}`));
}

describe('runBench', () => {
  let directory: string;
  let report: BenchReport;
  const phases = new Set<string>();

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'neuromem-bench-test-'));
    report = await runBench({ ns: [500], dim: 32, queries: 50, textMemories: 100, seed: 7, directory, onProgress: ({ phase }) => phases.add(phase) });
  }, 120_000);

  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('should report one run per n with the store, the exact baseline and the text run', () => {
    expect(report).toMatchObject({ dim: 32, queries: 50, seed: 7, machine: { node: process.version }, text: { memories: 100, searches: 200 } });
    expect(report.runs.map((run) => run.n)).toEqual([500]);
    const [run] = report.runs;
    for (const latency of [run!.neuromem.search, run!.neuromem.filteredSearch, run!.exact.search, report.text.search]) {
      expect(Object.keys(latency).sort()).toEqual(['p50', 'p95', 'p99']);
      expect(latency.p50).toBeLessThanOrEqual(latency.p99);
    }
    expect(typeof run!.neuromem.rssDeltaMb).toBe('number');
    expect(typeof run!.exact.jsDeltaMb).toBe('number');
  });

  it('should give only finite, positive numbers', () => {
    const numbers = numbersIn(report);
    expect(numbers.length).toBeGreaterThan(20);
    expect(numbers.filter(([, value]) => !(Number.isFinite(value) && value > 0))).toEqual([]);
  });

  it('should find the true nearest neighbours on both search paths', () => {
    const [run] = report.runs;
    expect(run!.neuromem.recallAt10).toBeGreaterThanOrEqual(0.9);
    expect(run!.neuromem.filteredRecallAt10).toBeGreaterThanOrEqual(0.9);
    expect(run!.neuromem.recallAt10).toBeLessThanOrEqual(1);
  });

  it('should reopen the store from its index snapshot instead of rebuilding it', () => {
    expect(report.runs[0]!.neuromem.reopen).toBe('loaded');
  });

  it('should report progress for every phase and leave nothing behind in the directory', () => {
    expect([...phases]).toEqual(expect.arrayContaining(['n=500 neuromem ingest', 'n=500 neuromem search', 'n=500 neuromem filtered search', 'n=500 exact search', 'text add', 'text search']));
    expect(existsSync(directory)).toBe(true);
    expect(readdirSync(directory)).toEqual([]);
  });

  it('should format the report as aligned tables', () => {
    const lines = formatBenchTable(report).split('\n');
    expect(lines[0]).toBe('Vector search: dim 32, 50 queries, k=10, seed 7');
    expect(lines.some((line) => /^500\s+neuromem \(HNSW, no filter\)/.test(line))).toBe(true);
    expect(lines.some((line) => line.includes('exact scan (ground truth)'))).toBe(true);
    const header = lines.find((line) => line.includes('ingest/s'))!;
    const rows = lines.filter((line) => line.includes('neuromem (') || line.includes('exact scan'));
    // Right-aligned numbers end where their header ends.
    const ingestEnd = header.indexOf('ingest/s') + 'ingest/s'.length;
    expect(rows.filter((row) => !row.includes('scope filter')).every((row) => /\d/.test(row[ingestEnd - 1] ?? ''))).toBe(true);
  });

  it('should reject sizes that are not positive integers', async () => {
    await expect(runBench({ ns: [0], dim: 8, queries: 5 })).rejects.toThrow(/ns must be positive integers/);
    await expect(runBench({ ns: [10], dim: 8, queries: 1.5 })).rejects.toThrow(/queries must be positive integers/);
  });
});

import type { BenchReport } from './bench-report';

const NONE = '-';

/** The report as aligned plain-text tables for a terminal; the JSON report keeps every digit. */
export function formatBenchTable(report: BenchReport): string {
  const { machine, text } = report;
  const vectorRows = report.runs.flatMap(({ n, neuromem, exact }) => [
    [
      count(n),
      'neuromem (HNSW, no filter)',
      count(neuromem.ingestPerSec),
      ms(neuromem.search.p50),
      ms(neuromem.search.p99),
      fixed(neuromem.recallAt10, 3),
      fixed(neuromem.rssDeltaMb, 0),
      count(neuromem.bytesPerMemory),
      `${ms(neuromem.reopenMs)} ms ${neuromem.reopen}`,
    ],
    ['', 'neuromem (scope filter)', NONE, ms(neuromem.filteredSearch.p50), ms(neuromem.filteredSearch.p99), fixed(neuromem.filteredRecallAt10, 3), NONE, NONE, NONE],
    ['', 'exact scan (ground truth)', count(exact.ingestPerSec), ms(exact.search.p50), ms(exact.search.p99), '1.000', fixed(exact.jsDeltaMb, 0), NONE, NONE],
  ]);
  return [
    `Vector search: dim ${report.dim}, ${count(report.queries)} queries, k=10, seed ${report.seed}`,
    alignTable(['n', 'system', 'ingest/s', 'p50 ms', 'p99 ms', 'recall@10', 'memory +MB', 'bytes/mem', 'reopen'], vectorRows),
    '',
    `Text end to end (createMemory, default encoder): ${count(text.memories)} memories, ${text.searches} searches`,
    alignTable(
      ['add/s (1 per call)', 'add/s (20 per call)', 'search p50 ms', 'search p95 ms', 'search p99 ms'],
      [[count(text.addPerSec), count(text.batchedAddPerSec), ms(text.search.p50), ms(text.search.p95), ms(text.search.p99)]],
    ),
    '',
    'memory +MB: neuromem = RSS growth over its ingest (mostly native usearch); exact = JS heap + ArrayBuffer growth.',
    `${machine.cpuModel}, ${machine.cpus} CPUs, ${count(machine.totalMemoryMb)} MB RAM, node ${machine.node}${machine.gcExposed ? '' : '; RSS without --expose-gc includes uncollected garbage'}`,
  ].join('\n');
}

/** Left-aligns text columns and right-aligns numeric ones, so digits line up. */
function alignTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, c) => Math.max(header.length, ...rows.map((row) => (row[c] ?? '').length)));
  const numeric = headers.map((_, c) => rows.every((row) => /^[-\d.,]*$/.test(row[c] ?? '')));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (numeric[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const count = (value: number) => Math.round(value).toLocaleString('en-US');
const fixed = (value: number, digits: number) => value.toFixed(digits);

/** Three significant digits, trailing zeros kept so columns of similar values line up: 0.0123, 1.70, 12.3, 1234. */
function ms(value: number): string {
  if (!Number.isFinite(value)) return NONE;
  if (value >= 100) return Math.round(value).toString();
  return value.toPrecision(3);
}

import type { ScaleCheckpoint, ScaleReport } from './scale-report';

const NONE = '-';

/** Label and cell of each row; one column per checkpoint. */
const ROWS: Array<[string, (c: ScaleCheckpoint) => string]> = [
  ['memories', (c) => count(c.memories)],
  ['users', (c) => count(c.users)],
  ['search p50 ms (random users)', (c) => ms(c.search.p50)],
  ['search p95 ms (random users)', (c) => ms(c.search.p95)],
  ['search p99 ms (random users)', (c) => ms(c.search.p99)],
  ["search p50 / p95 ms, a user's first (n)", (c) => (c.searchByVisit ? `${ms(c.searchByVisit.first.p50)} / ${ms(c.searchByVisit.first.p95)} (${c.searchByVisit.first.n})` : NONE)],
  ['search p50 / p95 ms, a later one (n)', (c) => (c.searchByVisit ? `${ms(c.searchByVisit.later.p50)} / ${ms(c.searchByVisit.later.p95)} (${c.searchByVisit.later.n})` : NONE)],
  ['search again p50 ms (same queries)', (c) => ms(c.searchAgain.p50)],
  ['search again p95 ms (same queries)', (c) => ms(c.searchAgain.p95)],
  ['probe search p50 ms', (c) => ms(c.probeSearch.p50)],
  ['probe search p95 ms', (c) => ms(c.probeSearch.p95)],
  ['BM25 ref p50 ms (FTS5, per user)', (c) => ms(c.references.bm25.p50)],
  ['plain vector ref p50 ms (exact, per user)', (c) => ms(c.references.plainVector.p50)],
  ['HNSW load ms (first unscoped search)', (c) => ms(c.unscoped.indexLoadMs)],
  ['unscoped vector p50 ms (store)', (c) => ms(c.unscoped.vector.p50)],
  ['unscoped text p50 ms (store)', (c) => ms(c.unscoped.text.p50)],
  ['add single p50 ms', (c) => ms(c.add.p50)],
  ['add single p95 ms', (c) => ms(c.add.p95)],
  ['add single, indexed, mean ms', (c) => ms(c.addIndexedMeanMs)],
  ['batched turns/s', (c) => count(c.ingest.turnsPerSec)],
  ['open ms', (c) => ms(c.reopen.openMs)],
  ['first search ms', (c) => ms(c.reopen.firstSearchMs)],
  ['bytes/memory', (c) => count(c.disk.bytesPerMemory)],
  ['RSS MB', (c) => count(c.process.rssMb)],
  ['heap MB', (c) => count(c.process.heapUsedMb)],
  ['peak RSS MB', (c) => count(c.process.peakRssMb)],
  ['unscoped peak RSS MB (own process)', (c) => count(c.unscoped.peakRssMb)],
  ['edges', (c) => count(c.stats.edges)],
];

/** A Markdown table with one column per checkpoint; the JSON report keeps every digit. */
export function formatScaleTable(report: ScaleReport): string {
  const { options, machine, checkpoints, longSession } = report;
  const headers = ['', ...checkpoints.map((c) => count(c.memories))];
  const rows = ROWS.map(([label, cell]) => [label, ...checkpoints.map(cell)]);
  const lines = [
    `Scale: createMemory() defaults${options.durability === 'normal' ? " with durability 'normal' (no fsync per commit)" : ''}, ${count(options.users)} users + 1 probe user (${count(options.probeMemories)} memories), sessions of ${options.sessionTurns} turns, ${count(options.queries)} queries, ${count(options.adds)} single adds per checkpoint, seed ${options.seed}`,
    '',
    markdownTable(headers, rows),
    '',
    `reopen: ${checkpoints.map((c) => `${count(c.memories)} ${openSummary(c)}`).join('; ')}`,
  ];
  if (longSession) {
    const { turns, window, first, last } = longSession;
    lines.push(
      `long session (${count(turns)} single adds to one session): first ${window} p50 ${ms(first.p50)} ms, p95 ${ms(first.p95)} ms; last ${window} p50 ${ms(last.p50)} ms, p95 ${ms(last.p95)} ms`,
    );
  }
  lines.push(
    `${machine.cpuModel}, ${machine.cpus} CPUs, ${count(machine.totalMemoryMb)} MB RAM, node ${machine.node}` +
      `${report.commit ? `, commit ${report.commit.slice(0, 7)}` : ''}, ${(report.durationMs / 1000).toFixed(0)} s` +
      (machine.gcExposed ? '' : '; RSS and heap without --expose-gc include uncollected garbage'),
  );
  return lines.join('\n');
}

/** How each vector index was found on reopen, and what was repaired. */
function openSummary(c: ScaleCheckpoint): string {
  const { vectorIndexes, repairs } = c.reopen.openReport;
  const indexes =
    Object.entries(vectorIndexes)
      .map(([scale, how]) => `${scale} ${how}`)
      .join(', ') || 'no vector index';
  return repairs.length === 0 ? indexes : `${indexes} (${repairs.join('; ')})`;
}

function markdownTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, c) => Math.max(3, header.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, c) => (c === 0 ? `${'-'.repeat(w + 2)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

const count = (value: number) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : NONE);

/** Three significant digits: 0.0123, 1.70, 12.3, 1234. */
function ms(value: number): string {
  if (!Number.isFinite(value)) return NONE;
  if (value >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toPrecision(3);
}

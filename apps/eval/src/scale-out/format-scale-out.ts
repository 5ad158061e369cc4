import type { ScaleOutReport } from './run-scale-out';

const fixed = (value: number, digits = 1) => value.toFixed(digits);

export function formatScaleOutTable(report: ScaleOutReport): string {
  const header = ['workers', 'wall s', 'adds/s', 'searches/s', 'add p50/p95 ms', 'search p50/p95 ms', 'acked', 'stored', 'lost', 'cross-user', 'errors'];
  const rows = report.rows.map((r) => [
    String(r.workers),
    fixed(r.seconds),
    fixed(r.addsPerSecond),
    fixed(r.searchesPerSecond),
    `${fixed(r.addP50)} / ${fixed(r.addP95)}`,
    `${fixed(r.searchP50)} / ${fixed(r.searchP95)}`,
    String(r.acked),
    String(r.stored),
    String(r.lost),
    String(r.crossUser),
    String(r.errors),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padStart(widths[i]!)).join('  ');
  return [`${report.store}: ${report.server}`, line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChaosCheck, ChaosRow } from './chaos-check';

export interface ChaosReport {
  quick: boolean;
  seed: number;
  rows: ChaosRow[];
  failures: string[];
  figures: Record<string, number>;
  seconds: Record<string, number>;
}

/**
 * Runs the named checks one after another, each in a fresh temporary directory. A check that
 * throws counts as one failure of its own row, so the table is always complete.
 */
export async function runChaos(options: {
  checks: ReadonlyArray<[name: string, check: ChaosCheck]>;
  quick: boolean;
  seed: number;
  onCheck?: (name: string) => void;
  onProgress?: (done: number, total: number) => void;
}): Promise<ChaosReport> {
  const report: ChaosReport = { quick: options.quick, seed: options.seed, rows: [], failures: [], figures: {}, seconds: {} };
  for (const [name, check] of options.checks) {
    options.onCheck?.(name);
    const workDir = mkdtempSync(join(tmpdir(), `neuromem-chaos-${name}-`));
    const started = performance.now();
    try {
      const result = await check({ quick: options.quick, seed: options.seed, workDir: join(workDir, 'db'), ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
      report.rows.push(...result.rows);
      report.failures.push(...result.failures);
      Object.assign(report.figures, result.figures);
    } catch (error) {
      report.rows.push({ check: name, runs: 0, failures: 1, detail: `the check itself failed: ${(error as Error).message}` });
      report.failures.push(`${name}: ${(error as Error).stack ?? String(error)}`);
    } finally {
      report.seconds[name] = Math.round((performance.now() - started) / 100) / 10;
      rmSync(workDir, { recursive: true, force: true });
    }
  }
  return report;
}

export function formatChaosTable(report: ChaosReport): string {
  const header = ['check', 'runs', 'failures', 'detail'];
  const body = report.rows.map((row) => [row.check, row.runs.toLocaleString('en'), String(row.failures), row.detail]);
  const widths = header.map((title, i) => Math.max(title.length, ...body.map((cells) => cells[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => (i === 1 || i === 2 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join(' | ')} |`;
  const total = report.rows.reduce((sum, row) => sum + row.failures, 0);
  return [
    line(header),
    `|${widths.map((width, i) => (i === 1 || i === 2 ? `${'-'.repeat(width + 1)}:` : '-'.repeat(width + 2))).join('|')}|`,
    ...body.map(line),
    '',
    `${report.quick ? 'quick' : 'full'} run, seed ${report.seed}: ${total === 0 ? 'no failures' : `${total} failure(s)`}`,
    ...report.failures.slice(0, 10).map((failure) => `  - ${failure}`),
  ].join('\n');
}

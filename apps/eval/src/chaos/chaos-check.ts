/**
 * One reliability check of `neuromem-eval chaos`: it attacks a fresh memory (or index, or lock) in
 * `workDir` and reports what it counted. A check never throws for a failure it found; it counts it
 * and describes the first few, so one table shows every check.
 */
export interface ChaosRow {
  /** What was attacked, e.g. "SIGKILL during adds". */
  check: string;
  /** How many attacks (kills, cases, starts, operations) ran. */
  runs: number;
  /** How many of them broke a promise (lost write, raw error, double open, foreign read, ...). */
  failures: number;
  /** Figures worth a column of their own: reopen p95, stall p99, ... (already formatted). */
  detail: string;
}

export interface ChaosCheckResult {
  rows: ChaosRow[];
  /** The first failures, described well enough to reproduce (seed, step, what was expected). */
  failures: string[];
  /** Raw figures for the JSON report (e.g. { reopenP95Ms: 212 }). */
  figures?: Record<string, number>;
}

export interface ChaosCheckOptions {
  /** `--quick`: the same checks with small counts (a few minutes in all). */
  quick: boolean;
  /** Every random choice derives from this seed. */
  seed: number;
  /** A fresh directory the check owns; removed afterwards by the caller. */
  workDir: string;
  onProgress?: (done: number, total: number) => void;
}

export type ChaosCheck = (options: ChaosCheckOptions) => Promise<ChaosCheckResult>;

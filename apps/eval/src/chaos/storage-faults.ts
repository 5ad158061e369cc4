import { join } from 'node:path';
import { createRandom } from '@neuromem/core/testing';
import type { ChaosCheck, ChaosRow } from './chaos-check';
import { canMountTmpfs, diskFullFault } from './disk-full-fault';
import { indexFileFault } from './index-file-fault';
import { walFault, type FaultOutcome } from './wal-fault';

interface Fault {
  check: string;
  /** Names its work directories and its figure. */
  slug: string;
  runs: { quick: number; full: number };
  attack: (dir: string, random: () => number, run: number) => Promise<FaultOutcome>;
  /** The row's detail from the facts summed over runs. */
  describe: (facts: Record<string, number>, runs: number) => string;
  /** Why the fault cannot be staged here, if it cannot. */
  unavailable?: () => string | undefined;
}

/** 2 MiB: the WAL alone fills the disk; larger: checkpoints into memory.db fill it too. */
const DISK_SIZES = ['2m', '8m', '16m'];

const FAULTS: readonly Fault[] = [
  {
    check: 'WAL deleted after SIGKILL',
    slug: 'walDeleted',
    runs: { quick: 3, full: 10 },
    attack: (dir, random) => walFault('delete', dir, random),
    describe: (f, runs) => `${runs - f.refused!} reopened, ${f.refused} refused (STORAGE); ${f.kept} of ${f.acked} acked adds were in memory.db`,
  },
  {
    check: 'WAL truncated after SIGKILL',
    slug: 'walTruncated',
    runs: { quick: 3, full: 10 },
    attack: (dir, random) => walFault('truncate', dir, random),
    describe: (f, runs) => `${runs - f.refused!} reopened, ${f.refused} refused (STORAGE); ${f.kept} of ${f.acked} acked adds before the cut kept`,
  },
  {
    check: 'disk full (small tmpfs)',
    slug: 'diskFull',
    runs: { quick: 1, full: 3 },
    attack: (dir, random, run) => diskFullFault(dir, random, DISK_SIZES[run % DISK_SIZES.length]!),
    describe: (f, runs) => `${DISK_SIZES.slice(0, runs).join(', ')}: full after ${Math.round(f.adds! / runs)} adds on average; close() rejected ${f.closeFailed} of ${runs}`,
    unavailable: () => (canMountTmpfs() ? undefined : 'skipped: mounting a tmpfs needs root'),
  },
  {
    check: 'index file replaced by a directory',
    slug: 'indexObstructed',
    runs: { quick: 2, full: 5 },
    attack: indexFileFault,
    describe: (f) => `with the obstacle: ${f.obstructedOpens} opened, ${f.obstructedRefusals} refused; ${f.rebuilt} rebuilt once removed`,
  },
];

/** `neuromem-eval chaos`: damaged WAL files, a full disk and an unwritable index, one row each. */
export const runStorageFaults: ChaosCheck = async ({ quick, seed, workDir, onProgress }) => {
  const total = FAULTS.reduce((sum, fault) => sum + fault.runs[quick ? 'quick' : 'full'], 0);
  const rows: ChaosRow[] = [];
  const failures: string[] = [];
  const figures: Record<string, number> = {};
  let done = 0;
  for (const [f, fault] of FAULTS.entries()) {
    const runs = fault.runs[quick ? 'quick' : 'full'];
    const skipped = fault.unavailable?.();
    if (skipped) {
      rows.push({ check: fault.check, runs: 0, failures: 0, detail: skipped });
      onProgress?.((done += runs), total);
      continue;
    }
    const random = createRandom((seed ^ Math.imul(f + 1, 0x9e3779b9)) >>> 0);
    const facts: Record<string, number> = {};
    let failed = 0;
    for (let run = 0; run < runs; run++) {
      let outcome: FaultOutcome;
      try {
        outcome = await fault.attack(join(workDir, `${fault.slug}-${run}`), random, run);
      } catch (error) {
        outcome = { failures: [`the attack itself failed: ${String(error)}`], facts: {} };
      }
      for (const [name, value] of Object.entries(outcome.facts)) facts[name] = (facts[name] ?? 0) + value;
      if (outcome.failures.length > 0) failed++;
      for (const message of outcome.failures) if (failures.length < 10) failures.push(`seed ${seed}, ${fault.check}, run ${run + 1}: ${message}`);
      onProgress?.(++done, total);
    }
    rows.push({ check: fault.check, runs, failures: failed, detail: fault.describe(facts, runs) });
    figures[`${fault.slug}Failures`] = failed;
  }
  return { rows, failures, figures };
};

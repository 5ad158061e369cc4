import { join } from 'node:path';
import { createRandom } from '@neuromem/core/testing';
import { createMemory, type Memory as AnyMemory, type SqliteMemoryStore } from 'neuromem';

/** The embedded default, whose SQLite store can verify and reload its derived indexes. */
type Memory = AnyMemory<SqliteMemoryStore>;
import { percentile } from '../metrics/retrieval-metrics';
import type { ChaosCheck, ChaosCheckOptions, ChaosCheckResult, ChaosRow } from './chaos-check';
import { builtNeuromemUrl, runChild, type ChildLine } from './child-process';
import { crashChildScript, type OperationMix } from './crash-child-script';
import { createCrashModel, type Finding } from './crash-model';

interface Target {
  check: string;
  mix: OperationMix;
  /** What the kill counts: acknowledged calls, or close() calls begun. */
  trigger: 'ack' | 'close';
  /** The kill comes after 1..this many triggers (plus a delay). */
  upTo: number;
  closeEvery?: number;
}

const TARGETS: readonly Target[] = [
  {
    check: 'SIGKILL during adds',
    mix: [
      ['add', 0.8],
      ['batch', 0.1],
      ['update', 0.05],
      ['delete', 0.05],
    ],
    trigger: 'ack',
    upTo: 60,
  },
  {
    check: 'SIGKILL during batches',
    mix: [
      ['batch', 0.8],
      ['add', 0.1],
      ['update', 0.05],
      ['delete', 0.05],
    ],
    trigger: 'ack',
    upTo: 40,
  },
  {
    check: 'SIGKILL during updates/deletes',
    mix: [
      ['update', 0.5],
      ['delete', 0.3],
      ['add', 0.2],
    ],
    trigger: 'ack',
    upTo: 60,
  },
  {
    check: 'SIGKILL during close',
    mix: [
      ['add', 0.4],
      ['batch', 0.2],
      ['update', 0.25],
      ['delete', 0.15],
    ],
    trigger: 'close',
    upTo: 4,
    closeEvery: 3,
  },
];

const USER = 'chaos';
const MAX_DELAY_MS = 30;
/** Up to this many kills in a row: each child recovers from the last one's crash before the parent checks. */
const MAX_CHAIN = 3;
/** Memories offered to a child for updates and deletes. */
const POOL = 200;
const FULL_KILLS = 100;
const QUICK_KILLS = 12;

/** `neuromem-eval chaos`: SIGKILLs a writer at random moments on one directory, crash after crash. */
export const runCrashHarness: ChaosCheck = (options) => crashHarness(options);

/**
 * Each round a child makes seeded calls on the shared database and prints what each call
 * acknowledged; it is killed after a random number of them plus 0-30 ms, sometimes inside close().
 * After one to three kills the parent reopens (timing createMemory and the first search) and checks
 * every acknowledged write, whole batches, history and index agreement.
 */
export async function crashHarness(options: ChaosCheckOptions & { kills?: number }): Promise<ChaosCheckResult> {
  const { seed, workDir, onProgress } = options;
  const kills = options.kills ?? (options.quick ? QUICK_KILLS : FULL_KILLS);
  const random = createRandom(seed);
  const path = join(workDir, 'memory');
  const entry = builtNeuromemUrl();
  const model = createCrashModel(USER);
  const stats = TARGETS.map(() => ({ runs: 0, failures: 0, reopenMs: [] as number[], openOnlyMs: [] as number[], rebuilds: 0, midCall: 0, insideClose: 0 }));
  const counts = { lostWrites: 0, partialBatches: 0, historyMismatches: 0, unexpectedMemories: 0, indexDisagreements: 0, reopenFailures: 0, childFailures: 0 };
  const failures: string[] = [];
  const report = (target: number, round: number, message: string) => {
    stats[target]!.failures++;
    if (failures.length < 10) failures.push(`seed ${seed}, round ${round} (${TARGETS[target]!.check}): ${message}`);
  };
  const COUNTER = { lost: 'lostWrites', partial: 'partialBatches', history: 'historyMismatches', unexpected: 'unexpectedMemories', index: 'indexDisagreements' } as const;
  const record = (finding: Finding) => {
    counts[COUNTER[finding.kind]]++;
    report(finding.round % TARGETS.length, finding.round, finding.message);
  };

  const reopened = (target: number, ms: number, openMs: number, rebuilt: boolean) => {
    stats[target]!.reopenMs.push(ms);
    stats[target]!.openOnlyMs.push(openMs);
    if (rebuilt) stats[target]!.rebuilds++;
  };
  /** The target whose kill the next open recovers from. */
  let lastKill: number | undefined;
  let chainLeft = 0;
  for (let round = 0; round < kills; round++) {
    const t = round % TARGETS.length;
    const target = TARGETS[t]!;
    const session = `r${round}`;
    const triggerAt = 1 + Math.floor(random() * target.upTo);
    const delayMs = random() * MAX_DELAY_MS;
    const script = crashChildScript({
      entry,
      path,
      round,
      session,
      userId: USER,
      seed: Math.floor(random() * 2 ** 32),
      mix: target.mix,
      pool: model.pool(random, POOL),
      ...(target.closeEvery ? { closeEvery: target.closeEvery } : {}),
    });
    let seen = 0;
    const isTrigger = (line: ChildLine) => (target.trigger === 'ack' ? line.t === 'ack' && line.op !== 'close' : line.t === 'begin' && line.op === 'close');
    const run = await runChild(script, (line) => (isTrigger(line) && ++seen === triggerAt ? delayMs : undefined));
    stats[t]!.runs++;

    const opened = run.lines.find((line) => line.t === 'open');
    if (lastKill !== undefined && opened) reopened(lastKill, opened.ms as number, opened.openMs as number, opened.rebuilt === true);
    let begun: ChildLine | undefined;
    for (const line of run.lines) {
      if (line.t === 'begin') begun = line;
      else if (line.t === 'ack') {
        const finding = model.acknowledge(line, begun!, round);
        if (finding) record(finding);
        begun = undefined;
      } else if (line.t === 'error') {
        counts[line.op === 'open' ? 'reopenFailures' : 'childFailures']++;
        report(line.op === 'open' && lastKill !== undefined ? lastKill : t, round, `${String(line.op)} rejected: ${String(line.message)}`);
      }
    }
    if (!run.killed && !run.lines.some((line) => line.t === 'error')) {
      counts.childFailures++;
      report(t, round, `the child ended before the kill (exit ${run.code}): ${run.stderr.slice(0, 500)}`);
    }
    if (begun) {
      model.interrupted(begun, round, session);
      stats[t]!.midCall++;
      if (begun.op === 'close') stats[t]!.insideClose++;
    }
    lastKill = t;
    onProgress?.(round + 1, kills);
    if (chainLeft-- > 0 && round < kills - 1) continue;
    chainLeft = Math.floor(random() * MAX_CHAIN);

    const checked = await reopenAndCheck();
    if (!checked) break; // a database that cannot be reopened ends the run: later rounds would only repeat it
    lastKill = undefined;
  }

  async function reopenAndCheck(): Promise<boolean> {
    const round = stats.reduce((sum, s) => sum + s.runs, 0) - 1;
    const started = performance.now();
    let memory: Memory;
    let openMs = 0;
    try {
      memory = await createMemory({ path });
      openMs = performance.now() - started;
      await memory.search('where did Maria go on vacation', { userId: USER });
    } catch (error) {
      counts.reopenFailures++;
      report(lastKill!, round, `reopen failed: ${(error as Error).message}`);
      return false;
    }
    const reopenMs = performance.now() - started;
    try {
      // The vector indexes open on demand; opened here, a damaged snapshot shows up as a rebuild.
      const { vectorIndexes } = await memory.store.loadIndexes();
      reopened(lastKill!, reopenMs, openMs, Object.values(vectorIndexes).includes('rebuilt'));
      const problems = await memory.store.verifyIndexes();
      if (problems.length > 0) {
        counts.indexDisagreements++;
        report(lastKill!, round, `indexes disagree with SQLite: ${problems.join('; ')}`);
      }
      for (const finding of await model.verify(memory, random)) record(finding);
    } finally {
      await memory.close().catch((error: Error) => report(lastKill!, round, `close after the check failed: ${error.message}`));
    }
    return true;
  }

  const all = stats.flatMap((s) => s.reopenMs);
  const ms = (values: number[], p: number) => Math.round(percentile(values, p));
  const rows: ChaosRow[] = TARGETS.map((target, i) => {
    const s = stats[i]!;
    const where = target.trigger === 'close' ? `${s.insideClose} of ${s.runs} inside close()` : `${s.midCall} of ${s.runs} mid-call`;
    return { check: target.check, runs: s.runs, failures: s.failures, detail: `reopen p50 ${ms(s.reopenMs, 50)} ms, p95 ${ms(s.reopenMs, 95)} ms; ${where}` };
  });
  return {
    rows,
    failures,
    figures: {
      kills: stats.reduce((sum, s) => sum + s.runs, 0),
      failures: stats.reduce((sum, s) => sum + s.failures, 0),
      reopenP50Ms: ms(all, 50),
      reopenP95Ms: ms(all, 95),
      reopenMaxMs: ms(all, 100),
      openOnlyP95Ms: ms(
        stats.flatMap((s) => s.openOnlyMs),
        95,
      ),
      reopensWithRebuild: stats.reduce((sum, s) => sum + s.rebuilds, 0),
      ...counts,
    },
  };
}

import { existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createErrorFactory } from '@neuromem/core';
import { createRandom } from '@neuromem/core/testing';
import { percentile } from '../metrics/retrieval-metrics';
import type { ChaosCheck, ChaosRow } from './chaos-check';
import { runChild } from './child-process';
import { lockHolderScript } from './lock-race-scripts';
import { startRacerPool, type RacerLine } from './lock-racer-pool';

const fail = createErrorFactory('eval');

/** Racers spin until a start this far ahead, so all of them are already waiting when it comes. */
const ALIGN_AHEAD_MS = 40;
/**
 * Half the holds outlast the store's short wait for a busy lock, so later racers are refused; the
 * other half are a few ms, so the next racer gets in right as it is released.
 */
const HOLD_PAST_WAIT_MS = 60;
const MAX_DESCRIBED = 5;

export interface LockRaceOptions {
  /** Aligned starts on brand-new directories. Default: 600, or 60 with `quick`. */
  freshStarts?: number;
  /** Aligned starts right after the directory's holder was SIGKILLed. Default: 400, or 40 with `quick`. */
  crashStarts?: number;
  /** Processes racing at each start. Default: 3. */
  racers?: number;
  /** `file:` URL of the store entry point to race. Default: the built `@neuromem/store`. */
  entry?: string;
}

/** The built `@neuromem/store` as a `file:` URL: racers run what users run, not the TypeScript sources. */
export function builtStoreUrl(): string {
  const root = dirname(createRequire(import.meta.url).resolve('@neuromem/store/package.json'));
  const entry = join(root, 'dist', 'index.js');
  if (!existsSync(entry)) throw fail('INVALID_INPUT', `${entry} is missing: run "npm run build" first.`);
  return pathToFileURL(entry).href;
}

/**
 * Processes that open the same directory at the same instant: at most one may hold it at a time
 * (hold intervals never overlap), the others get `LOCKED`, never a raw error, and someone gets in.
 * Two variants: a brand-new directory, and one whose holder was just SIGKILLed while holding it.
 */
export function createLockRace(options: LockRaceOptions = {}): ChaosCheck {
  return async ({ quick, seed, workDir, onProgress }) => {
    const entry = options.entry ?? builtStoreUrl();
    const random = createRandom(seed);
    const variants = [
      { check: 'lock race, fresh', slug: 'fresh', starts: options.freshStarts ?? (quick ? 60 : 600), crash: false },
      { check: 'lock race, after a crash', slug: 'crash', starts: options.crashStarts ?? (quick ? 40 : 400), crash: true },
    ];
    const total = variants.reduce((sum, v) => sum + v.starts, 0);
    const failures: string[] = [];
    const describe = (text: string) => failures.length < MAX_DESCRIBED && failures.push(text);
    const rows: ChaosRow[] = [];
    const spreads: number[] = [];
    const counts = { doubleOpens: 0, unexpected: 0, noOpen: 0, seconds: 0 };
    let done = 0;

    const pool = await startRacerPool(entry, options.racers ?? 3);
    try {
      for (const { check, slug, starts, crash } of variants) {
        const began = performance.now();
        let failed = 0;
        let opens = 0;
        const variantSpreads: number[] = [];
        for (let round = 0; round < starts; round++) {
          const path = join(workDir, `${slug}-${round}`);
          const where = `${check}, start ${round} (seed ${seed})`;
          const problems: string[] = [];
          if (crash) {
            const holder = await runChild(lockHolderScript(entry, path), (line) => (line.t === 'holding' ? random() * 3 : undefined), 60_000);
            if (!holder.killed) problems.push(`the holder never held ${path}: ${JSON.stringify(holder.lines.at(-1))} ${holder.stderr.slice(-500)}`);
          }
          const at = process.hrtime.bigint() + BigInt(ALIGN_AHEAD_MS * 1e6);
          const lines = await pool.start({ round, path, at, holdMs: () => (random() < 0.5 ? 2 + random() * 4 : HOLD_PAST_WAIT_MS + random() * 20) });
          const judged = judgeStart(lines, at);
          problems.push(...judged.problems);
          counts.doubleOpens += judged.doubleOpens;
          counts.unexpected += judged.unexpected;
          if (judged.opens === 0) counts.noOpen++;
          opens += judged.opens;
          variantSpreads.push(judged.spreadMs);
          if (problems.length > 0) {
            failed++;
            describe(`${where}: ${problems.join('; ')}`);
          }
          rmSync(path, { recursive: true, force: true });
          onProgress?.(++done, total);
        }
        const seconds = (performance.now() - began) / 1000;
        counts.seconds += seconds;
        spreads.push(...variantSpreads);
        rows.push({
          check,
          runs: starts,
          failures: failed,
          detail: `${pool.size} racers/start, start spread p95 ${percentile(variantSpreads, 95).toFixed(2)} ms, ${(opens / Math.max(1, starts)).toFixed(2)} opens/start, ${seconds.toFixed(0)} s`,
        });
      }
    } finally {
      pool.stop();
    }
    return {
      rows,
      failures,
      figures: {
        lockRaceStarts: total,
        lockRaceDoubleOpens: counts.doubleOpens,
        lockRaceUnexpectedErrors: counts.unexpected,
        lockRaceStartsWithoutOpen: counts.noOpen,
        lockRaceSpreadP95Ms: percentile(spreads, 95),
        lockRaceSeconds: Math.round(counts.seconds),
      },
    };
  };
}

export const runLockRace: ChaosCheck = createLockRace();

interface Judged {
  opens: number;
  doubleOpens: number;
  unexpected: number;
  /** Time between the first and the last racer starting its open. */
  spreadMs: number;
  problems: string[];
}

/** Hold intervals that overlap are a double open; any answer but a hold or a `LOCKED` refusal is unexpected. */
function judgeStart(lines: RacerLine[], at: bigint): Judged {
  const ms = (t: bigint) => (Number(t - at) / 1e6).toFixed(2);
  const problems: string[] = [];
  const held = lines.flatMap((line, racer) => (line.t === 'held' ? [{ racer, acquired: BigInt(line.acquired as string), released: BigInt(line.released as string) }] : []));
  let doubleOpens = 0;
  for (let i = 0; i < held.length; i++) {
    for (let j = i + 1; j < held.length; j++) {
      const a = held[i]!;
      const b = held[j]!;
      if (a.acquired < b.released && b.acquired < a.released) {
        doubleOpens++;
        problems.push(`racers ${a.racer} and ${b.racer} held it at once ([${ms(a.acquired)}, ${ms(a.released)}] and [${ms(b.acquired)}, ${ms(b.released)}] ms after the start)`);
      }
    }
  }
  let unexpected = 0;
  for (const [racer, line] of lines.entries()) {
    if (line.t === 'held' || (line.t === 'refused' && line.name === 'NeuroMemError' && line.code === 'LOCKED')) continue;
    unexpected++;
    const raw = line.t === 'refused' && line.name !== 'NeuroMemError' ? 'raw ' : '';
    problems.push(`racer ${racer}: ${raw}${line.t} ${JSON.stringify({ ...line, t: undefined, began: undefined })}`);
  }
  if (held.length === 0 && unexpected === 0) problems.push('every racer got LOCKED though no process held the directory');
  const starts = lines.flatMap((line) => (typeof line.began === 'string' ? [BigInt(line.began)] : []));
  // BigInts: Math.max and Math.min would throw on them.
  // biome-ignore lint/complexity/useMathMinMax: the starts are BigInt nanoseconds
  const spreadMs = starts.length < 2 ? 0 : Number(starts.reduce((a, b) => (b > a ? b : a)) - starts.reduce((a, b) => (b < a ? b : a))) / 1e6;
  return { opens: held.length, doubleOpens, unexpected, spreadMs, problems };
}

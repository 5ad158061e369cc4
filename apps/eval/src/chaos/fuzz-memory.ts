import fc from 'fast-check';
import { describeValue, isNeuroMemError } from '@neuromem/core';
import type { Memory } from 'neuromem';
import type { ChaosCheck, ChaosCheckOptions, ChaosCheckResult, ChaosRow } from './chaos-check';
import { createFuzzTarget, loadSharedModels, type FuzzTarget, type SharedModels } from './fuzz-target';
import { ARGUMENTS, FUZZED_METHODS, KnownId, type FuzzedMethod } from './hostile-arbitraries';
import { checkResult } from './fuzz-results';

/** A call that has not settled after this long counts as a hang. */
const HANG_MS = 10_000;
/** What bad input may be answered with; any other code (STORAGE for a wrong type, say) misreports it. */
const INPUT_CODES = new Set(['INVALID_INPUT', 'NOT_FOUND']);
/** The methods also fuzzed on disk, where close() is followed by a reopen that must find everything. */
export const DISK_METHODS: readonly FuzzedMethod[] = ['add', 'search', 'update', 'delete', 'deleteAll', 'close'];

export interface FuzzOptions extends ChaosCheckOptions {
  /** Cases per method on the in-memory memory. */
  cases: number;
  /** Cases per method of `DISK_METHODS` on a memory in `workDir`. */
  diskCases: number;
  /** Replaces the memory under test, e.g. by a faulty one, to show that the check catches it. */
  wrap?: (memory: Memory) => Memory;
}

/** Counts of one method's cases; `problems` describes the first few failures. */
export interface Tally {
  cases: number;
  accepted: number;
  rejected: Record<string, number>;
  raw: number;
  changedOnRejection: number;
  polluted: number;
  hangs: number;
  badResults: number;
  /** 1 when the run itself broke off (seeding or reading the state failed), which hides the cases left. */
  aborted: number;
  problems: string[];
}

export const emptyTally = (): Tally => ({ cases: 0, accepted: 0, rejected: {}, raw: 0, changedOnRejection: 0, polluted: 0, hangs: 0, badResults: 0, aborted: 0, problems: [] });
export const failuresOf = (t: Tally) => t.raw + t.changedOnRejection + t.polluted + t.hangs + t.badResults + t.aborted;

/**
 * Issue 12: every public method of a memory answers hostile input (wrong types, null, NaN, huge or
 * broken strings, deep objects, `__proto__` keys, impossible dates, unknown ids) with a valid result
 * or a NeuroMemError, leaves the memory unchanged when it rejects, never hangs and never pollutes a
 * prototype. One row per method, plus one for the methods fuzzed on disk.
 */
export const runFuzz: ChaosCheck = (options) => runFuzzOf({ ...options, cases: options.quick ? 300 : 10_000, diskCases: options.quick ? 50 : 1_000 });

export async function runFuzzOf(options: FuzzOptions): Promise<ChaosCheckResult> {
  const models = await loadSharedModels();
  const total = options.cases * FUZZED_METHODS.length + options.diskCases * DISK_METHODS.length;
  let done = 0;
  const onCase = () => options.onProgress?.(++done, total);
  const rows: ChaosRow[] = [];
  const failures: string[] = [];
  const figures: Record<string, number> = { fuzzCases: 0, fuzzFailures: 0, fuzzRejected: 0 };

  const runs = [
    { label: '', methods: FUZZED_METHODS, cases: options.cases },
    { label: ' on disk', methods: DISK_METHODS, cases: options.diskCases, path: options.workDir },
  ].filter((run) => run.cases > 0);
  for (const run of runs) {
    const holder = { target: await createFuzzTarget({ models, ...(run.path ? { path: run.path } : {}), ...(options.wrap ? { wrap: options.wrap } : {}) }), models, path: run.path, wrap: options.wrap };
    const tallies: Array<[FuzzedMethod, Tally]> = [];
    try {
      for (const [i, method] of run.methods.entries()) {
        const tally = emptyTally();
        const details = await fc.check(fuzzProperty(holder, method, tally, { strict: false, onCase }), { numRuns: run.cases, seed: options.seed + i });
        if (details.failed) {
          tally.aborted++;
          tally.problems.push(`the run broke off after ${tally.cases} cases (seed ${options.seed + i}): ${describeError(details.errorInstance)}`);
        }
        tallies.push([method, tally]);
      }
    } finally {
      await holder.target.close().catch(() => undefined);
    }
    const describe = (method: FuzzedMethod, t: Tally) => `${method}: ${summary(t)}`;
    if (run.path) {
      const sum = tallies.reduce((all, [, t]) => merge(all, t), emptyTally());
      rows.push({ check: `fuzz${run.label} (${run.methods.join(', ')})`, runs: sum.cases, failures: failuresOf(sum), detail: tallies.map(([m, t]) => describe(m, t)).join('; ') });
    } else {
      for (const [method, t] of tallies) rows.push({ check: `fuzz ${method}()`, runs: t.cases, failures: failuresOf(t), detail: summary(t) });
    }
    for (const [method, t] of tallies) {
      failures.push(...t.problems.map((problem) => `fuzz${run.label} ${method}: ${problem}`));
      figures.fuzzCases! += t.cases;
      figures.fuzzFailures! += failuresOf(t);
      figures.fuzzRejected! += Object.values(t.rejected).reduce((a, b) => a + b, 0);
    }
  }
  return { rows, failures: failures.slice(0, 20), figures };
}

/** The property behind one row: each generated argument list goes to `method` and the answer is judged. */
export function fuzzProperty(
  holder: { target: FuzzTarget; models: SharedModels; path?: string | undefined; wrap?: ((memory: Memory) => Memory) | undefined },
  method: FuzzedMethod,
  tally: Tally,
  options: { strict: boolean; onCase?: () => void },
) {
  let replaced = 0;
  return fc.asyncProperty(ARGUMENTS[method] as fc.Arbitrary<unknown[]>, async (args) => {
    const problem = await runCase(holder.target, method, args, tally);
    options.onCase?.();
    if (problem === 'hang') {
      // The hung call may still hold the memory (and its directory's lock): start over beside it.
      const path = holder.path === undefined ? undefined : `${holder.path}-after-hang-${++replaced}`;
      holder.target = await createFuzzTarget({ models: holder.models, ...(path ? { path } : {}), ...(holder.wrap ? { wrap: holder.wrap } : {}) });
    }
    if (problem !== undefined && options.strict) throw new Error(tally.problems.at(-1) ?? problem);
  });
}

/** Runs one case; returns what went wrong (and counts it), or undefined. */
export async function runCase(target: FuzzTarget, method: FuzzedMethod, args: unknown[], tally: Tally): Promise<string | undefined> {
  tally.cases++;
  const resolved = args.map((arg) => (arg instanceof KnownId ? target.ids[arg.index % target.ids.length] : arg));
  const before = target.current;
  const prototypes = prototypeKeys();
  const fail = (kind: keyof Tally, reason: string) => {
    (tally[kind] as number)++;
    if (tally.problems.length < 5) tally.problems.push(`${method}(${preview(resolved)}): ${reason}`);
    return reason;
  };
  let outcome: { ok: true; value: unknown } | { ok: false; error: unknown };
  try {
    outcome = { ok: true, value: await withTimeout((target.memory[method] as (...a: unknown[]) => Promise<unknown>)(...resolved)) };
  } catch (error) {
    outcome = { ok: false, error };
  }
  const pollution = prototypeKeys().filter((key) => !prototypes.includes(key));
  if (pollution.length > 0 || ({} as Record<string, unknown>).polluted !== undefined) {
    cleanPrototypes(prototypes);
    return fail('polluted', `a prototype gained ${pollution.join(', ') || 'polluted'}`);
  }
  if (!outcome.ok && outcome.error === HANG) return (fail('hangs', `no answer after ${HANG_MS / 1000} s`), 'hang');

  if (!outcome.ok) {
    const { error } = outcome;
    if (!isNeuroMemError(error)) return fail('raw', `raw ${describeError(error)}`);
    if (!INPUT_CODES.has(error.code)) return fail('raw', `${error.code} for bad input: ${error.message.slice(0, 160)}`);
    tally.rejected[error.code] = (tally.rejected[error.code] ?? 0) + 1;
    const after = await target.digest();
    if (after.data !== before.data || after.access !== before.access) {
      await target.reseed();
      return fail('changedOnRejection', `rejected with ${error.code} but the memory changed`);
    }
    return undefined;
  }

  tally.accepted++;
  const wrong = await checkResult(target, method, resolved, outcome.value);
  if (method === 'close') await target.reopen();
  const after = await target.digest();
  if (method === 'close' && target.persistent && (after.data !== before.data || after.access !== before.access)) {
    await target.reseed();
    return fail('badResults', 'the memory differs after close() and reopening');
  }
  if (after.data !== target.seeded.data) await target.reseed();
  else target.current = after;
  return wrong === undefined ? undefined : fail('badResults', wrong);
}

const HANG = Symbol('hang');

async function withTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(HANG), HANG_MS)))]);
  } finally {
    clearTimeout(timer);
  }
}

const PROTOTYPES = [Object.prototype, Array.prototype, Function.prototype, String.prototype];
const prototypeKeys = () => PROTOTYPES.flatMap((proto, i) => Reflect.ownKeys(proto).map((key) => `${i}:${String(key)}`));

function cleanPrototypes(keep: readonly string[]): void {
  PROTOTYPES.forEach((proto, i) => {
    for (const key of Reflect.ownKeys(proto)) if (!keep.includes(`${i}:${String(key)}`)) delete (proto as Record<PropertyKey, unknown>)[key];
  });
}

function describeError(error: unknown): string {
  try {
    return error instanceof Error ? `${error.name}: ${error.message.slice(0, 160)}` : describeValue(error);
  } catch {
    return 'an unprintable error';
  }
}

/** The arguments, short and never throwing, for a failure report. */
function preview(args: unknown[]): string {
  try {
    const text = JSON.stringify(args, (_key, value: unknown) => (typeof value === 'bigint' || typeof value === 'symbol' || typeof value === 'function' ? String(value) : value));
    return text === undefined ? 'undefined' : text.length > 200 ? `${text.slice(0, 200)}…` : text;
  } catch {
    return args.map(describeValue).join(', ');
  }
}

function summary(t: Tally): string {
  const codes =
    Object.entries(t.rejected)
      .map(([code, n]) => `${n} ${code}`)
      .join(', ') || '0';
  const wrong =
    failuresOf(t) === 0
      ? ''
      : `; ${t.raw} raw errors, ${t.changedOnRejection} changes on rejection, ${t.polluted} pollutions, ${t.hangs} hangs, ${t.badResults} bad results${t.aborted ? ', broke off' : ''}`;
  return `${t.accepted} accepted, rejected ${codes}${wrong}`;
}

function merge(a: Tally, b: Tally): Tally {
  const rejected = { ...a.rejected };
  for (const [code, n] of Object.entries(b.rejected)) rejected[code] = (rejected[code] ?? 0) + n;
  const sum = (key: 'cases' | 'accepted' | 'raw' | 'changedOnRejection' | 'polluted' | 'hangs' | 'badResults' | 'aborted') => a[key] + b[key];
  return {
    cases: sum('cases'),
    accepted: sum('accepted'),
    rejected,
    raw: sum('raw'),
    changedOnRejection: sum('changedOnRejection'),
    polluted: sum('polluted'),
    hangs: sum('hangs'),
    badResults: sum('badResults'),
    aborted: sum('aborted'),
    problems: [...a.problems, ...b.problems],
  };
}

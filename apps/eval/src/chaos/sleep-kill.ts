import { join } from 'node:path';
import { createRandom } from '@neuromem/core/testing';
import { DEFAULT_LINKS_PER_MEMORY, factOf, isExpired } from '@neuromem/agents';
import { createMemory, type Memory as AnyMemory, type SqliteMemoryStore } from 'neuromem';
import { percentile } from '../metrics/retrieval-metrics';
import type { ChaosCheck, ChaosCheckOptions, ChaosCheckResult } from './chaos-check';
import { builtNeuromemUrl, runChild, type ChildLine } from './child-process';
import { FACT_KINDS, sleepFactText, type FactKind } from './sleep-fact-texts';
import { journaledActions, linkKeysOf } from './sleep-interleavings';
import { sqliteIntegrity } from './sqlite-integrity';

type Memory = AnyMemory<SqliteMemoryStore>;

const DAY = 86_400_000;
const USERS = 6;
/** Memories written before the first kill, over `USERS` users. */
const SEEDED = 300;
/** New memories each child adds before it sleeps: 2..this many. */
const MAX_ADDS = 6;
const MAX_DELAY_MS = 30;
const FULL_KILLS = 50;
const QUICK_KILLS = 6;

export interface SleepKillOptions extends ChaosCheckOptions {
  kills?: number;
  /** Memories written before the first kill (default 300). */
  seeded?: number;
  /** After the last round, check that one more finished sleep makes again the links rollbacks removed (default true). */
  redo?: boolean;
}

/** A memory the parent saw acknowledged (seeded in-process, or added by a child before the kill). */
interface Known {
  id: string;
  userId: string;
  text: string;
  expiresAt?: number;
  /** Tombstoned once expired, by a sleep's forgetting agent (no user deletes here). */
  forgotten: boolean;
}

/** One memory a child adds before its sleep. */
interface ChildAdd {
  userId: string;
  text: string;
  expiresAt?: number;
}

/**
 * The program a sleep-kill child runs: opens the durable memory, adds the given memories (one
 * `ack` line each, printed once the call returned), then sleeps with a 60 s budget (and a storage
 * budget: half of each user's memories keep their vectors), printing a
 * `sleep` line as it starts, a `progress` line per progress event and `slept` when it returns.
 * Lines are written synchronously, so a line on the pipe happened before any kill.
 */
export function sleepKillChildScript(options: { entry: string; path: string; adds: ChildAdd[] }): string {
  const { entry, ...config } = options;
  return `
import { writeSync } from 'node:fs';
import { createMemory } from ${JSON.stringify(entry)};
const config = ${JSON.stringify(config)};
const say = (line) => writeSync(1, JSON.stringify(line) + '\\n');
let step = 'open';
try {
  const memory = await createMemory({ path: config.path });
  say({ t: 'open' });
  step = 'add';
  for (const add of config.adds) {
    const { results } = await memory.add(add.text, { userId: add.userId, ...(add.expiresAt !== undefined ? { expirationDate: add.expiresAt } : {}) });
    say({ t: 'ack', ids: results.map((r) => r.id), texts: results.map((r) => r.memory), userId: add.userId, expiresAt: add.expiresAt });
  }
  step = 'sleep';
  say({ t: 'sleep' });
  const report = await memory.sleep({ budgetMs: 60000, warmShare: 0.5, onProgress: (progress) => say({ t: 'progress', ...progress }) });
  say({ t: 'slept', runId: report.runId, done: report.done, rolledBack: report.rolledBack });
} catch (error) {
  say({ t: 'error', op: step, code: error?.code, message: String(error?.message ?? error) });
  process.exit(1);
}
setInterval(() => {}, 1000); // wait for the kill
`;
}

/** `neuromem-eval chaos`: SIGKILLs a process in the middle of `memory.sleep()`, over and over. */
export const runSleepKill: ChaosCheck = (options) => sleepKill(options);

/**
 * A durable memory seeded with a few hundred memories of six users (facts that change, some
 * expiring). Each round a child opens it, adds a few memories and sleeps; it is SIGKILLed after a
 * random number of its sleep's progress lines plus 0-30 ms (sometimes after the sleep finished).
 * The parent then opens the memory (which rolls back a sleep the kill cut short) and checks: every
 * acknowledged memory is there with its text and version 1, or was tombstoned after it expired;
 * histories hold only ADD and that expiry DELETE; no run is left `running`; every `supersedes` link
 * was journaled by a run that is `done` and joins two memories of one user, and every link of a
 * `done` run is still there (a rollback removes its own links only); SQLite's integrity check passes.
 */
export async function sleepKill(options: SleepKillOptions): Promise<ChaosCheckResult> {
  const { seed, workDir, onProgress } = options;
  const kills = options.kills ?? (options.quick ? QUICK_KILLS : FULL_KILLS);
  const random = createRandom(seed);
  const chance = (p: number) => random() < p;
  const below = (n: number) => Math.floor(random() * n);
  const path = join(workDir, 'memory');
  const entry = builtNeuromemUrl();
  const users = Array.from({ length: USERS }, (_, i) => `sleeper-${i}`);
  // Three kinds of fact each: enough restatements of each for the consolidation agent to link.
  const kindsOf = new Map(users.map((userId) => [userId, threeFacts(random)]));
  const known = new Map<string, Known>();
  /** Links journaled by runs seen `done`, with the run: kept after the journal drops old runs. */
  const doneLinks = new Map<string, string>();
  /** Links journaled by runs seen rolled back or undone. */
  const reversedLinks = new Map<string, string>();
  /** Runs whose final status (and links) have been read. */
  const settledRuns = new Set<string>();

  const failures: string[] = [];
  const counts = {
    lost: 0,
    changed: 0,
    unexpected: 0,
    history: 0,
    leftRunning: 0,
    wrongStatus: 0,
    foreignLinks: 0,
    leftoverLinks: 0,
    doneLinksRemoved: 0,
    integrity: 0,
    tiers: 0,
    childFailures: 0,
    reopenFailures: 0,
  };
  const stats = { killed: 0, midSleep: 0, afterSleep: 0, beforeSleep: 0, rolledBack: 0, linksChecked: 0, forgotten: 0, facts: 0, faded: 0 };
  /** Memories without vectors when the last round was checked: what a rolled-back sleep must leave as it found. */
  let coldBefore = new Set<string>();
  const reopenMs: number[] = [];
  let failedRounds = 0;

  // The seed: a year of each user's statements, some expiring (a few already expired, most during the rounds).
  const seeded = options.seeded ?? SEEDED;
  const start = Date.now();
  const memory = await createMemory({ path });
  try {
    for (let i = 0; i < seeded; i++) {
      const userId = users[below(users.length)]!;
      const text = sleepFactText(random, kindsOf.get(userId)!);
      const roll = random();
      const expiresAt = roll < 0.05 ? start - DAY : roll < 0.12 ? start + 5_000 + below(60_000) : undefined;
      const { results } = await memory.add(text, { userId, timestamp: start - 365 * DAY + Math.round((i * 300 * DAY) / seeded), ...(expiresAt !== undefined ? { expirationDate: expiresAt } : {}) });
      const id = results[0]!.id;
      known.set(id, { id, userId, text, forgotten: false, ...(expiresAt !== undefined ? { expiresAt } : {}) });
    }
  } finally {
    await memory.close();
  }

  for (let round = 0; round < kills; round++) {
    const findings: string[] = [];
    const found = (kind: keyof typeof counts, message: string) => {
      counts[kind]++;
      findings.push(message);
    };
    const adds: ChildAdd[] = Array.from({ length: 2 + below(MAX_ADDS - 1) }, () => {
      const userId = users[below(users.length)]!;
      return { userId, text: sleepFactText(random, kindsOf.get(userId)!), ...(chance(0.15) ? { expiresAt: Date.now() + 1_000 + below(60_000) } : {}) };
    });
    // Kill after the triggerAt-th line of the sleep (its start is line 0), or once it has finished:
    // a sleep reports each of its three per-user agents (consolidation, facts, forgetting) per user,
    // then its two store-wide ones, then `slept`.
    const triggerAt = below(3 * USERS + 4);
    const delayMs = random() * MAX_DELAY_MS;
    let seen = -1;
    const run = await runChild(sleepKillChildScript({ entry, path, adds }), (line) =>
      (line.t === 'sleep' || line.t === 'progress' || line.t === 'slept') && (++seen === triggerAt || line.t === 'slept') ? delayMs : undefined,
    );
    for (const line of run.lines) {
      if (line.t === 'ack') {
        const ids = line.ids as string[];
        const texts = line.texts as string[];
        ids.forEach((id, i) => known.set(id, { id, userId: line.userId as string, text: texts[i]!, forgotten: false, ...(typeof line.expiresAt === 'number' ? { expiresAt: line.expiresAt } : {}) }));
      } else if (line.t === 'error') found('childFailures', `the child's ${String(line.op)} failed: ${String(line.code)} ${String(line.message)}`);
    }
    const slept = run.lines.find((line) => line.t === 'slept') as (ChildLine & { runId: string }) | undefined;
    const began = run.lines.some((line) => line.t === 'sleep');
    if (!run.killed && !run.lines.some((line) => line.t === 'error')) found('childFailures', `the child ended before the kill (exit ${run.code}): ${run.stderr.slice(0, 500)}`);
    if (run.killed) stats.killed++;
    if (slept) stats.afterSleep++;
    else if (began) stats.midSleep++;
    else stats.beforeSleep++;

    await checkAfterKill(slept, found);
    if (findings.length > 0) {
      failedRounds++;
      const where = slept ? 'after the sleep finished' : began ? `mid-sleep (after ${run.lines.filter((line) => line.t === 'progress').length} progress lines)` : 'before the sleep began';
      for (const message of findings) if (failures.length < 10) failures.push(`sleep kill, seed ${seed}, round ${round} (killed ${where}): ${message}`);
    }
    onProgress?.(round + 1, kills);
    if (counts.reopenFailures > 0) break; // a memory that cannot be reopened ends the run: later rounds would only repeat it
  }

  async function checkAfterKill(slept: { runId: string } | undefined, found: (kind: keyof typeof counts, message: string) => void): Promise<void> {
    const started = performance.now();
    let reopened: Memory;
    try {
      reopened = await createMemory({ path });
    } catch (error) {
      found('reopenFailures', `reopening after the kill failed: ${(error as Error).message}`);
      return;
    }
    reopenMs.push(performance.now() - started);
    try {
      await checkMemory(reopened, slept, found);
    } finally {
      await reopened.close();
    }
    const integrity = sqliteIntegrity(join(path, 'memory.db'));
    if (integrity !== 'ok') found('integrity', `memory.db fails SQLite's integrity check: ${integrity}`);
  }

  async function checkMemory(memory: Memory, slept: { runId: string } | undefined, found: (kind: keyof typeof counts, message: string) => void): Promise<void> {
    const now = Date.now();
    const expired = (m: Known) => m.expiresAt !== undefined && m.expiresAt <= now;

    // The journal: nothing left running, the child's finished run done, a cut-short one rolled back.
    const runs = await memory.sleepRuns();
    // This round's run finished when the journal says so, whether or not the child lived to print it.
    const finishedNow = runs.some((entry) => entry.status === 'done' && !settledRuns.has(entry.runId));
    for (const entry of runs) {
      if (entry.status === 'running') found('leftRunning', `run ${entry.runId} is still running in the journal after reopening`);
      if (slept && entry.runId === slept.runId && entry.status !== 'done') found('wrongStatus', `run ${entry.runId} finished before the kill but is ${entry.status}`);
      if (entry.status === 'rolled-back' && !settledRuns.has(entry.runId) && entry.runId !== slept?.runId) stats.rolledBack++;
      if (settledRuns.has(entry.runId) || entry.status === 'running') continue;
      settledRuns.add(entry.runId);
      const links = linkKeysOf(await journaledActions(memory.store, entry.runId));
      for (const key of links) (entry.status === 'done' ? doneLinks : reversedLinks).set(key, entry.runId);
    }
    if (slept && !runs.some((entry) => entry.runId === slept.runId)) found('wrongStatus', `run ${slept.runId} finished before the kill but is not in the journal`);

    // Every acknowledged memory, as written (or tombstoned once expired), with only the events its user caused.
    const ids = [...known.keys()];
    const current = new Map((await memory.store.getMany(ids)).map((record) => [record.id, record]));
    for (const m of known.values()) {
      const record = current.get(m.id);
      const actions = (await memory.history(m.id)).map((item) => item.action);
      if (record) {
        if (m.forgotten) found('lost', `${m.id} of ${m.userId} was tombstoned after it expired, but it is back`);
        else if (record.text !== m.text || record.version !== 1 || record.scope.userId !== m.userId)
          found('changed', `${m.id} of ${m.userId} should read "${m.text}" (version 1) but reads "${record.text}" (version ${record.version}, user ${record.scope.userId})`);
        if (actions.join() !== 'ADD') found('history', `the history of ${m.id} (current) is [${actions}], expected [ADD]`);
        continue;
      }
      if (!m.forgotten && !(expired(m) && actions.join() === 'ADD,DELETE')) {
        found('lost', `${m.id} of ${m.userId} ("${m.text}", ${m.expiresAt === undefined ? 'never expires' : `expires in ${Math.round((m.expiresAt - now) / 1000)} s`}) is gone; history [${actions}]`);
      } else if (m.forgotten && actions.join() !== 'ADD,DELETE') found('history', `the history of ${m.id} (tombstoned when it expired) is [${actions}], expected [ADD, DELETE]`);
      if (!m.forgotten) stats.forgotten++;
      m.forgotten = true;
    }
    for (const userId of users) {
      // What users stored; the consolidated facts sleeps derive from it are checked apart below.
      const stored = await memory.store.count({ scope: { userId }, kinds: ['episodic'] });
      const expected = [...known.values()].filter((m) => m.userId === userId && !m.forgotten).length;
      if (stored !== expected) found('unexpected', `${userId} has ${stored} current memories, ${expected} acknowledged`);
      // A fact left by a finished run quotes only its owner's current memories; one a rolled-back run wrote is gone.
      for (const record of await memory.store.list({ scope: { userId }, kinds: ['semantic'] })) {
        const fact = factOf(record);
        // Expired with one of its versions: hidden from every read, and the next sleep tombstones it.
        if (!fact || isExpired(record.metadata, Date.now())) continue;
        stats.facts++;
        const versions = await memory.store.getMany(fact.timeline.map((version) => version.memoryId));
        if (versions.length !== fact.timeline.length || versions.some((version) => version.scope.userId !== userId))
          found('unexpected', `fact ${record.id} of ${userId} quotes ${fact.timeline.length - versions.filter((v) => v.scope.userId === userId).length} memories that are gone or not theirs`);
      }
    }

    // Tiers: a sleep cut short is rolled back to the vectors it found (the round's new memories warm);
    // a finished one keeps what it did (its `done` may be written just before the kill).
    const live = [...current.keys()];
    const warm = await memory.store.vectors(live, 'turn');
    const cold = new Set(live.filter((id) => !warm.has(id)));
    if (!finishedNow) {
      const expected = new Set(live.filter((id) => coldBefore.has(id)));
      const differ = [...new Set([...cold, ...expected])].filter((id) => cold.has(id) !== expected.has(id));
      if (differ.length > 0)
        found('tiers', `after a rollback ${differ.length} memories are not in the tier the sleep found them in (e.g. ${differ[0]}: ${cold.has(differ[0]!) ? 'cold, was warm' : 'warm, was cold'})`);
    }
    stats.faded = Math.max(stats.faded, cold.size);
    coldBefore = cold;

    // Links: each one present journaled by a done run, within one user; each one of a done run present.
    const present = new Set<string>();
    for (const id of ids) {
      for (const edge of await memory.store.edges(id)) {
        const key = `${edge.from}>${edge.to}`;
        if (edge.type !== 'supersedes' || present.has(key)) continue;
        present.add(key);
        stats.linksChecked++;
        const [from, to] = [known.get(edge.from), known.get(edge.to)];
        if (!from || !to || from.userId !== to.userId) found('foreignLinks', `a supersedes link ${key} joins ${from?.userId ?? 'an unknown memory'} to ${to?.userId ?? 'an unknown memory'}`);
        if (!doneLinks.has(key))
          found('leftoverLinks', `the supersedes link ${key} is there, but ${reversedLinks.has(key) ? `its run ${reversedLinks.get(key)} was rolled back` : 'no finished run journaled it'}`);
      }
    }
    for (const [key, runId] of doneLinks) {
      if (present.has(key)) continue;
      const by = reversedLinks.has(key) ? ` (run ${reversedLinks.get(key)}, rolled back, had journaled the same link)` : '';
      found('doneLinksRemoved', `the link ${key} of run ${runId}, which is done, is gone${by}`);
      doneLinks.delete(key); // counted once
    }
  }

  // A rollback returns the memory to where it was before the sleep, so the next sleep that finishes
  // reads again the memories the rolled-back runs had linked, and links each as it would have: the
  // same link, or, where one of its older candidates was deleted or expired meanwhile, a likelier
  // statement that the gone one had kept out of its nearest (then it has its full
  // `DEFAULT_LINKS_PER_MEMORY`). A memory left with fewer links than that was not redone.
  const redo = { checked: 0, missing: 0, displaced: 0 };
  if ((options.redo ?? true) && counts.reopenFailures === 0 && reversedLinks.size > 0) {
    const memory = await createMemory({ path });
    try {
      const report = await memory.sleep({ budgetMs: 60_000 });
      const remade = new Set(linkKeysOf(await journaledActions(memory.store, report.runId)));
      const current = new Set((await memory.store.getMany([...known.keys()])).map((record) => record.id));
      const present = new Set<string>();
      for (const id of current) for (const edge of await memory.store.edges(id)) if (edge.type === 'supersedes') present.add(`${edge.from}>${edge.to}`);
      const missing: string[] = [];
      for (const [key, runId] of reversedLinks) {
        const [from, to] = key.split('>') as [string, string];
        if (!current.has(from) || !current.has(to) || present.has(key)) continue;
        redo.checked++;
        if ([...present].filter((link) => link.startsWith(`${from}>`)).length >= DEFAULT_LINKS_PER_MEMORY) {
          redo.displaced++;
          continue;
        }
        missing.push(`${key} (rolled back with run ${runId})`);
      }
      for (const key of reversedLinks.keys()) if (present.has(key)) redo.checked++;
      redo.missing = missing.length;
      if (missing.length > 0 && failures.length < 10) {
        failures.push(
          `sleep kill, seed ${seed}, after the last round: a finished sleep (run ${report.runId}, ${remade.size} links made) did not make again ${missing.length} of the ${redo.checked} links ` +
            `rolled-back runs had made between current memories, e.g. ${missing.slice(0, 3).join(', ')}`,
        );
      }
    } finally {
      await memory.close();
    }
  }

  const ms = (p: number) => Math.round(percentile(reopenMs, p));
  return {
    rows: [
      {
        check: 'SIGKILL during sleep',
        runs: kills,
        failures: failedRounds,
        detail:
          `${stats.midSleep} of ${kills} mid-sleep, ${stats.afterSleep} after it finished; ${stats.rolledBack} runs rolled back on reopen, ${stats.linksChecked.toLocaleString('en')} links, ${stats.facts.toLocaleString('en')} facts and ` +
          `${known.size.toLocaleString('en')} memories checked (up to ${stats.faded} without vectors at a check, each rolled-back sleep's tiers restored), ${stats.forgotten} expiries tombstoned; reopen p50 ${ms(50)} ms, p95 ${ms(95)} ms`,
      },
      ...((options.redo ?? true)
        ? [
            {
              check: 'SIGKILL during sleep: rolled-back links made again',
              runs: redo.checked,
              failures: redo.missing,
              detail: `links of rolled-back runs between current memories, checked after one more finished sleep: ${redo.checked - redo.displaced - redo.missing} made again, ${redo.displaced} whose memory the sleep linked to likelier statements instead`,
            },
          ]
        : []),
    ],
    failures,
    figures: {
      sleepKills: kills,
      sleepKillRolledBackLinks: redo.checked,
      sleepKillRolledBackLinksNotRedone: redo.missing,
      sleepKillRolledBackLinksDisplaced: redo.displaced,
      sleepKillFailures: failedRounds,
      sleepKillsMidSleep: stats.midSleep,
      sleepKillsBeforeSleep: stats.beforeSleep,
      sleepKillsNotKilled: kills - stats.killed,
      sleepKillRolledBack: stats.rolledBack,
      sleepKillReopenP95Ms: ms(95),
      ...Object.fromEntries(Object.entries(counts).map(([kind, n]) => [`sleepKill_${kind}`, n])),
    },
  };
}

/** Three kinds of changing fact, and one-off outings. */
function threeFacts(random: () => number): FactKind[] {
  const facts = FACT_KINDS.filter((kind) => kind !== 'outing');
  for (let i = facts.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [facts[i], facts[j]] = [facts[j]!, facts[i]!];
  }
  return [...facts.slice(0, 3), 'outing'];
}

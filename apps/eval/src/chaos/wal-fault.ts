import { existsSync, rmSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { isNeuroMemError } from '@neuromem/core';
import { createMemory, type Memory as AnyMemory, type SqliteMemoryStore } from 'neuromem';

/** The embedded default, whose SQLite store can verify and reload its derived indexes. */
type Memory = AnyMemory<SqliteMemoryStore>;
import { builtNeuromemUrl, runChild } from './child-process';
import { crashChildScript } from './crash-child-script';
import { sqliteIntegrity } from './sqlite-integrity';

/** What one attack found: broken promises, and figures for the row's detail. */
export interface FaultOutcome {
  failures: string[];
  facts: Record<string, number>;
}

const USER = 'wal';

/**
 * Kills a writer, then deletes its WAL (`memory.db-wal`) or cuts it at a random byte, and reopens.
 * SQLite promises what memory.db holds (here: everything before a clean close) and, of the WAL, the
 * commits before the cut. So the reopened memory must hold the checkpointed memories and a prefix
 * of the acknowledged adds (never a hole), agree with its indexes, pass SQLite's integrity check
 * and take new writes; or refuse to open with a STORAGE error. Never a raw error.
 */
export async function walFault(mode: 'delete' | 'truncate', dir: string, random: () => number): Promise<FaultOutcome> {
  const failures: string[] = [];
  const below = (n: number) => Math.floor(random() * n);

  const checkpointed: Array<{ id: string; text: string }> = [];
  const before = await createMemory({ path: dir });
  for (let i = 0, n = 10 + below(20); i < n; i++) {
    const text = `checkpointed note ${i}: Maria booked ${below(90) + 10} nights in Lisbon`;
    const { results } = await before.add(text, { userId: USER, runId: 'before' });
    checkpointed.push({ id: results[0]!.id, text });
  }
  await before.close();

  const triggerAt = 20 + below(100);
  const delayMs = random() * 30;
  let seen = 0;
  const script = crashChildScript({ entry: builtNeuromemUrl(), path: dir, seed: below(2 ** 32), round: 0, userId: USER, session: 'after', mix: [['add', 1]], pool: [] });
  const run = await runChild(script, (line) => (line.t === 'ack' && ++seen === triggerAt ? delayMs : undefined));
  if (!run.killed) failures.push(`the writer ended before the kill (exit ${run.code}): ${run.stderr.slice(0, 300)}`);
  const acked = run.lines.filter((line) => line.t === 'ack').map((line) => ({ id: (line.ids as string[])[0]!, text: (line.texts as string[])[0]! }));

  const wal = join(dir, 'memory.db-wal');
  const walBytes = existsSync(wal) ? statSync(wal).size : 0;
  if (mode === 'delete') rmSync(wal, { force: true });
  else if (walBytes > 0) truncateSync(wal, below(walBytes + 1));

  let memory: Memory;
  try {
    memory = await createMemory({ path: dir });
    await memory.search('how many nights in Lisbon', { userId: USER });
  } catch (error) {
    if (!isNeuroMemError(error, 'STORAGE')) failures.push(`reopen failed with a raw error: ${String(error)}`);
    return { failures, facts: { refused: 1, acked: acked.length, kept: 0, walBytes } };
  }
  let kept = 0;
  try {
    const found = new Map((await memory.store.getMany([...checkpointed, ...acked].map((m) => m.id))).map((record) => [record.id, record.text]));
    const lost = checkpointed.filter((m) => found.get(m.id) !== m.text).length;
    if (lost > 0) failures.push(`${lost} of ${checkpointed.length} memories saved by a clean close are missing or changed`);
    kept = acked.findIndex((m) => !found.has(m.id));
    if (kept < 0) kept = acked.length;
    if (acked.slice(kept).some((m) => found.has(m.id))) failures.push(`acknowledged add ${kept + 1} of ${acked.length} is missing but later ones survived (not a prefix of the commits)`);
    if (acked.slice(0, kept).some((m) => found.get(m.id) !== m.text)) failures.push('a surviving acknowledged add has another text');
    const stored = await memory.store.count({ scope: { userId: USER } });
    // The add in flight at the kill may have committed too.
    if (stored < checkpointed.length + kept || stored > checkpointed.length + kept + 1) failures.push(`${stored} memories stored, ${checkpointed.length + kept} expected`);
    const problems = await memory.store.verifyIndexes();
    if (problems.length > 0) failures.push(`indexes disagree with SQLite after reopening: ${problems.join('; ')}`);
    await memory.add('written after the recovery', { userId: USER }).catch((error: Error) => failures.push(`an add after the recovery failed: ${error.message}`));
  } finally {
    await memory.close().catch((error: Error) => failures.push(`close after the recovery failed: ${error.message}`));
  }
  const integrity = sqliteIntegrity(join(dir, 'memory.db'));
  if (integrity !== 'ok') failures.push(`memory.db fails SQLite's integrity check: ${integrity}`);
  return { failures, facts: { refused: 0, acked: acked.length, kept, walBytes } };
}

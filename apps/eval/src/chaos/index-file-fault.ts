import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isNeuroMemError } from '@neuromem/core';
import { createMemory, type Memory as AnyMemory, type SqliteMemoryStore } from 'neuromem';

/** The embedded default, whose SQLite store can verify and reload its derived indexes. */
type Memory = AnyMemory<SqliteMemoryStore>;
import type { FaultOutcome } from './wal-fault';

const USER = 'index';

/**
 * Replaces a vector index file with a directory of the same name (running as root ignores file
 * modes, so this is how the index becomes unwritable), so that close() cannot save it. close() must
 * reject with STORAGE and still release the directory; no memory is lost; an open while the obstacle
 * stays succeeds or refuses with STORAGE; once it is removed, the next open rebuilds the index.
 */
export async function indexFileFault(dir: string, random: () => number): Promise<FaultOutcome> {
  const failures: string[] = [];
  const facts = { obstructedOpens: 0, obstructedRefusals: 0, rebuilt: 0 };
  const written: Array<{ id: string; text: string }> = [];
  const add = async (memory: Memory, count: number) => {
    for (let i = 0; i < count; i++) {
      const text = `memo ${written.length}: Priya moved the ${['piano', 'violin', 'kayak'][i % 3]} lesson to ${1 + Math.floor(random() * 28)} May`;
      const { results } = await memory.add(text, { userId: USER, runId: `s${written.length % 7}` });
      written.push({ id: results[0]!.id, text });
    }
  };

  // The vector indexes open on demand (owner-scoped searches never need them): opened here so
  // that their files exist and close() must save them.
  let memory = await createMemory({ path: dir });
  await memory.store.loadIndexes();
  await add(memory, 20 + Math.floor(random() * 30));
  await memory.close();
  memory = await createMemory({ path: dir });
  await memory.store.loadIndexes();
  await add(memory, 5 + Math.floor(random() * 15));
  const files = readdirSync(dir).filter((name) => name.endsWith('.usearch'));
  const victim = join(dir, files[Math.floor(random() * files.length)]!);
  rmSync(victim, { force: true });
  mkdirSync(victim);
  writeFileSync(join(victim, 'obstacle'), 'a directory where the index file belongs');

  const closed = await memory.close().then(
    () => 'resolved',
    (error: unknown) => (isNeuroMemError(error, 'STORAGE') ? 'STORAGE' : `a raw error: ${String(error)}`),
  );
  if (closed !== 'STORAGE') failures.push(`close() with ${victim} unwritable ${closed === 'resolved' ? 'reported success' : `failed with ${closed}`}`);

  // The obstacle is still there: open (which proves close() released the directory) or refuse, typed.
  try {
    const obstructed = await createMemory({ path: dir });
    facts.obstructedOpens++;
    await check(obstructed, written, 'while the index path is a directory', failures);
    await obstructed.close().catch((error: unknown) => {
      if (!isNeuroMemError(error, 'STORAGE')) failures.push(`close() with the obstacle failed with a raw error: ${String(error)}`);
    });
  } catch (error) {
    facts.obstructedRefusals++;
    if (!isNeuroMemError(error, 'STORAGE')) failures.push(`open with the obstacle failed with ${isNeuroMemError(error) ? error.code : 'a raw error'}: ${String(error)}`);
  }

  rmSync(victim, { recursive: true, force: true });
  try {
    memory = await createMemory({ path: dir });
  } catch (error) {
    failures.push(`open after the obstacle was removed failed: ${String(error)}`);
    return { failures, facts };
  }
  if (Object.values((await memory.store.loadIndexes()).vectorIndexes).includes('rebuilt')) facts.rebuilt++;
  await check(memory, written, 'after the obstacle was removed', failures);
  await add(memory, 1).catch((error: Error) => failures.push(`an add after recovery failed: ${error.message}`));
  await memory.close().catch((error: Error) => failures.push(`close() after recovery failed: ${error.message}`));
  return { failures, facts };
}

async function check(memory: Memory, written: Array<{ id: string; text: string }>, when: string, failures: string[]): Promise<void> {
  const found = new Map((await memory.store.getMany(written.map((m) => m.id))).map((record) => [record.id, record.text]));
  const lost = written.filter((m) => found.get(m.id) !== m.text).length;
  if (lost > 0) failures.push(`${lost} of ${written.length} acknowledged adds are missing or changed ${when}`);
  const problems = await memory.store.verifyIndexes();
  if (problems.length > 0) failures.push(`indexes disagree with SQLite ${when}: ${problems.join('; ')}`);
  await memory.search('when is the piano lesson', { userId: USER }).catch((error: Error) => failures.push(`search ${when} failed: ${error.message}`));
}

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isNeuroMemError } from '@neuromem/core';
import { createMemory, type Memory as AnyMemory, type SqliteMemoryStore } from 'neuromem';

/** The embedded default, whose SQLite store can verify and reload its derived indexes. */
type Memory = AnyMemory<SqliteMemoryStore>;
import type { FaultOutcome } from './wal-fault';

/** Room the filler holds back, handed to the memory once the disk has filled up. */
const FILLER_BYTES = 256 * 1024;
const MAX_ADDS = 50_000;
const USER = 'disk';

/** Whether this process may mount a tmpfs (root, or CAP_SYS_ADMIN); CI runners usually may not. */
export function canMountTmpfs(): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'neuromem-mount-'));
  try {
    mountTmpfs(dir, '64k');
    execFileSync('umount', [dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function mountTmpfs(dir: string, size: string): void {
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
}

/**
 * Fills a tmpfs of `size` (e.g. '2m': the WAL fills it; '8m': a checkpoint into memory.db does)
 * with memories until an add fails. That add must reject with a STORAGE error
 * that says the disk is full; every acknowledged add stays readable; searches keep answering;
 * close() succeeds or rejects with STORAGE and releases the directory; once the filler file is
 * deleted, the next open recovers (indexes agree with SQLite) and takes writes again.
 */
export async function diskFullFault(dir: string, random: () => number, size: string): Promise<FaultOutcome> {
  const failures: string[] = [];
  mkdirSync(dir, { recursive: true });
  mountTmpfs(dir, size);
  const path = join(dir, 'memory');
  let memory: Memory | undefined;
  const acked: Array<{ id: string; text: string }> = [];
  const facts = { adds: 0, closeFailed: 0 };
  try {
    writeFileSync(join(dir, 'filler'), Buffer.alloc(FILLER_BYTES));
    memory = await createMemory({ path });
    const topic = () => ['Lisbon', 'Kyoto', 'Oslo', 'Lima'][Math.floor(random() * 4)];
    let rejection: unknown;
    for (let i = 0; i < MAX_ADDS && rejection === undefined; i++) {
      const text = `note ${i}: Jonas plans a trip to ${topic()} with ${Math.floor(random() * 9) + 1} friends`;
      try {
        const { results } = await memory.add(text, { userId: USER, runId: `s${Math.floor(i / 20)}` });
        acked.push({ id: results[0]!.id, text });
      } catch (error) {
        rejection = error;
      }
    }
    facts.adds = acked.length;
    if (rejection === undefined) failures.push(`${MAX_ADDS} adds fit on a 2 MiB disk: the disk never filled`);
    else if (!isNeuroMemError(rejection, 'STORAGE')) failures.push(`the add on a full disk failed with ${isNeuroMemError(rejection) ? rejection.code : 'a raw error'}: ${String(rejection)}`);
    else if (!/disk is full|free (some )?(disk )?space/i.test(rejection.message)) failures.push(`the disk-full error does not say so: ${rejection.message}`);

    await memory.search(`trip to ${topic()}`, { userId: USER }).catch((error: Error) => failures.push(`search on a full disk failed: ${error.message}`));
    await checkAcked(memory, acked, 'on the full disk', failures);
    const closing = memory;
    memory = undefined;
    await closing.close().catch((error: unknown) => {
      facts.closeFailed = 1;
      if (!isNeuroMemError(error, 'STORAGE')) failures.push(`close() on a full disk failed with a raw error: ${String(error)}`);
    });

    rmSync(join(dir, 'filler'));
    // Also proves close() released the directory: a lock still held would refuse this open.
    memory = await createMemory({ path }).catch((error: Error) => {
      throw new Error(`reopening after space was freed failed: ${error.message}`);
    });
    await checkAcked(memory, acked, 'after space was freed', failures);
    const problems = await memory.store.verifyIndexes();
    if (problems.length > 0) failures.push(`indexes disagree with SQLite after space was freed: ${problems.join('; ')}`);
    await memory.add('written once space was freed', { userId: USER }).catch((error: Error) => failures.push(`an add after space was freed failed: ${error.message}`));
    await memory.search('written once space was freed', { userId: USER }).catch((error: Error) => failures.push(`search after space was freed failed: ${error.message}`));
  } catch (error) {
    failures.push(String(error));
  } finally {
    await memory?.close().catch((error: Error) => failures.push(`close failed: ${error.message}`));
    execFileSync('umount', [dir], { stdio: 'ignore' });
  }
  return { failures, facts };
}

async function checkAcked(memory: Memory, acked: Array<{ id: string; text: string }>, when: string, failures: string[]): Promise<void> {
  const found = new Map((await memory.store.getMany(acked.map((m) => m.id))).map((record) => [record.id, record.text]));
  const lost = acked.filter((m) => found.get(m.id) !== m.text).length;
  if (lost > 0) failures.push(`${lost} of ${acked.length} acknowledged adds are missing or changed ${when}`);
}

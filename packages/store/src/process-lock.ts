import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createErrorFactory } from '@neuromem/core';

const fail = createErrorFactory('store');

/** Directories this process holds, so a second open in the same process is refused too. */
const heldHere = new Set<string>();

export interface ProcessLock {
  release(): void;
}

/**
 * One writer per database directory. SQLite alone would allow two processes, but each would keep
 * its own derived vector index and graph, and they would drift apart; so we refuse the second one.
 * A lock left by a killed process (its pid no longer runs) is taken over.
 */
export function acquireProcessLock(directory: string): ProcessLock {
  const path = join(directory, 'LOCK');
  if (heldHere.has(path)) {
    throw fail('LOCKED', `${directory} is already open in this process; reuse that memory instance or close() it first.`, { details: { path } });
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      heldHere.add(path);
      const onExit = () => release();
      const release = () => {
        if (!heldHere.delete(path)) return;
        process.off('exit', onExit);
        try {
          unlinkSync(path);
        } catch {
          // Already gone: nothing to release.
        }
      };
      process.on('exit', onExit);
      return { release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw fail('STORAGE', `cannot create lock file ${path}: ${(error as Error).message}`, { cause: error });
      }
      const owner = Number.parseInt(safeRead(path), 10);
      if (Number.isInteger(owner) && owner > 0 && isRunning(owner)) {
        throw fail('LOCKED', `${directory} is in use by process ${owner}; close it there first (one process per database).`, { details: { path, pid: owner } });
      }
      try {
        unlinkSync(path); // stale lock from a process that died
      } catch {
        // Another process removed it first; retry the exclusive create.
      }
    }
  }
  throw fail('LOCKED', `could not take the lock ${path}; another process is opening the same database.`, { details: { path } });
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

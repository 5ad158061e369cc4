import { readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { createErrorFactory } from '@neuromem/core';

const fail = createErrorFactory('store');

/** Directories this process holds (by real path), so a second open in the same process is refused too. */
const heldHere = new Set<string>();

/**
 * How long an open waits out another opener's momentary lock. Processes racing for a free directory
 * briefly hold shared locks that fail each other's exclusive one; without a wait all could get LOCKED.
 */
const CONTENTION_WAIT_MS = 50;

export interface ProcessLock {
  release(): void;
}

/**
 * One process per database directory. SQLite alone would allow two, but each would keep its own
 * derived vector index and graph, and they would drift apart; so the second one is refused.
 *
 * The lock is SQLite's own, on `lock.db`: an exclusive transaction committed in exclusive locking
 * mode leaves an OS file lock (fcntl on POSIX, LockFileEx on Windows) held until the connection
 * closes. Taking it is one atomic step, and the OS drops it when the process dies, so a crash leaves
 * no stale lock to take over. Nothing in this process may open `lock.db` with `fs` meanwhile: on
 * POSIX, closing any descriptor of a file drops the process's locks on it.
 *
 * `LOCK` only names the holder's pid, for the refusal message (and for NeuroMem versions before
 * `lock.db`, which refuse a directory whose `LOCK` names a running process). It is never trusted here.
 */
export function acquireProcessLock(directory: string): ProcessLock {
  const key = realPath(directory);
  if (heldHere.has(key)) throw inThisProcess(directory);
  const file = join(directory, 'lock.db');
  const note = join(directory, 'LOCK');
  let db: Database | undefined;
  try {
    db = new BetterSqlite3(file);
    db.pragma(`busy_timeout = ${CONTENTION_WAIT_MS}`);
    db.exec('BEGIN EXCLUSIVE');
    // Only now: in exclusive mode a refused connection keeps its shared lock while it waits, so
    // racers would block each other until every one of them gave up.
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('COMMIT');
  } catch (error) {
    db?.close();
    if (String((error as { code?: unknown }).code).startsWith('SQLITE_BUSY')) throw heldElsewhere(directory, note);
    throw fail('STORAGE', `cannot take the lock ${file}: ${(error as Error).message}`, { cause: error, details: { path: file } });
  }
  heldHere.add(key);
  try {
    writeFileSync(note, String(process.pid));
  } catch {
    // The pid is only for messages; the lock is held all the same.
  }
  const held = db;
  return {
    release() {
      if (!heldHere.delete(key)) return;
      try {
        rmSync(note, { force: true }); // before closing: once closed, the note may be the next holder's
      } catch {
        // A note left behind only names a process that no longer holds the lock.
      }
      held.close();
    },
  };
}

function realPath(directory: string): string {
  try {
    return realpathSync(directory);
  } catch (error) {
    throw fail('STORAGE', `cannot open the database directory ${directory}: ${(error as Error).message}`, { cause: error, details: { path: directory } });
  }
}

function inThisProcess(directory: string) {
  return fail('LOCKED', `${directory} is already open in this process; reuse that memory instance or close() it first.`, { details: { path: directory, pid: process.pid } });
}

function heldElsewhere(directory: string, note: string) {
  const pid = Number.parseInt(readNote(note), 10);
  if (pid === process.pid && heldHere.size > 0) return inThisProcess(directory); // the same directory by another path
  const known = Number.isInteger(pid) && pid > 0 && isRunning(pid);
  const who = known ? `process ${pid}` : 'another process';
  return fail('LOCKED', `${directory} is in use by ${who}; close it there first (one process per database).`, { details: { path: directory, ...(known ? { pid } : {}) } });
}

function readNote(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

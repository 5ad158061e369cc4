import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { isNeuroMemError, type NeuroMemError } from '@neuromem/core';
import type { SqliteMemoryStore } from '@neuromem/store';
import { createMemory, type Memory } from '../create-memory';
import { failCli } from './cli-errors';

/**
 * What a command does with the database: `read` (search, get, history, stats, export) opens it
 * read-only, beside whatever process holds it; `write` (update, delete, retier, sleep) needs the
 * lock and an existing memory; `create` (add, import) needs the lock and starts a memory if none is there.
 */
export type CliAccess = 'read' | 'write' | 'create';

export interface OpenCliMemoryOptions {
  /** The database directory, resolved. */
  directory: string;
  access: CliAccess;
  /** `--create`: a read or write command may start an empty memory too. */
  create: boolean;
  /** `--wait`: seconds to wait for another process's lock (0: fail at once). */
  waitSeconds: number;
  requireScope: boolean;
  /** Told once when the lock is held elsewhere and the open waits for it. */
  onWait: (message: string) => void;
}

/** How often a waiting open tries the lock again. */
const RETRY_MS = 200;
const READ_COMMANDS = 'search, get, history, stats and export';

export async function openCliMemory(options: OpenCliMemoryOptions): Promise<Memory<SqliteMemoryStore>> {
  const { directory, access, requireScope } = options;
  const exists = existsSync(join(directory, 'memory.db'));
  if (!exists && access !== 'create' && !options.create) {
    throw failCli('NOT_FOUND', `there is no memory at ${directory}: check --db (or $NEUROMEM_DB), or pass --create to start an empty one there.`, { details: { path: directory } });
  }
  if (access === 'read' && exists) {
    try {
      // Read-only always: it takes no lock, so a reader never keeps a writer (a server, an add) out.
      return await createMemory({ path: directory, requireScope, readOnly: true });
    } catch (error) {
      // A file of an older schema is upgraded by the first open that may write it.
      if (!(isNeuroMemError(error) && error.details.needsUpgrade === true)) throw error;
    }
  }
  return openForWriting(options);
}

/** The writable open, retried while another process holds the lock, for up to `--wait` seconds. */
async function openForWriting({ directory, requireScope, waitSeconds, onWait }: OpenCliMemoryOptions): Promise<Memory<SqliteMemoryStore>> {
  // The wait starts when the lock is found taken, not before the first open (which may itself be slow).
  let deadline: number | undefined;
  let waited = false;
  for (;;) {
    try {
      // One command, then exit: warming caches for searches this process will never answer is waste.
      return await createMemory({ path: directory, requireScope, preloading: false });
    } catch (error) {
      if (!isNeuroMemError(error, 'LOCKED')) throw error;
      const holder = typeof error.details.pid === 'number' ? `process ${error.details.pid}` : 'another process';
      deadline ??= Date.now() + waitSeconds * 1000;
      if (Date.now() >= deadline) throw lockedError(error, directory, holder, waited ? waitSeconds : undefined);
      if (!waited) onWait(`${directory} is in use by ${holder}; waiting up to ${waitSeconds} s for it (--wait)`);
      waited = true;
      await delay(Math.max(1, Math.min(RETRY_MS, deadline - Date.now())));
    }
  }
}

function lockedError(cause: NeuroMemError, directory: string, holder: string, waitedSeconds: number | undefined) {
  const what =
    waitedSeconds === undefined
      ? `${directory} is in use by ${holder}, and one process at a time writes a memory: stop it or let it finish, or retry with --wait <seconds>`
      : `${directory} is still in use by ${holder} after ${waitedSeconds} s: stop it or let it finish, or retry with a longer --wait`;
  return failCli('LOCKED', `${what}; ${READ_COMMANDS} work meanwhile.`, { cause, details: cause.details });
}

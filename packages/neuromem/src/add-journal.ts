import { closeSync, copyFileSync, existsSync, fdatasyncSync, fstatSync, ftruncateSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createErrorFactory, type MemoryKind, type Scope } from '@neuromem/core';
import type { Turn } from './normalize-messages';

const fail = createErrorFactory('neuromem');

/** Where an on-disk memory keeps the adds it acknowledged and has not indexed yet. */
export const ADD_JOURNAL_FILE = 'pending-adds.jsonl';

/** Stored lines the file may hold before it is rewritten with the pending ones alone. */
const COMPACT_AFTER_BYTES = 4 * 1024 * 1024;

/** One `add()` as the caller gave it, checked, with the ids its memories will have. */
export interface JournaledAdd {
  ids: string[];
  scope: Scope;
  turns: Turn[];
  importance?: number;
  kind?: MemoryKind;
}

export interface AddJournal {
  /** Acknowledged adds not yet in the store, oldest first. */
  readonly pending: readonly JournaledAdd[];
  /** Adds read back from the file at open (a crash or a kill left them): some may be in the store already. */
  readonly recovered: number;
  /** Appends the add; durable when this returns (fsynced unless `durability: 'normal'`). Nothing is kept if it throws. */
  append(entry: JournaledAdd): void;
  /** The first `count` pending adds are in the store now; the file empties once none are left. */
  stored(count: number): void;
  close(): void;
}

/**
 * An append-only file of acknowledged adds: `add()` returns once its line is on disk, and the
 * indexing (embedding, entities, links, the SQLite transaction) runs after, in batches. Lines are
 * whole JSON objects; a line cut short by a crash was never acknowledged and is dropped, a line
 * that does not parse is kept aside in a `.damaged` copy of the file, never silently discarded.
 */
export function openAddJournal(directory: string, options: { durability: 'full' | 'normal' }): AddJournal {
  const file = join(directory, ADD_JOURNAL_FILE);
  const pending = existsSync(file) ? readJournal(file) : [];
  const recovered = pending.length;
  // Bytes of each pending line, and of the lines before them that are stored already.
  const lineBytes = pending.map((entry) => Buffer.byteLength(`${JSON.stringify(entry)}\n`));
  let pendingBytes = lineBytes.reduce((sum, bytes) => sum + bytes, 0);
  let storedBytes = 0;
  let closed = false;
  let fd: number;
  try {
    fd = openSync(file, 'a');
    storedBytes = fstatSync(fd).size - pendingBytes;
  } catch (error) {
    throw journalError(error, `opening ${file}`);
  }
  const sync = (handle: number) => {
    if (options.durability === 'full') fdatasyncSync(handle);
  };

  /** Writes the pending lines alone to a new file that replaces the journal (atomic by rename). */
  function rewrite(): void {
    const fresh = `${file}.tmp`;
    const handle = openSync(fresh, 'w');
    try {
      writeSync(handle, pending.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
      sync(handle);
    } finally {
      closeSync(handle);
    }
    renameSync(fresh, file);
    closeSync(fd);
    fd = openSync(file, 'a');
    storedBytes = 0;
  }

  return {
    pending,
    recovered,
    append(entry) {
      if (closed) throw fail('CLOSED', 'this memory was closed; open it again with createMemory() to add to it.');
      const line = Buffer.from(`${JSON.stringify(entry)}\n`);
      const size = storedBytes + pendingBytes;
      try {
        // A nearly full disk may take part of a line without an error: the rest is written or the add fails.
        for (let done = 0; done < line.length; ) {
          const wrote = writeSync(fd, line, done, line.length - done);
          if (wrote <= 0) throw Object.assign(new Error('no space left for the journal line'), { code: 'ENOSPC' });
          done += wrote;
        }
        sync(fd);
      } catch (error) {
        // A line half written (a full disk) is cut off again, so the next append starts clean.
        try {
          ftruncateSync(fd, size);
        } catch {
          // The line stays cut short: the next open drops it, as it drops a line a crash cut.
        }
        throw journalError(error, 'saving the add');
      }
      pending.push(entry);
      lineBytes.push(line.length);
      pendingBytes += line.length;
    },
    stored(count) {
      pending.splice(0, count);
      const bytes = lineBytes.splice(0, count).reduce((sum, n) => sum + n, 0);
      pendingBytes -= bytes;
      storedBytes += bytes;
      if (pending.length === 0) {
        // Emptied, and fsynced: a crash must not bring back lines whose memories were deleted since.
        ftruncateSync(fd, 0);
        sync(fd);
        storedBytes = 0;
      } else if (storedBytes > COMPACT_AFTER_BYTES) {
        // Adds that never let the backlog empty would grow the file without end.
        try {
          rewrite();
        } catch {
          // Not needed for correctness (stored lines are skipped by id on open): tried again later.
        }
      }
    },
    close() {
      // Closing twice (a second memory.close()) is a no-op, not EBADF.
      if (closed) return;
      closed = true;
      closeSync(fd);
    },
  };
}

function readJournal(file: string): JournaledAdd[] {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  // The last piece has no newline: empty, or a line a crash cut before it was acknowledged.
  const torn = lines.pop() !== '';
  const entries: JournaledAdd[] = [];
  let damaged = false;
  for (const line of lines) {
    const entry = parseEntry(line);
    if (entry) entries.push(entry);
    else damaged = true;
  }
  // What could not be read is kept for the user; the rest is written back (so appends start on a
  // clean line) and indexed.
  if (damaged) copyFileSync(file, `${file}.damaged-${Date.now()}`);
  if (damaged || torn) {
    const fresh = `${file}.tmp`;
    writeFileSync(fresh, entries.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
    renameSync(fresh, file);
  }
  return entries;
}

function parseEntry(line: string): JournaledAdd | undefined {
  try {
    const entry = JSON.parse(line) as JournaledAdd;
    const whole =
      Array.isArray(entry.ids) &&
      Array.isArray(entry.turns) &&
      entry.ids.length === entry.turns.length &&
      entry.ids.every((id) => typeof id === 'string') &&
      entry.turns.every((turn) => typeof turn?.text === 'string' && Number.isFinite(turn.eventTime) && typeof turn.metadata === 'object') &&
      typeof entry.scope === 'object' &&
      entry.scope !== null;
    return whole ? entry : undefined;
  } catch {
    return undefined;
  }
}

function journalError(error: unknown, action: string) {
  const code = (error as NodeJS.ErrnoException)?.code;
  const full = code === 'ENOSPC' || code === 'EDQUOT';
  const advice = full ? 'the disk is full. Free some space and retry; the failed add changed nothing.' : 'check that the memory directory is writable; the failed add changed nothing.';
  return fail('STORAGE', `${action} failed (${code ?? 'error'}: ${(error as Error)?.message ?? String(error)}): ${advice}`, { cause: error, details: { code: code ?? null } });
}

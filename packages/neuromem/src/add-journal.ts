import { closeSync, copyFileSync, existsSync, fdatasyncSync, ftruncateSync, openSync, readFileSync, renameSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createErrorFactory } from '@neuromem/core';
import type { CheckedAdd } from './store-adds';

const fail = createErrorFactory('neuromem');

/** Where an on-disk memory keeps the adds it acknowledged and has not indexed yet. */
export const ADD_JOURNAL_FILE = 'pending-adds.jsonl';

/** Stored lines the file may hold before it is rewritten with the pending ones alone. */
const COMPACT_AFTER_BYTES = 4 * 1024 * 1024;

/** One checked `add()` with the ids its memories will have. */
export type JournaledAdd = CheckedAdd & { ids: string[] };

export interface AddJournal {
  /** Acknowledged adds not yet in the store, oldest first. */
  readonly pending: readonly JournaledAdd[];
  /** Adds read back from the file at open (a crash or a kill left them): some may be in the store already. */
  readonly recovered: number;
  /** Appends the add; durable when this returns (fsynced unless `durability: 'normal'`). Nothing is kept if it throws. */
  append(entry: JournaledAdd): void;
  /**
   * The first `count` pending adds are in the store now. Their lines stay until SQLite has copied
   * their transaction from its WAL into memory.db (`walFile`), so a WAL cut short or deleted loses
   * nothing the journal cannot give back; the file empties once no line is needed.
   */
  stored(count: number): void;
  /** Pending adds found in the store already (a crash came after their transaction): they count as stored. */
  found(entries: ReadonlySet<JournaledAdd>): void;
  /**
   * The store was emptied (`reset()`): lines of adds it held, and of the pending adds `alsoPending`
   * names (acknowledged before the reset), must not come back on the next open.
   */
  forgetStored(alsoPending?: ReadonlySet<JournaledAdd>): void;
  close(): void;
}

/**
 * An append-only file of acknowledged adds: `add()` returns once its line is on disk, and the
 * indexing (embedding, entities, links, the SQLite transaction) runs after, in batches. Lines are
 * whole JSON objects; a line cut short by a crash was never acknowledged and is dropped, a line
 * that does not parse is kept aside in a `.damaged` copy of the file, never silently discarded.
 */
export function openAddJournal(directory: string, options: { durability: 'full' | 'normal'; walFile?: string }): AddJournal {
  const file = join(directory, ADD_JOURNAL_FILE);
  const pending = existsSync(file) ? readJournal(file) : [];
  const recovered = pending.length;
  const lineOf = (entry: JournaledAdd) => Buffer.from(`${JSON.stringify(entry)}\n`);
  // Each pending line's bytes; the stored lines before them stay until SQLite's WAL no longer holds
  // their transaction (`walMark`: the WAL's size once they were committed; it shrinks only when emptied).
  const pendingBytes = pending.map((entry) => lineOf(entry).length);
  let stored: Array<{ entry: JournaledAdd; bytes: number; walMark: number }> = [];
  let closed = false;
  let fd: number;
  try {
    fd = openSync(file, 'a');
  } catch (error) {
    throw journalError(error, `opening ${file}`);
  }
  const sync = (handle: number) => {
    if (options.durability === 'full') fdatasyncSync(handle);
  };
  const walSize = () => {
    try {
      return options.walFile === undefined ? 0 : statSync(options.walFile).size;
    } catch {
      return 0;
    }
  };
  const sum = (values: readonly number[]) => values.reduce((total, n) => total + n, 0);

  /** Stored lines whose transaction is in memory.db itself: a WAL cut short or deleted cannot lose them. */
  function dropCheckpointed(): number {
    const size = walSize();
    // A WAL emptied since a line's commit (or empty at it) no longer holds that commit.
    const kept = stored.filter((line) => line.walMark > 0 && size >= line.walMark);
    const dropped = sum(stored.map((line) => line.bytes)) - sum(kept.map((line) => line.bytes));
    stored = kept;
    return dropped;
  }

  /** Writes the lines still needed to a new file that replaces the journal (atomic by rename). */
  function rewrite(): void {
    const fresh = `${file}.tmp`;
    const handle = openSync(fresh, 'w');
    try {
      writeSync(handle, Buffer.concat([...stored.map((line) => lineOf(line.entry)), ...pending.map(lineOf)]));
      sync(handle);
    } finally {
      closeSync(handle);
    }
    renameSync(fresh, file);
    closeSync(fd);
    fd = openSync(file, 'a');
  }

  /** Bytes of lines the file holds that nothing needs any more. */
  let droppable = 0;

  return {
    pending,
    recovered,
    append(entry) {
      if (closed) throw fail('CLOSED', 'this memory was closed; open it again with createMemory() to add to it.');
      const line = lineOf(entry);
      const size = droppable + sum(stored.map((l) => l.bytes)) + sum(pendingBytes);
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
      pendingBytes.push(line.length);
    },
    stored(count) {
      const walMark = walSize();
      const done = pending.splice(0, count);
      const bytes = pendingBytes.splice(0, count);
      stored.push(...done.map((entry, i) => ({ entry, bytes: bytes[i]!, walMark })));
      settle();
    },
    found(entries) {
      const walMark = walSize();
      for (let i = pending.length - 1; i >= 0; i--) {
        if (!entries.has(pending[i]!)) continue;
        stored.unshift({ entry: pending[i]!, bytes: pendingBytes[i]!, walMark });
        pending.splice(i, 1);
        pendingBytes.splice(i, 1);
      }
      settle();
    },
    forgetStored(alsoPending = new Set()) {
      droppable += sum(stored.map((line) => line.bytes));
      stored = [];
      for (let i = pending.length - 1; i >= 0; i--) {
        if (!alsoPending.has(pending[i]!)) continue;
        droppable += pendingBytes[i]!;
        pending.splice(i, 1);
        pendingBytes.splice(i, 1);
      }
      // At once, not when compaction gets to it: a crash now must not bring their adds back.
      settle(true);
    },
    close() {
      // Closing twice (a second memory.close()) is a no-op, not EBADF.
      if (closed) return;
      closed = true;
      // Lines kept for a WAL that has since been folded away are not carried into the next open.
      try {
        settle();
      } catch {
        // They stay: the next open finds them stored and skips them.
      }
      closeSync(fd);
    },
  };

  /** Empties or compacts the file when lines are no longer needed (`now`: whatever their number). */
  function settle(now = false): void {
    droppable += dropCheckpointed();
    if (pending.length === 0 && stored.length === 0) {
      // Nothing left that a crash or a damaged WAL could need: emptied, and fsynced, so a crash
      // cannot bring back lines whose memories were deleted since.
      ftruncateSync(fd, 0);
      sync(fd);
      droppable = 0;
    } else if (droppable > (now ? 0 : COMPACT_AFTER_BYTES)) {
      // Adds that never let the backlog empty would grow the file without end.
      try {
        rewrite();
        droppable = 0;
      } catch {
        // Stored lines are skipped by id on open (deleted ones by their history): tried again later.
      }
    }
  }
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

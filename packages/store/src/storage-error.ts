import { createErrorFactory, isNeuroMemError } from '@neuromem/core';

const fail = createErrorFactory('store');

/** What to do about each kind of storage failure, by SQLite result code or errno. */
const ADVICE: ReadonlyArray<[pattern: RegExp, advice: string]> = [
  [
    /^SQLITE_(CORRUPT|NOTADB)/,
    'the database file memory.db is damaged. Restore it from a backup, or salvage it with `sqlite3 memory.db ".recover" | sqlite3 recovered.db`; the index-*.usearch files beside it are derived and can be deleted.',
  ],
  [/^SQLITE_FULL$|^ENOSPC$|^EDQUOT$/, 'the disk is full. Free some space and retry; the failed write changed nothing.'],
  [/^SQLITE_READONLY|^EROFS$|^EACCES$|^EPERM$/, 'the memory directory is not writable. Check its permissions and that the file system is mounted read-write.'],
  [/^SQLITE_IOERR|^EIO$/, 'the disk reported an I/O error. Check the device; committed writes are safe in SQLite, and the next open rebuilds any damaged index.'],
  [/^SQLITE_BUSY|^SQLITE_LOCKED/, 'another connection holds the database. Close other processes that opened this directory.'],
  [/^SQLITE_CANTOPEN|^ENOENT$|^ENOTDIR$|^EISDIR$/, 'a file of the memory directory cannot be opened. Check that the directory exists and holds no stray files named like memory.db.'],
];

/** A failure of SQLite or of the file system, as opposed to a bug: those keep their own error. */
function storageCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { name, code, syscall } = error as { name?: unknown; code?: unknown; syscall?: unknown };
  if (typeof code !== 'string') return undefined;
  return name === 'SqliteError' || typeof syscall === 'string' || /^SQLITE_|^E[A-Z]+$/.test(code) ? code : undefined;
}

/**
 * Turns a raw SQLite or file-system error into a `STORAGE` NeuroMemError that says what failed and
 * what to do; anything else is returned unchanged, so bugs are not disguised as disk trouble.
 */
export function toStorageError(error: unknown, action: string): unknown {
  if (isNeuroMemError(error)) return error;
  const code = storageCode(error);
  if (code === undefined) return error;
  const advice = ADVICE.find(([pattern]) => pattern.test(code))?.[1] ?? 'check the disk and the memory directory, then retry.';
  return fail('STORAGE', `${action} failed (${code}: ${(error as Error).message}): ${advice}`, { cause: error, details: { code } });
}

/** Wraps every method of `target` so storage failures leave it as `STORAGE` errors. */
export function withStorageErrors<T extends object>(target: T, label: (method: string) => string): T {
  for (const [name, value] of Object.entries(target)) {
    if (typeof value !== 'function') continue;
    (target as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      try {
        return await (value as (...a: unknown[]) => unknown).apply(target, args);
      } catch (error) {
        throw toStorageError(error, label(name));
      }
    };
  }
  return target;
}

/** Like `toStorageError`, but always a `STORAGE` error: for failures that can only be the disk's. */
export function storageFailure(error: unknown, action: string) {
  const mapped = toStorageError(error, action);
  return isNeuroMemError(mapped) ? mapped : fail('STORAGE', `${action} failed: ${(error as Error)?.message ?? String(error)}`, { cause: error });
}

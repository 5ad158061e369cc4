import { createErrorFactory } from '@neuromem/core';
import type { SqliteMemoryStore } from './sqlite-store-options';

const fail = createErrorFactory('store');

/** Every method that changes the database or its index files. */
const WRITES = [
  'put',
  'update',
  'delete',
  'deleteWhere',
  'purge',
  'link',
  'unlink',
  'recordAccess',
  'setVectors',
  'writeUserState',
  'swapUserState',
  'reset',
  'compact',
  'verifyIndexes',
] as const satisfies ReadonlyArray<keyof SqliteMemoryStore>;

/**
 * The write methods of a store opened with `readOnly`, each failing with `UNSUPPORTED` before it
 * touches anything. `flush()` stays: a read-only store has nothing to save, so it does nothing.
 */
export function readOnlyWrites(store: SqliteMemoryStore): Partial<SqliteMemoryStore> {
  const refuse = (method: string) => async () => {
    // A facade that tracks accesses would otherwise stop every search here: name the switch.
    const hint = method === 'recordAccess' ? ' (createMemory({ trackAccess: false }) searches without recording accesses)' : '';
    throw fail('UNSUPPORTED', `${method}() writes, and this store was opened read-only (readOnly: true)${hint}; open it without readOnly to write: one process at a time holds the directory.`, {
      details: { method, readOnly: true },
    });
  };
  return Object.fromEntries(WRITES.filter((method) => method in store).map((method) => [method, refuse(method)]));
}

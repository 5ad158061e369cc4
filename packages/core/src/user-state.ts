import type { JsonValue } from './memory';
import { NeuroMemError } from './errors';
import { validateId } from './validate';

/** A per-user document is a small model, not a place for data: 1 MB of JSON at most. */
export const MAX_USER_STATE_BYTES = 1_000_000;

/**
 * Checks a `writeUserState` call and returns the document as JSON text (null removes it). Every
 * store with the `userState` capability calls this first, so they accept and refuse alike.
 */
export function serializeUserState(userId: unknown, key: unknown, value: unknown, module = 'store'): string | null {
  validateUserStateKey(userId, key, module);
  if (value === null) return null;
  let json: string | undefined;
  try {
    json = JSON.stringify(value, (_, v: unknown) => {
      if (typeof v === 'number' && !Number.isFinite(v)) throw new TypeError(`${v} is not a JSON number`);
      if (typeof v === 'bigint' || typeof v === 'function' || typeof v === 'symbol' || v === undefined) throw new TypeError(`${typeof v} is not JSON`);
      return v;
    });
  } catch (error) {
    throw new NeuroMemError('INVALID_INPUT', `the user state under "${String(key)}" must be plain JSON (objects, arrays, strings, finite numbers, booleans, null): ${(error as Error).message}.`, {
      module,
      details: { field: 'value' },
    });
  }
  if (json === undefined) throw new NeuroMemError('INVALID_INPUT', 'the user state must be a JSON value, or null to remove it.', { module, details: { field: 'value' } });
  if (Buffer.byteLength(json) > MAX_USER_STATE_BYTES) {
    throw new NeuroMemError('INVALID_INPUT', `the user state under "${String(key)}" is ${Buffer.byteLength(json)} bytes of JSON, more than ${MAX_USER_STATE_BYTES}; keep per-user documents small.`, {
      module,
      details: { field: 'value', bytes: Buffer.byteLength(json) },
    });
  }
  return json;
}

/** The user id and key of a `readUserState` / `writeUserState` call: ids as memories' ids are checked. */
export function validateUserStateKey(userId: unknown, key: unknown, module = 'store'): void {
  validateId(userId, module, 'userId');
  validateId(key, module, 'key');
}

/** JSON text a store kept, read back (a corrupted document is an error naming the user and key, not a crash later). */
export function parseUserState(json: string, userId: string, key: string, module = 'store'): JsonValue {
  try {
    return JSON.parse(json) as JsonValue;
  } catch (cause) {
    throw new NeuroMemError('STORAGE', `the stored user state "${key}" of user ${userId} is not valid JSON; remove it with writeUserState(userId, key, null).`, {
      module,
      cause,
      details: { userId, key },
    });
  }
}

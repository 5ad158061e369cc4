import type { JsonValue, MemoryStore, StoreWith } from '@neuromem/core';
import { SLEEP_OWNER } from './sleep-journal';

const CURSOR_KEY = 'users';
const PAGE = 1_000;

interface UserCursor {
  /** The last memory (in the order memories were stored) the sleeps have looked at. */
  after: string | null;
  /** Every user seen so far, the most recently active first. */
  users: string[];
  /** Users with new memories that no sleep has finished with yet (its budget ran out first). */
  pending?: string[];
}

/**
 * The users a store-wide sleep visits: those a sleep left unfinished first, then those with memories
 * stored since the last sleep (their new memories need consolidating), then every other user seen
 * before (expiries and fading need no new memory). Reads only what was stored since the last sleep,
 * a page at a time. A user stays pending until `usersVisited` is told a sleep finished them, so a
 * budget that never reaches the end of the list still reaches everyone in turn.
 */
export async function usersToVisit(store: MemoryStore): Promise<string[]> {
  const state = store as StoreWith<'userState'>;
  const cursor = await readCursor(state);
  const active = new Set<string>();
  let after = cursor.after;
  for (;;) {
    const page = await pageAfter(store, after);
    for (const record of page) if (record.scope.userId !== undefined) active.add(record.scope.userId);
    if (page.length < PAGE) {
      after = page.at(-1)?.id ?? after;
      break;
    }
    after = page.at(-1)!.id;
  }
  const pending = [...new Set([...(cursor.pending ?? []), ...active])];
  const users = [...new Set([...pending, ...cursor.users])];
  await state.writeUserState(SLEEP_OWNER, CURSOR_KEY, { after, users, pending } as unknown as JsonValue);
  return users;
}

/** Marks users a sleep finished with (every per-user agent done): they are no longer pending. */
export async function usersVisited(store: MemoryStore, visited: readonly string[]): Promise<void> {
  if (visited.length === 0) return;
  const state = store as StoreWith<'userState'>;
  const cursor = await readCursor(state);
  if (!cursor.pending?.some((user) => visited.includes(user))) return;
  await state.writeUserState(SLEEP_OWNER, CURSOR_KEY, { ...cursor, pending: cursor.pending.filter((user) => !visited.includes(user)) } as unknown as JsonValue);
}

async function readCursor(state: StoreWith<'userState'>): Promise<UserCursor> {
  const saved = (await state.readUserState(SLEEP_OWNER, CURSOR_KEY)) as unknown as UserCursor | null;
  if (!saved || !Array.isArray(saved.users)) return { after: null, users: [] };
  return { ...saved, pending: Array.isArray(saved.pending) ? saved.pending.filter((user) => typeof user === 'string') : [] };
}

/** A page of memories in stored order after `after`; from the start when that memory is gone (purged). */
async function pageAfter(store: MemoryStore, after: string | null) {
  try {
    return await store.list({ order: 'written-asc', limit: PAGE, ...(after !== null ? { after } : {}) });
  } catch (error) {
    if (after === null || (error as { code?: string }).code !== 'INVALID_INPUT') throw error;
    return store.list({ order: 'written-asc', limit: PAGE });
  }
}

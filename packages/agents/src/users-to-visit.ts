import type { JsonValue, MemoryStore, StoreWith } from '@neuromem/core';
import { SLEEP_OWNER } from './sleep-journal';

const CURSOR_KEY = 'users';
const PAGE = 1_000;

interface UserCursor {
  /** The last memory (in the order memories were stored) the sleeps have looked at. */
  after: string | null;
  /** Every user seen so far, the most recently active first. */
  users: string[];
}

/**
 * The users a store-wide sleep visits: those with memories stored since the last sleep first (their
 * new memories need consolidating), then every other user seen before (expiries and fading need
 * no new memory). Reads only what was stored since the last sleep, a page at a time.
 */
export async function usersToVisit(store: MemoryStore): Promise<string[]> {
  const state = store as StoreWith<'userState'>;
  const saved = (await state.readUserState(SLEEP_OWNER, CURSOR_KEY)) as unknown as UserCursor | null;
  const cursor: UserCursor = saved && Array.isArray(saved.users) ? saved : { after: null, users: [] };
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
  const users = [...active, ...cursor.users.filter((user) => !active.has(user))];
  await state.writeUserState(SLEEP_OWNER, CURSOR_KEY, { after, users } as unknown as JsonValue);
  return users;
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

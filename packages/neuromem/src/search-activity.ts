import type { SearchActivity } from '@neuromem/core';

/** Searches kept for the pre-loading agent: about a day of a busy server's first searches. */
const DEFAULT_CAPACITY = 10_000;

/**
 * The memory's recent searches, in memory only (a ring of `capacity`): the pre-loading agent learns
 * from them who searches when. Nothing is written to disk per search; the agent keeps what it
 * learned in its own state at each sleep.
 */
export function createSearchActivity(capacity = DEFAULT_CAPACITY) {
  const ring: SearchActivity[] = [];
  let next = 0;
  return {
    record(search: SearchActivity): void {
      if (ring.length < capacity) ring.push(search);
      else ring[next] = search;
      next = (next + 1) % capacity;
    },
    /** The user's latest search, if the ring still holds one. */
    latestOf(userId: string): SearchActivity | undefined {
      for (let i = 1; i <= ring.length; i++) {
        const search = ring[(next - i + ring.length) % ring.length]!;
        if (search.userId === userId) return search;
      }
      return undefined;
    },
    /** Oldest first, after `since`. */
    since(since: number): SearchActivity[] {
      const ordered = ring.length < capacity ? ring : [...ring.slice(next), ...ring.slice(0, next)];
      return ordered.filter((search) => search.at > since);
    },
  };
}

export type SearchActivityLog = ReturnType<typeof createSearchActivity>;

import type { AgentAction, MemoryAgent } from '@neuromem/core';
import { isExpired } from './expiry';

/** Memories read per page. */
const PAGE = 1_000;

/**
 * Forgetting: memories past their expiry (`metadata.expiresAt`, set by `add({ expirationDate })`)
 * are tombstoned — hidden from every read, kept in history, never purged. Search already hides an
 * expired memory the moment it expires; this makes it final. Nothing without an expiry is deleted.
 *
 * Reward: expired memories still current after the sleep (0 is best), at no loss of the rest.
 */
export function createForgettingAgent(): MemoryAgent {
  return {
    specVersion: 'neuromem.agent/v1',
    name: 'forgetting',
    async run({ store, clock, userId, journal, exclusive, deadline, signal }) {
      const started = clock.now();
      const scope = { userId };
      let expired = 0;
      let done = true;
      for (let after: string | undefined; ; ) {
        if (signal?.aborted || clock.now() >= deadline) {
          done = false;
          break;
        }
        const page = await store.list({ scope, order: 'written-asc', limit: PAGE, ...(after !== undefined ? { after } : {}) });
        const now = clock.now();
        const due = page.filter((record) => isExpired(record.metadata, now));
        if (due.length > 0) {
          const actions: AgentAction[] = due.map((record) => ({ type: 'expire', memoryId: record.id }));
          await exclusive(async () => {
            await journal.record(actions);
            for (const record of due) {
              // Re-read under the lock: an expiry the user just moved (or a delete) wins.
              const current = await store.get(record.id, { scope });
              if (!current || !isExpired(current.metadata, clock.now())) continue;
              await store.delete(record.id, { scope });
              expired++;
            }
          });
        }
        if (page.length < PAGE) break;
        after = page.at(-1)!.id;
      }
      return { agent: 'forgetting', actions: { expired }, durationMs: clock.now() - started, done };
    },
  };
}

import { supports, type AgentAction, type AgentReport, type MemoryAgent } from '@neuromem/core';
import { isExpired } from './expiry';
import { applyTierBudget, type TierBudget } from './tier-budget';

/** Memories read per page. */
const PAGE = 1_000;

export interface ForgettingOptions {
  /**
   * A storage budget: after the expiries, only this share of each owner's memories keeps its
   * vectors, chosen by predicted utility; the rest fade to cold (text, words and links) and come
   * back when they are used again. Needs a store with `vectorTiers`; without one the step is skipped.
   */
  tiers?: TierBudget;
}

/**
 * Forgetting: memories past their expiry (`metadata.expiresAt`, set by `add({ expirationDate })`)
 * are tombstoned — hidden from every read, kept in history, never purged. Search already hides an
 * expired memory the moment it expires; this makes it final. Nothing without an expiry is deleted.
 * With `tiers`, the unused fade: memories below the budget's line lose their vectors (journaled;
 * `undoSleep` gives them back), and memories that rose above it get theirs again.
 *
 * Reward: expired memories still current after the sleep (0 is best), at no loss of the rest; with
 * `tiers`, later questions' evidence recall at the budget's bytes (`neuromem-eval tiers --replay`
 * measures it for each policy, the utility's against importance, recency and random choices).
 */
export function createForgettingAgent(options: ForgettingOptions = {}): MemoryAgent {
  return {
    specVersion: 'neuromem.agent/v1',
    name: 'forgetting',
    async run({ store, clock, userId, journal, exclusive, deadline, signal, scale, embedder }): Promise<AgentReport> {
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
      if (!options.tiers || !supports(store, 'vectorTiers')) return { agent: 'forgetting', actions: { expired }, durationMs: clock.now() - started, done };
      if (!done) return { agent: 'forgetting', actions: { expired, demoted: 0, promoted: 0 }, durationMs: clock.now() - started, done };
      const tiered = await applyTierBudget({ store, scope, scale, embedder, now: clock.now(), journal, exclusive, deadline, clock, signal }, options.tiers);
      return { agent: 'forgetting', actions: { expired, demoted: tiered.demoted, promoted: tiered.promoted }, durationMs: clock.now() - started, done: tiered.done };
    },
  };
}

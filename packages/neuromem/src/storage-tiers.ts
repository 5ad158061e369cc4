import { applyTierBudget, vectorsFromText } from '@neuromem/agents';
import { defaultUtility, utilityOf } from '@neuromem/controller';
import { createErrorFactory, supports, type Clock, type Embedder, type MemoryRecord, type MemoryStore, type Scale, type Scope } from '@neuromem/core';

const fail = createErrorFactory('neuromem');

/**
 * The probability that a memory will be needed again, from its importance, age, accesses and time
 * since its last one (`@neuromem/controller`'s shipped utility model): what decides, under a
 * storage budget, which memories keep their vectors.
 */
export const memoryUtility = (memory: MemoryRecord, now: number): number => utilityOf(defaultUtility().model, memory, now);

export interface RetierResult {
  /** Memories of the scope that keep their vectors now. */
  warm: number;
  /** Memories kept as text, words and links only. */
  cold: number;
  /** Warm memories turned cold by this call. */
  demoted: number;
  /** Cold memories given their vectors back by this call. */
  promoted: number;
}

/**
 * Storage tiers over a store with the `vectorTiers` capability. A warm memory keeps its turn
 * vector (vector search finds it); a cold one keeps its text, words and links, and retrieval
 * computes its vector from the text when another source brings it up. Which memories stay warm
 * follows the learned utility (P(needed again)); `neuromem-eval tiers --replay` measures it against
 * importance alone and random, oldest-first and shortest-first choices.
 */
export function createStorageTiers(store: MemoryStore, embedder: Embedder, scale: Scale, clock: Clock) {
  const tiered = supports(store, 'vectorTiers') ? store : undefined;
  const requireTiers = () => {
    if (!tiered) throw fail('UNSUPPORTED', 'this store cannot keep memories without their vectors (capability vectorTiers); use the default SQLite store or @neuromem/store-postgres.');
    return tiered;
  };

  return {
    /** Gives a cold memory its vectors back (it was useful again); warm ones are left alone. */
    async promote(record: MemoryRecord): Promise<boolean> {
      if (!tiered || (await store.vectors([record.id], scale)).has(record.id)) return false;
      await tiered.setVectors(record.id, await vectorsFromText(embedder, record.text));
      return true;
    },

    /**
     * Keeps vectors for the `warmShare` of the scope's memories with the highest predicted utility
     * (`memoryUtility`: importance, age, accesses; the newer first among equals) and turns the rest
     * cold; memories back above the line get their vectors again. Nothing is deleted and no
     * version is made. The forgetting agent does the same at each sleep, journaled.
     */
    async retier(scope: Scope, warmShare: number): Promise<RetierResult> {
      requireTiers();
      const { warm, cold, demoted, promoted } = await applyTierBudget({ store, scope, scale, embedder, now: clock.now() }, { warmShare, utility: memoryUtility });
      return { warm, cold, demoted, promoted };
    },
  };
}

export type StorageTiers = ReturnType<typeof createStorageTiers>;

import { createErrorFactory, supports, type Embedder, type MemoryRecord, type MemoryStore, type Scale, type Scope } from '@neuromem/core';

const fail = createErrorFactory('neuromem');

/** Memories read per page while a scope is re-tiered. */
const PAGE = 1000;

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
 * follows the learned importance (P(needed later)); `neuromem-eval tiers` measures it against
 * random, oldest-first and shortest-first choices.
 */
export function createStorageTiers(store: MemoryStore, embedder: Embedder, scale: Scale) {
  const tiered = supports(store, 'vectorTiers') ? store : undefined;
  const requireTiers = () => {
    if (!tiered) throw fail('UNSUPPORTED', 'this store cannot keep memories without their vectors (capability vectorTiers); use the default SQLite store or @neuromem/store-postgres.');
    return tiered;
  };

  async function vectorsFor(record: MemoryRecord) {
    const { turns } = await embedder.embedSession([record.text], { tokens: false });
    return turns[0]!.vectors;
  }

  return {
    /** Gives a cold memory its vectors back (it was useful again); warm ones are left alone. */
    async promote(record: MemoryRecord): Promise<boolean> {
      if (!tiered || (await store.vectors([record.id], scale)).has(record.id)) return false;
      await tiered.setVectors(record.id, await vectorsFor(record));
      return true;
    },

    /**
     * Keeps vectors for the `warmShare` of the scope's memories that matter most (highest
     * importance, the newer first among equals) and turns the rest cold; memories back above the
     * line get their vectors again. Nothing is deleted and no version is made.
     */
    async retier(scope: Scope, warmShare: number): Promise<RetierResult> {
      const tiers = requireTiers();
      // Only what ranks a memory is kept while the scope is read: a million memories are a few
      // dozen MB here, not their texts.
      const ranked: Array<{ id: string; importance: number; eventTime: number }> = [];
      for (let after: string | undefined; ; ) {
        const page = await store.list({ scope, order: 'written-asc', limit: PAGE, ...(after !== undefined ? { after } : {}) });
        for (const { id, importance, eventTime } of page) ranked.push({ id, importance, eventTime });
        if (page.length < PAGE) break;
        after = page[page.length - 1]!.id;
      }
      ranked.sort((a, b) => b.importance - a.importance || b.eventTime - a.eventTime);
      const keep = new Set(ranked.slice(0, Math.round(ranked.length * warmShare)).map((memory) => memory.id));
      const result: RetierResult = { warm: keep.size, cold: ranked.length - keep.size, demoted: 0, promoted: 0 };
      for (let i = 0; i < ranked.length; i += PAGE) {
        const ids = ranked.slice(i, i + PAGE).map((memory) => memory.id);
        const has = await store.vectors(ids, scale);
        for (const id of ids.filter((id) => !keep.has(id) && has.has(id))) {
          await tiers.setVectors(id, null);
          result.demoted++;
        }
        for (const record of await store.getMany(ids.filter((id) => keep.has(id) && !has.has(id)))) {
          await tiers.setVectors(record.id, await vectorsFor(record));
          result.promoted++;
        }
      }
      return result;
    },
  };
}

export type StorageTiers = ReturnType<typeof createStorageTiers>;

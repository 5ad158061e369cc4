import type { MemoryStore, ScopeCheck } from '@neuromem/core';
import { factOf } from './consolidated-facts';

/**
 * The consolidated facts made from a memory (linked to it by `consolidates`), within the owner's
 * scope. Read before the memory is changed or deleted: the facts quoting it go with it.
 */
export async function factsMadeFrom(store: MemoryStore, memoryId: string, owner: ScopeCheck | undefined): Promise<string[]> {
  const incoming = (await store.edges(memoryId, owner)).filter((edge) => edge.type === 'consolidates' && edge.to === memoryId).map((edge) => edge.from);
  if (incoming.length === 0) return [];
  const facts = await store.getMany(incoming, owner);
  return facts.filter((record) => factOf(record) !== undefined).map((record) => record.id);
}

/** Deletes the facts (kept in history, like any deleted memory); one already gone is no error. */
export async function deleteFacts(store: MemoryStore, ids: readonly string[], owner: ScopeCheck | undefined): Promise<void> {
  for (const id of ids) {
    try {
      await store.delete(id, owner);
    } catch (error) {
      if ((error as { code?: string }).code !== 'NOT_FOUND') throw error;
    }
  }
}

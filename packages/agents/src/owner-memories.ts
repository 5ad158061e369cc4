import type { MemoryKind, MemoryRecord, MemoryStore } from '@neuromem/core';

/** Memories read per page. */
const PAGE = 1_000;

/** The owner's current memories of one kind, in the order they were stored. */
export async function ownerMemories(store: MemoryStore, scope: { userId: string }, kind: MemoryKind): Promise<MemoryRecord[]> {
  const all: MemoryRecord[] = [];
  for (let after: string | undefined; ; ) {
    const page = await store.list({ scope, kinds: [kind], order: 'written-asc', limit: PAGE, ...(after !== undefined ? { after } : {}) });
    all.push(...page);
    if (page.length < PAGE) return all;
    after = page.at(-1)!.id;
  }
}

import { EXTRACTIVE, factOf, isExpired } from '@neuromem/agents';
import { supports, type MemoryRecord, type MemoryStore, type Scope } from '@neuromem/core';
import type { RankedMemory } from '@neuromem/retrieval';

/**
 * The context's entries with a consolidated fact standing in for its versions: where two or more
 * statements of one fact (a sleep consolidated them) are in the context, the fact takes the place
 * of the best-ranked one and the others leave, where the fact says as much in fewer words. It
 * points back to every version.
 */
export async function withFacts<T extends { ranked: RankedMemory }>(store: MemoryStore, entries: readonly T[], scope: Scope, now: number): Promise<T[]> {
  if (entries.length < 2) return [...entries];
  const factIds = await factsOf(
    store,
    entries.map((entry) => entry.ranked.record.id),
    scope,
  );
  // An expired fact is hidden like any expired memory (it expires with the first of its versions).
  const facts = new Map(
    (await store.getMany([...new Set(factIds.values())], { scope })).filter((record) => factOf(record) !== undefined && !isExpired(record.metadata, now)).map((record) => [record.id, record]),
  );
  // A fact stands in for the versions it states (a quoting fact: those it quotes whole; a summary:
  // all, in the model's words), and only where it is shorter than they are together.
  const replaced = new Map<string, Set<string>>();
  for (const entry of entries) {
    const factId = factIds.get(entry.ranked.record.id);
    const fact = factId ? facts.get(factId) : undefined;
    const about = fact ? factOf(fact)! : undefined;
    // A version past the fact's window (it keeps the newest few) is linked but not in its text.
    const inTimeline = about?.timeline.some((version) => version.memoryId === entry.ranked.record.id) ?? false;
    const states = fact && inTimeline && (about!.writtenBy !== EXTRACTIVE || fact.text.includes(entry.ranked.record.text));
    if (states) replaced.set(fact.id, (replaced.get(fact.id) ?? new Set()).add(entry.ranked.record.id));
  }
  const worth = (factId: string) => {
    const ids = replaced.get(factId)!;
    const length = entries.filter((entry) => ids.has(entry.ranked.record.id)).reduce((sum, entry) => sum + entry.ranked.record.text.length, 0);
    return ids.size >= 2 && facts.get(factId)!.text.length < length;
  };
  const placed = new Set<string>();
  const result: T[] = [];
  for (const entry of entries) {
    const factId = factIds.get(entry.ranked.record.id);
    if (!factId || !replaced.get(factId)?.has(entry.ranked.record.id) || !worth(factId)) {
      result.push(entry);
      continue;
    }
    if (placed.has(factId)) continue;
    placed.add(factId);
    result.push({ ...entry, ranked: { ...entry.ranked, record: facts.get(factId)! as MemoryRecord } });
  }
  return result;
}

/** The fact each memory is a version of (its `consolidates` link), by memory id. */
async function factsOf(store: MemoryStore, ids: readonly string[], scope: Scope): Promise<Map<string, string>> {
  const query = { types: ['consolidates'], depth: 1, direction: 'in', limit: 2, scope } as const;
  const found = new Map<string, string>();
  if (supports(store, 'batchNeighbors')) {
    for (const [id, neighbors] of await store.neighborsOfMany(ids, query)) if (neighbors[0]) found.set(id, neighbors[0].id);
    return found;
  }
  for (const id of ids) {
    const edge = (await store.edges(id, { scope })).find((e) => e.type === 'consolidates' && e.to === id);
    if (edge) found.set(id, edge.from);
  }
  return found;
}

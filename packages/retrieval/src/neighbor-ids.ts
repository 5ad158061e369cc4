import { supports, type MemoryStore, type Neighbor, type NeighborQuery } from '@neuromem/core';

/**
 * Where each id's walk leads, in as few calls as the store allows: ids alone (`neighborIds`), whole
 * neighbours in one call (`batchNeighbors`), else a call per id (an id the store refuses finds nothing).
 */
export async function neighborIds(store: MemoryStore, ids: readonly string[], query: NeighborQuery): Promise<Map<string, string[]>> {
  if (supports(store, 'neighborIds')) return store.neighborIdsOfMany(ids, query);
  const ofNeighbors = (neighbors: readonly Neighbor[]) => neighbors.map((neighbor) => neighbor.id);
  if (supports(store, 'batchNeighbors')) return new Map([...(await store.neighborsOfMany(ids, query))].map(([id, neighbors]) => [id, ofNeighbors(neighbors)]));
  const each = await Promise.all(ids.map((id) => store.neighbors(id, query).catch(() => [])));
  return new Map(ids.map((id, i) => [id, ofNeighbors(each[i]!)]));
}

/** Memories linked to the ids by `supersedes` (either way): newer and older statements of the same facts. */
export async function versionsOf(store: MemoryStore, ids: readonly string[]): Promise<string[]> {
  const found = await neighborIds(store, ids, { types: ['supersedes'], depth: 1, direction: 'both', limit: 4 });
  return [...new Set([...found.values()].flat())];
}

/** The turns just before and after each id (`next` edges, one hop); [] for an id the store does not know. */
export async function turnsAround(store: MemoryStore, ids: readonly string[]): Promise<Map<string, string[]>> {
  const around = new Map(ids.map((id) => [id, [] as string[]]));
  for (const [id, neighbors] of await neighborIds(store, ids, { types: ['next'], depth: 1, limit: 2 })) around.set(id, neighbors);
  return around;
}

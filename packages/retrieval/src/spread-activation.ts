import {
  addNode,
  isNeuroMemError,
  iterate,
  supports,
  validateActivation,
  validateSeeds,
  type ActivationOptions,
  type LocalGraph,
  type MemoryStore,
  type Neighbor,
  type NeighborQuery,
} from '@neuromem/core';

/**
 * Personalized PageRank from the seeds over any store: the store's own walk when it offers
 * `graphActivation` (next to its data, one call), else the same walk gathered through the core
 * contract's `neighbors`, level by level. The fallback sees one edge per linked pair (the one
 * `neighbors` reports), so a pair linked twice weighs less than in the store's own walk.
 */
export async function spreadActivation(store: MemoryStore, seeds: ReadonlyMap<string, number>, options: ActivationOptions = {}): Promise<Map<string, number>> {
  if (supports(store, 'graphActivation')) return store.spreadActivation(seeds, options);
  const valid = validateActivation(options);
  const weights = [...validateSeeds(seeds)]
    .filter(([, weight]) => weight > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, valid.maxNodes);
  const query: NeighborQuery = { types: [...valid.types], depth: 1, direction: 'both', limit: valid.maxNodes };
  const around = await neighborsOf(
    store,
    weights.map(([id]) => id),
    query,
  );
  // Unknown (or deleted) seeds cannot start a walk.
  const start = weights.filter(([id]) => around.has(id));
  const total = start.reduce((sum, [, weight]) => sum + weight, 0);
  if (start.length === 0 || !(total > 0)) return new Map();

  const local: LocalGraph = { ids: [], position: new Map(), restart: [], pairs: new Map() };
  const sessions = new Set<string>();
  const edges = new Map<string, { from: string; to: string; weight: number }>();
  const keep = (neighbors: readonly Neighbor[]) => {
    for (const { via } of neighbors) if (via.weight > 0) edges.set(`${via.from}\u0000${via.to}\u0000${via.type}`, { from: via.from, to: via.to, weight: via.weight });
  };
  for (const [id, weight] of start) addNode(local, id, weight / total);
  let frontier = start.map(([id]) => id);
  for (let level = 1; level <= valid.depth && frontier.length > 0; level++) {
    const next: string[] = [];
    for (const id of frontier) {
      const neighbors = around.get(id) ?? [];
      keep(neighbors);
      for (const neighbor of neighbors) {
        if (local.ids.length >= valid.maxNodes || local.position.has(neighbor.id)) continue;
        addNode(local, neighbor.id, 0);
        if (neighbor.node === 'session') sessions.add(neighbor.id);
        next.push(neighbor.id);
      }
    }
    frontier = next;
    // The last level's links among themselves count too, so its neighbourhoods are read as well.
    for (const [id, neighbors] of await neighborsOf(store, frontier, query)) around.set(id, neighbors);
  }
  for (const id of frontier) keep(around.get(id) ?? []);

  const stride = local.ids.length;
  for (const { from, to, weight } of edges.values()) {
    const [i, j] = [local.position.get(from), local.position.get(to)];
    if (i === undefined || j === undefined || i === j) continue;
    const key = Math.min(i, j) * stride + Math.max(i, j);
    local.pairs.set(key, (local.pairs.get(key) ?? 0) + weight);
  }
  const reached = [...iterate(local, valid)].filter(([id, p]) => p > 0 && !sessions.has(id));
  return new Map(reached.sort((a, b) => b[1] - a[1]));
}

/** Each node's neighbours, in one call when the store offers it; unknown nodes are left out. */
async function neighborsOf(store: MemoryStore, ids: readonly string[], query: NeighborQuery): Promise<Map<string, Neighbor[]>> {
  if (ids.length === 0) return new Map();
  if (supports(store, 'batchNeighbors')) return store.neighborsOfMany(ids, query);
  const found = new Map<string, Neighbor[]>();
  await Promise.all(
    ids.map(async (id) => {
      try {
        found.set(id, await store.neighbors(id, query));
      } catch (error) {
        if (!isNeuroMemError(error, 'NOT_FOUND')) throw error;
      }
    }),
  );
  return found;
}

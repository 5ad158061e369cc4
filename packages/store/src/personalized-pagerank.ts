import { addNode, iterate, validateActivation, validateSeeds, type ActivationOptions, type EdgeType, type LocalGraph, type ValidActivation } from '@neuromem/core';
import type { MemoryGraph, WalkEdge } from './memory-graph';

/**
 * Personalized PageRank around the seeds: a walker follows edges (undirected, chosen in proportion
 * to their weight) and jumps back to a seed, picked by seed weight, with probability `restart` at
 * every step. Memories linked to several seeds, or strongly to one, end up with more of the walk.
 *
 * Only a local subgraph takes part: the nodes within `depth` hops of the seeds, gathered breadth-first
 * until `maxNodes`, so a hub linked to thousands of memories costs at most `maxNodes` nodes. Returns
 * memory ids (seeds included, sessions not) with their stationary probability, highest first.
 */
export function personalizedPageRank(graph: MemoryGraph, seeds: ReadonlyMap<string, number>, options: ActivationOptions = {}): Map<string, number> {
  const valid = validateActivation(options);
  const weights = validateSeeds(seeds);
  graph.prefetch(weights.keys());
  // Unknown (or deleted) seeds and zero weights cannot start a walk; the heaviest seeds win the node budget.
  const start = [...weights]
    .filter(([id, weight]) => weight > 0 && graph.hasNode(id))
    .sort((a, b) => b[1] - a[1])
    .slice(0, valid.maxNodes);
  const total = start.reduce((sum, [, weight]) => sum + weight, 0);
  if (start.length === 0 || !(total > 0)) return new Map();

  const local: LocalGraph = { ids: [], position: new Map(), restart: [], pairs: new Map() };
  for (const [id, weight] of start) addNode(local, id, weight / total);
  gatherNodes(graph, local, valid);
  gatherEdges(graph, local, valid.types);
  const probabilities = iterate(local, valid);

  const reached = [...probabilities].filter(([, p]) => p > 0);
  const kinds = graph.kindsOf(reached.map(([id]) => id));
  const result = reached.filter(([id]) => kinds.get(id) === 'memory').sort((a, b) => b[1] - a[1]);
  return new Map(result);
}

const flows = (types: ReadonlySet<EdgeType>, edge: WalkEdge) => types.has(edge.type) && edge.weight > 0;

/**
 * Breadth-first from the seeds, level by level. Within a level every frontier node first gets an
 * equal share of the remaining budget, so one hub among the seeds cannot crowd out the others'
 * neighbours; what the small ones leave over then goes to the rest, in frontier order.
 */
function gatherNodes(graph: MemoryGraph, local: LocalGraph, { types, depth, maxNodes }: ValidActivation): void {
  let frontier = [...local.ids];
  for (let level = 1; level <= depth && frontier.length > 0 && local.ids.length < maxNodes; level++) {
    const next: string[] = [];
    const share = Math.max(1, Math.floor((maxNodes - local.ids.length) / frontier.length));
    let read = 0;
    for (const cap of [share, Number.POSITIVE_INFINITY]) {
      for (const [i, id] of frontier.entries()) {
        // Neighbourhoods are read as the budget needs them: when a level's first nodes fill it, the
        // rest of a long frontier is never read.
        if (i >= read) graph.prefetch(frontier.slice(i, (read = i + Math.max(16, maxNodes - local.ids.length))));
        let taken = 0;
        graph.someEdge(id, (edge, other) => {
          if (local.ids.length >= maxNodes) return true;
          if (!flows(types, edge) || local.position.has(other)) return false;
          addNode(local, other, 0);
          next.push(other);
          return ++taken >= cap;
        });
        if (local.ids.length >= maxNodes) break;
      }
    }
    frontier = next;
  }
}

/**
 * Sums the weights of the flowing edges between gathered nodes into one undirected edge per pair.
 * The nodes a walk already read (seeds and inner levels) give their edges from their cached
 * neighbourhoods, each pair from its earlier-gathered end; edges between two of the others (the
 * last level, usually most nodes) are found by SQLite in one query, so their neighbourhoods, which
 * mostly lead outside the subgraph, are never read. A read node with more edges than the subgraph
 * has nodes (a hub) is probed pair by pair instead, so a hub costs O(maxNodes), not O(degree).
 */
function gatherEdges(graph: MemoryGraph, local: LocalGraph, types: ReadonlySet<EdgeType>): void {
  const { ids: nodes, position, pairs } = local;
  const stride = nodes.length;
  const link = (a: string, b: string, weight: number) => {
    const [i, j] = [position.get(a)!, position.get(b)!];
    const key = Math.min(i, j) * stride + Math.max(i, j);
    pairs.set(key, (pairs.get(key) ?? 0) + weight);
  };
  const read = nodes.map((id) => graph.isCached(id));
  // A pair is counted from its read end, the earlier one when both were read.
  const counts = (i: number, other: string) => {
    const j = position.get(other);
    return j !== undefined && j !== i && (!read[j] || j > i);
  };
  nodes.forEach((id, i) => {
    if (!read[i]) return;
    if (graph.degree(id) > nodes.length) {
      for (let j = 0; j < nodes.length; j++) {
        if (!counts(i, nodes[j]!)) continue;
        for (const edge of graph.edgesBetween(id, nodes[j]!)) if (flows(types, edge)) link(id, nodes[j]!, edge.weight);
      }
      return;
    }
    graph.someEdge(id, (edge, other) => {
      if (flows(types, edge) && counts(i, other)) link(id, other, edge.weight);
      return false;
    });
  });
  const unread = nodes.filter((_, i) => !read[i]);
  for (const edge of graph.edgesAmong(unread, unread)) if (edge.from !== edge.to && flows(types, edge)) link(edge.from, edge.to, edge.weight);
}

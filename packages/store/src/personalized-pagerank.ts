import { EDGE_TYPES, createErrorFactory, describeValue, validateId, validatePositiveInt, type ActivationOptions, type EdgeType } from '@neuromem/core';
import { MAX_NEIGHBOR_DEPTH, type MemoryGraph, type WalkEdge } from './memory-graph';

const fail = createErrorFactory('store');

const DEFAULTS = { restart: 0.5, iterations: 20, maxNodes: 400, depth: 2 } as const;
/** `part_of` ties every turn to its session node, which would pass activation to the whole session. */
const DEFAULT_TYPES: readonly EdgeType[] = EDGE_TYPES.filter((type) => type !== 'part_of');
/** L1 change between rounds below which the walk has settled. */
const CONVERGED = 1e-9;

interface ValidActivation {
  types: ReadonlySet<EdgeType>;
  restart: number;
  iterations: number;
  maxNodes: number;
  depth: number;
}

/**
 * The subgraph a walk runs on: the gathered nodes (seeds first), their restart shares, and one
 * summed weight per linked pair (keyed lower position x stride + higher, in first-linked order).
 */
interface LocalGraph {
  ids: string[];
  position: Map<string, number>;
  restart: number[];
  pairs: Map<number, number>;
}

function addNode(local: LocalGraph, id: string, restart: number): void {
  local.position.set(id, local.ids.length);
  local.ids.push(id);
  local.restart.push(restart);
}

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
  const valid = validateOptions(options);
  const weights = validateSeeds(seeds);
  graph.prefetch(weights.keys());
  // Unknown (or deleted) seeds and zero weights cannot start a walk; the heaviest seeds win the node budget.
  const start = [...weights].filter(([id, weight]) => weight > 0 && graph.hasNode(id)).sort((a, b) => b[1] - a[1]).slice(0, valid.maxNodes);
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

/** Power iteration: p <- restart * seeds + (1 - restart) * walk(p); mass at a dead end restarts too. */
function iterate(local: LocalGraph, { restart, iterations }: ValidActivation): Map<string, number> {
  const nodes = local.ids;
  const seedShare = Float64Array.from(local.restart);
  const neighbors: number[][] = nodes.map(() => []);
  const edgeWeights: number[][] = nodes.map(() => []);
  const strength = new Float64Array(nodes.length);
  local.pairs.forEach((weight, key) => {
    const [a, b] = [Math.floor(key / nodes.length), key % nodes.length];
    neighbors[a]!.push(b);
    edgeWeights[a]!.push(weight);
    neighbors[b]!.push(a);
    edgeWeights[b]!.push(weight);
    strength[a]! += weight;
    strength[b]! += weight;
  });

  let p = Float64Array.from(seedShare);
  for (let round = 0; round < iterations; round++) {
    const next = new Float64Array(nodes.length);
    let stranded = 0;
    for (let u = 0; u < nodes.length; u++) {
      const mass = p[u]!;
      if (mass === 0) continue;
      if (strength[u] === 0) {
        stranded += mass;
        continue;
      }
      const walk = ((1 - restart) * mass) / strength[u]!;
      const targets = neighbors[u]!;
      const weights = edgeWeights[u]!;
      for (let k = 0; k < targets.length; k++) next[targets[k]!]! += walk * weights[k]!;
    }
    const jump = restart + (1 - restart) * stranded;
    let change = 0;
    for (let u = 0; u < nodes.length; u++) {
      next[u]! += jump * seedShare[u]!;
      change += Math.abs(next[u]! - p[u]!);
    }
    p = next;
    if (change < CONVERGED) break;
  }
  return new Map(nodes.map((id, i) => [id, p[i]!]));
}

function validateOptions(options: ActivationOptions): ValidActivation {
  if (typeof options !== 'object' || options === null) throw fail('INVALID_INPUT', 'spreadActivation options must be an object such as { restart: 0.5 }.');
  const { types, restart = DEFAULTS.restart, iterations = DEFAULTS.iterations, maxNodes = DEFAULTS.maxNodes, depth = DEFAULTS.depth } = options;
  if (types !== undefined && (!Array.isArray(types) || types.some((type) => !EDGE_TYPES.includes(type)))) {
    throw fail('INVALID_INPUT', `types must be an array of edge types among ${EDGE_TYPES.join(', ')}.`, { details: { field: 'types' } });
  }
  if (typeof restart !== 'number' || !(restart > 0 && restart < 1)) {
    throw fail('INVALID_INPUT', `restart must be a probability strictly between 0 and 1, got ${describeValue(restart)}.`, { details: { field: 'restart' } });
  }
  return {
    types: new Set(types ?? DEFAULT_TYPES),
    restart,
    iterations: validatePositiveInt(iterations, 'iterations', 1000, 'store'),
    maxNodes: validatePositiveInt(maxNodes, 'maxNodes', 100_000, 'store'),
    depth: validatePositiveInt(depth, 'depth', MAX_NEIGHBOR_DEPTH, 'store'),
  };
}

/**
 * Not `instanceof Map`: a Map made in another realm (a vm context, a worker) is still a Map. Not
 * `Object.prototype.toString` either: any object can claim `[Symbol.toStringTag]: 'Map'`.
 */
function isMap(value: unknown): value is ReadonlyMap<unknown, unknown> {
  try {
    Map.prototype.has.call(value, undefined);
    return true;
  } catch {
    return false;
  }
}

function validateSeeds(seeds: ReadonlyMap<string, number>): Map<string, number> {
  if (!isMap(seeds)) {
    throw fail('INVALID_INPUT', 'seeds must be a Map from memory id to a non-negative weight.', { details: { field: 'seeds' } });
  }
  const valid = new Map<string, number>();
  for (const [id, weight] of seeds) {
    validateId(id, 'store', 'seeds key');
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) {
      throw fail('INVALID_INPUT', `the weight of seed ${id} must be a finite number >= 0, got ${describeValue(weight)}.`, { details: { field: 'seeds', id } });
    }
    valid.set(id, weight);
  }
  return valid;
}

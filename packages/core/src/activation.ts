import { createErrorFactory } from './errors';
import { EDGE_TYPES, type EdgeType } from './memory';
import type { ActivationOptions } from './memory-store';
import { MAX_NEIGHBOR_DEPTH } from './store-queries';
import { describeValue, validateId, validatePositiveInt } from './validate';

/**
 * The parts of personalized PageRank every implementation shares (the SQLite store next to its
 * data, retrieval over any store's `neighbors`): option and seed checks, the local subgraph a walk
 * runs on, and the power iteration. Only gathering the subgraph differs.
 */

const fail = createErrorFactory('store');

const DEFAULTS = { restart: 0.5, iterations: 20, maxNodes: 400, depth: 2 } as const;
/**
 * Every edge type but three:
 * - `part_of` ties every turn to its session node, which would pass activation to the whole session;
 * - `supersedes` ties a statement to its older versions, which retrieval orders by what the query
 *   asks; walked, it lent the stale version the new one's score (held-out knowledge updates after a
 *   sleep: current 0.516 walked, 0.548 not; LoCoMo dev recall@10 0.808 both ways);
 * - `consolidates` ties a fact, never a result itself, to its versions.
 */
const DEFAULT_TYPES: readonly EdgeType[] = EDGE_TYPES.filter((type) => type !== 'part_of' && type !== 'supersedes' && type !== 'consolidates');
/** L1 change between rounds below which the walk has settled. */
const CONVERGED = 1e-9;

export interface ValidActivation {
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
export interface LocalGraph {
  ids: string[];
  position: Map<string, number>;
  restart: number[];
  pairs: Map<number, number>;
}

export function addNode(local: LocalGraph, id: string, restart: number): void {
  local.position.set(id, local.ids.length);
  local.ids.push(id);
  local.restart.push(restart);
}

/** Power iteration: p <- restart * seeds + (1 - restart) * walk(p); mass at a dead end restarts too. */
export function iterate(local: LocalGraph, { restart, iterations }: ValidActivation): Map<string, number> {
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

export function validateActivation(options: ActivationOptions): ValidActivation {
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

export function validateSeeds(seeds: ReadonlyMap<string, number>): Map<string, number> {
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

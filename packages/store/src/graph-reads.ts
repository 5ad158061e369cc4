import { arrayArgument, createErrorFactory, validateId, validateNeighborQuery, type Edge, type NeighborQuery, type Scope, type ScopeCheck } from '@neuromem/core';
import type { MemoryGraph } from './memory-graph';
import { personalizedPageRank } from './personalized-pagerank';
import type { SqliteMemoryStore } from './sqlite-store-options';

const fail = createErrorFactory('store');

export interface GraphReadsContext {
  graph: MemoryGraph;
  /** Throws once the store is closed (and refreshes a read-only store's caches). */
  ensureOpen(): void;
  /** The scope a call checks, or undefined when it checks nothing. */
  checkedScope(check: ScopeCheck | undefined): Scope | undefined;
  /** Whether a memory (current or deleted) or session lies inside the scope. */
  owned(id: string, scope: Scope): boolean;
  edgesOf(id: string): Edge[];
}

/**
 * The store's graph reads: a node's edges and neighbours, batch walks and activation. With a scope,
 * a walk never steps onto a node outside it, and a node outside it is answered as an unknown one.
 */
export function createGraphReads({
  graph,
  ensureOpen,
  checkedScope,
  owned,
  edgesOf,
}: GraphReadsContext): Pick<SqliteMemoryStore, 'edges' | 'neighbors' | 'neighborsOfMany' | 'neighborIdsOfMany' | 'spreadActivation'> {
  /** The nodes a batch walk starts from (known, and inside the query's scope) and the scope's check on every node it meets. */
  const walkStarts = (ids: readonly string[], query: NeighborQuery) => {
    ensureOpen();
    const valid = [...new Set(arrayArgument(ids, 'ids').map((id) => validateId(id, 'store')))];
    const scope = checkedScope(query);
    const allow = scope === undefined ? undefined : (node: string) => owned(node, scope);
    validateNeighborQuery(query);
    const kinds = graph.kindsOf(valid);
    return { from: valid.filter((id) => kinds.get(id) !== undefined && (!allow || allow(id))), allow };
  };

  return {
    async edges(id, check) {
      ensureOpen();
      const edges = edgesOf(validateId(id, 'store'));
      const scope = checkedScope(check);
      if (scope === undefined) return edges;
      return owned(id, scope) ? edges.filter((edge) => owned(edge.from === id ? edge.to : edge.from, scope)) : [];
    },

    async neighbors(id, query = {}) {
      ensureOpen();
      validateId(id, 'store');
      const scope = checkedScope(query);
      const allow = scope === undefined ? undefined : (node: string) => owned(node, scope);
      if (!graph.hasNode(id) || (allow && !allow(id))) throw fail('NOT_FOUND', `${id} is not a current memory or session.`, { details: { id } });
      validateNeighborQuery(query);
      return graph.neighbors(id, query, allow);
    },

    async neighborsOfMany(ids, query = {}) {
      const { from, allow } = walkStarts(ids, query);
      return graph.neighborsOfMany(from, query, allow);
    },

    async neighborIdsOfMany(ids, query = {}) {
      const { from, allow } = walkStarts(ids, query);
      return graph.neighborIdsOfMany(from, query, allow);
    },

    async spreadActivation(seeds, activation = {}) {
      ensureOpen();
      return personalizedPageRank(graph, seeds, activation);
    },
  };
}

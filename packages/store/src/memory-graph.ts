import Graph from 'graphology';
import type { Edge, EdgeType, Neighbor, NeighborQuery } from '@neuromem/core';

type NodeKind = Neighbor['node'];
type NodeAttributes = { node: NodeKind };
type EdgeAttributes = Edge;

export const MAX_NEIGHBOR_DEPTH = 6;
const DEFAULT_NEIGHBOR_LIMIT = 100;

/**
 * The in-memory graph of memories and sessions, derived from the `edges` table. Rebuilt from SQLite
 * on open (faster and safer than a serialized copy), then kept in step after each commit.
 */
export interface MemoryGraph {
  hasNode(id: string): boolean;
  addNode(id: string, node: NodeKind): void;
  /** Drops the node and every edge touching it. */
  dropNode(id: string): void;
  /** Adds or replaces the edge (one per from/to/type). Both ends must exist. */
  upsertEdge(edge: Edge): void;
  /** With `allow`, the walk neither reports nor crosses nodes it rejects. */
  neighbors(id: string, query: NeighborQuery, allow?: (id: string) => boolean): Neighbor[];
  /** Whether the node is a memory or a session; undefined when the graph does not hold it. */
  nodeKind(id: string): NodeKind | undefined;
  /** How many edges touch the node, in either direction (0 for unknown nodes). */
  degree(id: string): number;
  /** Visits the edges touching the node, in either direction, until `visit` returns true. */
  someEdge(id: string, visit: (edge: Edge, other: string) => boolean): void;
  /** Every edge between two nodes, in either direction. */
  edgesBetween(a: string, b: string): Edge[];
  order(): number;
  size(): number;
  clear(): void;
}

export function createMemoryGraph(): MemoryGraph {
  const graph = new Graph<NodeAttributes, EdgeAttributes>({ type: 'directed', multi: true, allowSelfLoops: false });
  const edgeKey = (edge: Pick<Edge, 'from' | 'to' | 'type'>) => `${edge.type}\u0000${edge.from}\u0000${edge.to}`;

  return {
    hasNode: (id) => graph.hasNode(id),
    addNode(id, node) {
      graph.mergeNode(id, { node });
    },
    dropNode(id) {
      if (graph.hasNode(id)) graph.dropNode(id);
    },
    upsertEdge(edge) {
      if (!graph.hasNode(edge.from) || !graph.hasNode(edge.to)) return;
      const key = edgeKey(edge);
      if (graph.hasEdge(key)) graph.replaceEdgeAttributes(key, edge);
      else graph.addDirectedEdgeWithKey(key, edge.from, edge.to, edge);
    },
    neighbors(id, query, allow) {
      const depth = query.depth ?? 1;
      const limit = query.limit ?? DEFAULT_NEIGHBOR_LIMIT;
      const direction = query.direction ?? 'both';
      const types = query.types ? new Set<EdgeType>(query.types) : null;
      const seen = new Set([id]);
      const found: Neighbor[] = [];
      let frontier = [id];
      // Breadth-first, so each node is reported at its shortest distance, through the first edge found.
      for (let level = 1; level <= depth && frontier.length > 0 && found.length < limit; level++) {
        const next: string[] = [];
        for (const current of frontier) {
          const visit = (_key: string, edge: EdgeAttributes) => {
            if (found.length >= limit || (types && !types.has(edge.type))) return;
            const other = edge.from === current ? edge.to : edge.from;
            if (seen.has(other)) return;
            seen.add(other);
            if (allow && !allow(other)) return;
            found.push({ id: other, node: graph.getNodeAttribute(other, 'node'), depth: level, via: edge });
            next.push(other);
          };
          if (direction !== 'in') graph.forEachOutEdge(current, visit);
          if (direction !== 'out') graph.forEachInEdge(current, visit);
        }
        frontier = next;
      }
      return found;
    },
    nodeKind: (id) => (graph.hasNode(id) ? graph.getNodeAttribute(id, 'node') : undefined),
    degree: (id) => (graph.hasNode(id) ? graph.degree(id) : 0),
    someEdge(id, visit) {
      if (graph.hasNode(id)) graph.someEdge(id, (_key, edge) => visit(edge, edge.from === id ? edge.to : edge.from));
    },
    edgesBetween(a, b) {
      const found: Edge[] = [];
      if (graph.hasNode(a) && graph.hasNode(b)) graph.forEachEdge(a, b, (_key, edge) => void found.push(edge));
      return found;
    },
    order: () => graph.order,
    size: () => graph.size,
    clear: () => graph.clear(),
  };
}

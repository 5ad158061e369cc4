import { inScope, type Edge, type EdgeType, type Neighbor, type NeighborQuery, type Scope } from '@neuromem/core';
import type { PostgresConnection } from './postgres-connection';

interface EdgeRow {
  from_id: string;
  to_id: string;
  type: EdgeType;
  weight: number;
  label: string | null;
  created_at: string;
}

export const toEdge = (row: EdgeRow): Edge => ({ from: row.from_id, to: row.to_id, type: row.type, weight: row.weight, label: row.label, createdAt: Number(row.created_at) });

/** What a walk needs to know of a node: it is live (a current memory or a session), its kind and owner. */
export interface NodeInfo {
  node: Neighbor['node'];
  scope: Scope;
}

/** Live nodes among `ids`: current memories and sessions, with their owners. */
export async function liveNodes(db: PostgresConnection, schema: string, ids: readonly string[]): Promise<Map<string, NodeInfo>> {
  if (ids.length === 0) return new Map();
  const rows = await db.query<{ id: string; node: Neighbor['node']; user_id: string | null; agent_id: string | null; session_id: string | null }>(
    `SELECT id, 'memory' AS node, user_id, agent_id, session_id FROM "${schema}".versions WHERE id = ANY($1) AND valid_to IS NULL
     UNION ALL SELECT node_id, 'session', user_id, agent_id, session_id FROM "${schema}".sessions WHERE node_id = ANY($1)`,
    [ids],
  );
  return new Map(rows.map((row) => [row.id, { node: row.node, scope: scopeOf(row) }]));
}

export const scopeOf = (row: { user_id: string | null; agent_id: string | null; session_id: string | null }): Scope => ({
  ...(row.user_id !== null ? { userId: row.user_id } : {}),
  ...(row.agent_id !== null ? { agentId: row.agent_id } : {}),
  ...(row.session_id !== null ? { sessionId: row.session_id } : {}),
});

/**
 * Breadth-first walks from several live roots at once, one pair of queries per level for all of
 * them (the edges around every frontier node, then which of their other ends are live and whose):
 * retrieval asks for the turns around dozens of candidates, and a round trip each would dominate.
 * A walk never reports or passes through a node outside `scope`.
 */
export async function walkNeighbors(db: PostgresConnection, schema: string, roots: readonly string[], query: NeighborQuery, scope: Scope | undefined): Promise<Map<string, Neighbor[]>> {
  const { types, depth = 1, direction = 'both', limit = 100 } = query;
  const walks = roots.map((root) => ({ root, found: [] as Neighbor[], seen: new Set([root]), frontier: [root] }));
  for (let level = 1; level <= depth; level++) {
    const active = walks.filter((walk) => walk.frontier.length > 0 && walk.found.length < limit);
    if (active.length === 0) break;
    const frontier = [...new Set(active.flatMap((walk) => walk.frontier))];
    const ends = direction === 'out' ? 'from_id = ANY($1)' : direction === 'in' ? 'to_id = ANY($1)' : '(from_id = ANY($1) OR to_id = ANY($1))';
    const edges = (
      await db.query<EdgeRow>(
        `SELECT from_id, to_id, type, weight, label, created_at FROM "${schema}".edges WHERE ${ends}${types ? ' AND type = ANY($2)' : ''} ORDER BY created_at, seq`,
        types ? [frontier, [...types]] : [frontier],
      )
    ).map(toEdge);
    const around = new Map<string, Array<{ other: string; edge: Edge }>>();
    for (const edge of edges) {
      if (direction !== 'in') (around.get(edge.from) ?? around.set(edge.from, []).get(edge.from)!).push({ other: edge.to, edge });
      if (direction !== 'out') (around.get(edge.to) ?? around.set(edge.to, []).get(edge.to)!).push({ other: edge.from, edge });
    }
    const nodes = await liveNodes(db, schema, [...new Set(edges.flatMap((edge) => [edge.from, edge.to]))]);
    for (const walk of active) {
      const next: string[] = [];
      for (const node of walk.frontier) {
        for (const { other, edge } of around.get(node) ?? []) {
          const info = nodes.get(other);
          if (walk.found.length >= limit || walk.seen.has(other) || !info || (scope && !inScope(info.scope, scope))) continue;
          walk.seen.add(other);
          walk.found.push({ id: other, node: info.node, depth: level, via: edge });
          next.push(other);
        }
      }
      walk.frontier = next;
    }
  }
  return new Map(walks.map((walk) => [walk.root, walk.found]));
}

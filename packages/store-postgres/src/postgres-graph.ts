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

/** Live nodes among `ids`: current memories and sessions, with their owners (read on a pool or inside a transaction). */
export async function liveNodes(db: Pick<PostgresConnection, 'query'>, schema: string, ids: readonly string[]): Promise<Map<string, NodeInfo>> {
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
    // One round trip per level: the edges around the frontier, and which of their ends are live and whose.
    const rows = await db.query<EdgeRow & { seq: string; kind: 'edge' | 'node'; node: Neighbor['node'] | null; user_id: string | null; agent_id: string | null; session_id: string | null }>(
      `WITH e AS (SELECT from_id, to_id, type, weight, label, created_at, seq FROM "${schema}".edges WHERE ${ends}${types ? ' AND type = ANY($2)' : ''}),
            ends AS (SELECT from_id AS id FROM e UNION SELECT to_id FROM e)
       SELECT 'edge' AS kind, from_id, to_id, type, weight, label, created_at, seq, NULL AS node, NULL AS user_id, NULL AS agent_id, NULL AS session_id FROM e
       UNION ALL SELECT 'node', id, NULL, NULL, NULL, NULL, NULL, NULL, 'memory', user_id, agent_id, session_id FROM "${schema}".versions WHERE valid_to IS NULL AND id IN (SELECT id FROM ends)
       UNION ALL SELECT 'node', node_id, NULL, NULL, NULL, NULL, NULL, NULL, 'session', user_id, agent_id, session_id FROM "${schema}".sessions WHERE node_id IN (SELECT id FROM ends)`,
      types ? [frontier, [...types]] : [frontier],
    );
    const edges = rows
      .filter((row) => row.kind === 'edge')
      .sort((a, b) => Number(a.created_at) - Number(b.created_at) || Number(a.seq) - Number(b.seq))
      .map(toEdge);
    const nodes = new Map(rows.filter((row) => row.kind === 'node').map((row) => [row.from_id, { node: row.node!, scope: scopeOf(row) }]));
    const around = new Map<string, Array<{ other: string; edge: Edge }>>();
    for (const edge of edges) {
      if (direction !== 'in') (around.get(edge.from) ?? around.set(edge.from, []).get(edge.from)!).push({ other: edge.to, edge });
      if (direction !== 'out') (around.get(edge.to) ?? around.set(edge.to, []).get(edge.to)!).push({ other: edge.from, edge });
    }
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

import type { PoolClient } from 'pg';
import { arrayArgument, createErrorFactory, inScope, validateEdge, validateEdgeKey, validateId, validateNeighborQuery, type Edge, type MemoryStore, type Scope, type ScopeCheck } from '@neuromem/core';
import type { PostgresConnection } from './postgres-connection';
import { liveNodes, toEdge, walkNeighbors } from './postgres-graph';

const fail = createErrorFactory('store');

interface GraphMethodsContext {
  db: PostgresConnection;
  schema: string;
  /** Throws `CLOSED` after `close()`. */
  open: () => void;
  /** The scope a by-id call checks, or undefined when it checks none. */
  checked: (check: ScopeCheck | undefined) => Scope | undefined;
  now: () => number;
  ownersOf: (ids: readonly string[]) => Promise<Map<string, Scope>>;
  addEdge: (client: PoolClient, edge: Edge, upsert?: boolean) => Promise<unknown>;
}

/** The store's graph calls on PostgreSQL: links given by the caller, edges of a node, and walks from one or many. */
export function createPostgresGraphMethods({
  db,
  schema,
  open,
  checked,
  now: clockNow,
  ownersOf,
  addEdge,
}: GraphMethodsContext): Pick<Required<MemoryStore>, 'link' | 'unlink' | 'edges' | 'neighbors' | 'neighborsOfMany'> {
  const s = `"${schema}"`;
  return {
    async link(given) {
      open();
      const now = clockNow();
      const valid = arrayArgument(given, 'edges').map((edge, i) => validateEdge(edge, i, now));
      await db.transaction(async (client) => {
        const ends = [...new Set(valid.flatMap((edge) => [edge.from, edge.to]))];
        const live = await liveNodes({ query: async (sql, params) => (await client.query(sql, params as unknown[])).rows }, schema, ends);
        const missing = ends.find((end) => !live.has(end));
        if (missing !== undefined) throw fail('NOT_FOUND', `${missing} is not a current memory or session.`, { details: { id: missing } });
        for (const edge of valid) await addEdge(client, edge, true);
      });
    },

    async unlink(given) {
      open();
      const keys = arrayArgument(given, 'edges').map((edge, i) => validateEdgeKey(edge, i));
      if (keys.length === 0) return 0;
      let removed = 0;
      await db.transaction(async (client) => {
        for (const edge of keys) removed += (await client.query(`DELETE FROM ${s}.edges WHERE from_id = $1 AND to_id = $2 AND type = $3`, [edge.from, edge.to, edge.type])).rowCount ?? 0;
      });
      return removed;
    },

    async edges(id, check) {
      open();
      validateId(id, 'store');
      const scope = checked(check);
      const edges = (
        await db.query<Parameters<typeof toEdge>[0]>(`SELECT from_id, to_id, type, weight, label, created_at FROM ${s}.edges WHERE from_id = $1 OR to_id = $1 ORDER BY created_at, seq`, [id])
      ).map(toEdge);
      if (scope === undefined) return edges;
      // One lookup for the node and every other end.
      const owners = await ownersOf([id, ...edges.map((edge) => (edge.from === id ? edge.to : edge.from))]);
      const inside = (node: string) => owners.has(node) && inScope(owners.get(node)!, scope);
      return inside(id) ? edges.filter((edge) => inside(edge.from === id ? edge.to : edge.from)) : [];
    },

    async neighbors(id, query = {}) {
      open();
      validateId(id, 'store');
      const scope = checked(query);
      const node = (await liveNodes(db, schema, [id])).get(id);
      if (!node || (scope && !inScope(node.scope, scope))) throw fail('NOT_FOUND', `${id} is not a current memory or session.`, { details: { id } });
      return (await walkNeighbors(db, schema, [id], validateNeighborQuery(query), scope)).get(id)!;
    },

    async neighborsOfMany(ids, query = {}) {
      open();
      const valid = [...new Set(arrayArgument(ids, 'ids').map((id) => validateId(id, 'store')))];
      const scope = checked(query);
      validateNeighborQuery(query);
      const nodes = await liveNodes(db, schema, valid);
      return walkNeighbors(
        db,
        schema,
        valid.filter((id) => nodes.has(id) && (!scope || inScope(nodes.get(id)!.scope, scope))),
        query,
        scope,
      );
    },
  };
}

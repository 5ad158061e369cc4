import type { Database, Statement } from 'better-sqlite3';
import { createLruCache, type Edge, type EdgeType, type Neighbor, type NeighborQuery } from '@neuromem/core';
import { EDGE_TYPE_CODE_SQL, EDGE_TYPE_CODES, edgeTypeOf } from './edge-type-codes';
import { ID_OF, NODE_OF } from './schema';
import type { DerivedChanges } from './write-operations';

type NodeKind = Neighbor['node'];

const DEFAULT_NEIGHBOR_LIMIT = 100;
/** Edges kept in memory across searches (about 150 bytes each): enough for the neighbourhoods in use. */
const DEFAULT_CACHED_EDGES = 200_000;
/**
 * Typed neighbourhoods kept in memory, counted like `DEFAULT_CACHED_EDGES` (a turn's `next` links
 * cost 3): some 33,000 turns in about 12 MB, the turns around the candidates of ~300 searches.
 */
const DEFAULT_CACHED_TYPED_EDGES = 100_000;
/** Node kinds kept in memory (about 100 bytes each). */
const DEFAULT_CACHED_KINDS = 500_000;

/** What a walk needs of an edge: where it leads, its type and weight (the rest is read for results only). */
export type WalkEdge = Pick<Edge, 'type' | 'weight'>;

interface Link extends WalkEdge {
  other: string;
  /** The edge's write order: a node's links are visited in it. */
  seq: number;
}

/**
 * A link as SQLite returns it: the asked node's place in the list (< 0: incoming), the other end's
 * id, the type's code, weight, write order, and the node numbers of the other end and of the asked
 * node (> 0 a memory, < 0 a session).
 */
type LinkRow = [position: number, other: string, type: number, weight: number, seq: number, node: number, asked: number];

/** An edge's key, to read the whole edge when a walk reports it. */
type EdgeKeyTuple = [from: string, to: string, type: EdgeType];

/** A node a walk reached: at which depth, through which edge. */
interface Found {
  id: string;
  depth: number;
  via: EdgeKeyTuple;
}

/** A node as read from SQLite: its kind (undefined when it is not a current memory or session) and live links. */
interface Adjacency {
  kind: NodeKind | undefined;
  /** Each list by neighbour, neighbours in the order first linked, a neighbour's edges in write order. */
  incoming: Link[];
  outgoing: Link[];
}

/**
 * The graph of memories and sessions, read from the `edges` table on demand. Nothing is loaded on
 * open, so opening a memory of a million turns costs nothing here; a walk reads only the
 * neighbourhoods it visits (one query per breadth-first level, via `prefetch`), and recently read
 * neighbourhoods stay in a bounded cache that each commit invalidates where it changed.
 *
 * Nodes are current memories and sessions. An edge is visible while both its ends are (the `live`
 * column, kept by the writes); edges of deleted memories stay in SQLite for history only.
 */
export interface MemoryGraph {
  hasNode(id: string): boolean;
  /** Whether the node is a memory or a session; undefined when it is neither (unknown or deleted). */
  nodeKind(id: string): NodeKind | undefined;
  /** How many live edges touch the node, in either direction (0 for unknown nodes). */
  degree(id: string): number;
  /** Visits the live edges touching the node, incoming then outgoing, until `visit` returns true. */
  someEdge(id: string, visit: (edge: WalkEdge, other: string) => boolean): void;
  /** Every live edge between two nodes, in either direction. */
  edgesBetween(a: string, b: string): WalkEdge[];
  /** With `allow`, the walk neither reports nor crosses nodes it rejects. */
  neighbors(id: string, query: NeighborQuery, allow?: (id: string) => boolean): Neighbor[];
  /** `neighbors` of each id, read together: one query per level for all of them and one for the edges reported. */
  neighborsOfMany(ids: readonly string[], query: NeighborQuery, allow?: (id: string) => boolean): Map<string, Neighbor[]>;
  /** The ids `neighborsOfMany` reports, without reading their edges or kinds. */
  neighborIdsOfMany(ids: readonly string[], query: NeighborQuery, allow?: (id: string) => boolean): Map<string, string[]>;
  /** Reads the neighbourhoods of many nodes in one query, so a walk over them makes no query per node. */
  prefetch(ids: Iterable<string>): void;
  /** Whether each node is cached with its neighbourhood (a walk over it then reads nothing). */
  isCached(id: string): boolean;
  /** The kind of each node, read without its links when it is not cached (one query for all). */
  kindsOf(ids: readonly string[]): Map<string, NodeKind | undefined>;
  /**
   * The live edges from `from` to `to` (both lists of node ids), found by SQLite without reading
   * anything else of the nodes: for the links among nodes whose neighbourhoods are not needed.
   */
  edgesAmong(from: readonly string[], to: readonly string[]): Array<WalkEdge & { from: string; to: string }>;
  /** After a commit: forgets the cached neighbourhoods the changes touched. */
  invalidate(changes: Pick<DerivedChanges, 'nodesAdded' | 'nodesDropped' | 'edges'>): void;
  /** Forgets every cached neighbourhood. */
  clear(): void;
}

export function createMemoryGraph(db: Database, options: { cachedEdges?: number; cachedKinds?: number } = {}): MemoryGraph {
  const costOf = (node: Adjacency) => node.incoming.length + node.outgoing.length + 1;
  const cache = createLruCache<string, Adjacency>({ maxCost: options.cachedEdges ?? DEFAULT_CACHED_EDGES, costOf });
  /**
   * Neighbourhoods of some edge types only (a walk along `next` reads a turn's two neighbours, not
   * its entity links), by type set and node: every search reads the turns around its hundred-odd
   * candidates, and a user's candidates recur from one search to the next. Kept apart from `cache`,
   * whose entries must hold every link; invalidated with it.
   */
  const typedCache = createLruCache<string, Adjacency>({ maxCost: DEFAULT_CACHED_TYPED_EDGES, costOf });
  const typeSets = new Set<string>();
  const typedKey = (types: string, id: string) => `${types}\u0000${id}`;
  const kinds: Statement<[string], { id: string; kind: NodeKind | null }> = db.prepare(
    `SELECT value AS id, CASE
       WHEN EXISTS (SELECT 1 FROM memories WHERE id = value AND current_row IS NOT NULL) THEN 'memory'
       WHEN EXISTS (SELECT 1 FROM sessions WHERE node_id = value) THEN 'session' END AS kind
     FROM json_each(?)`,
  );
  // Each live edge once from each end asked for: outgoing ones from the table (clustered by
  // from_n), incoming ones from the covering `edges_in` alone (put in write order per node below:
  // cheaper than a sort of every row in SQL). A row names the node asked for by its position in the
  // list (>= 0 out, < 0 in) and the edge type by its code (`EDGE_TYPE_CODES`), so the only string a
  // row makes is the other end's id. Its last columns are the node numbers of the other end and of
  // the node asked for: > 0 a memory, < 0 a session, and current either way, since the edge is live.
  const typeNumber = 'e.type';
  const linksOf: Statement<[string, string], LinkRow> = db
    .prepare(
      `SELECT j.key, ${ID_OF('e.to_n')}, ${typeNumber}, e.weight, e.seq, e.to_n, e.from_n FROM json_each(?) j CROSS JOIN edges e ON e.from_n = ${NODE_OF('j.value')} AND e.live = 1
       UNION ALL SELECT -1 - j.key, ${ID_OF('e.from_n')}, ${typeNumber}, e.weight, e.seq, e.from_n, e.to_n FROM json_each(?) j CROSS JOIN edges e INDEXED BY edges_in ON e.to_n = ${NODE_OF('j.value')} AND e.live = 1`,
    )
    .raw() as unknown as Statement<[string, string], LinkRow>;
  // The same links, of some types only: SQLite filters on the covering index, so a walk that follows
  // `next` edges reads two rows per node, not the node's every entity link.
  const typedLinks = new Map<string, Statement<[string, string], LinkRow>>();
  const linksOfTypes = (types: ReadonlySet<EdgeType>) => {
    const key = [...types].sort().join(',');
    let statement = typedLinks.get(key);
    if (statement === undefined) {
      const ofTypes = `e.type IN (${[...types].map((type) => EDGE_TYPE_CODES[type]).join(', ')})`;
      statement = db
        .prepare(
          `SELECT j.key, ${ID_OF('e.to_n')}, ${typeNumber}, e.weight, e.seq, e.to_n, e.from_n FROM json_each(?) j CROSS JOIN edges e ON e.from_n = ${NODE_OF('j.value')} AND e.live = 1 AND ${ofTypes}
           UNION ALL SELECT -1 - j.key, ${ID_OF('e.from_n')}, ${typeNumber}, e.weight, e.seq, e.from_n, e.to_n FROM json_each(?) j CROSS JOIN edges e INDEXED BY edges_in ON e.to_n = ${NODE_OF('j.value')} AND e.live = 1 AND ${ofTypes}`,
        )
        .raw() as unknown as Statement<[string, string], LinkRow>;
      typedLinks.set(key, statement);
    }
    return statement;
  };
  // `+e.to_n`: were to_n usable as an index column here, SQLite would seek every from x to pair.
  const among: Statement<[string, string], [string, string, number, number]> = db
    .prepare(
      `SELECT j.value, ${ID_OF('e.to_n')}, ${typeNumber}, e.weight FROM json_each(?) j CROSS JOIN edges e ON e.from_n = ${NODE_OF('j.value')} AND e.live = 1
       WHERE +e.to_n IN (SELECT ${NODE_OF('value')} FROM json_each(?))`,
    )
    .raw() as unknown as Statement<[string, string], [string, string, number, number]>;
  const edgesByKey: Statement<[string], { from_id: string; to_id: string; type: string; weight: number; label: string | null; created_at: number }> = db.prepare(
    `SELECT j.value ->> 0 AS from_id, j.value ->> 1 AS to_id, j.value ->> 2 AS type, e.weight, e.label, e.created_at FROM json_each(?) j
     CROSS JOIN edges e ON e.from_n = ${NODE_OF('j.value ->> 0')} AND e.to_n = ${NODE_OF('j.value ->> 1')} AND e.type = ${EDGE_TYPE_CODE_SQL('j.value ->> 2')}`,
  );

  /**
   * Kinds by id (undefined: neither a current memory nor a session), from the neighbourhood cache,
   * this cache, else SQLite in one query. Far more ids fit here than neighbourhoods: a walk reports
   * many nodes whose links it never reads.
   */
  const kindCache = createLruCache<string, NodeKind | 'none'>({ maxCost: options.cachedKinds ?? DEFAULT_CACHED_KINDS });
  function kindsOf(ids: Iterable<string>): Map<string, NodeKind | undefined> {
    const found = new Map<string, NodeKind | undefined>();
    const missing: string[] = [];
    for (const id of ids) {
      if (found.has(id)) continue;
      const kind = cache.get(id)?.kind ?? kindCache.get(id);
      if (kind === undefined) missing.push(id);
      found.set(id, kind === 'none' ? undefined : kind);
    }
    if (missing.length > 0) {
      for (const row of kinds.all(JSON.stringify(missing))) {
        found.set(row.id, row.kind ?? undefined);
        kindCache.set(row.id, row.kind ?? 'none');
      }
    }
    return found;
  }

  /**
   * The neighbourhoods of `ids` (distinct), all links or those of some types, in one query. A
   * partial (typed) read is for one walk only, which never asks a node's kind: it is not read then.
   */
  function readAdjacency(ids: readonly string[], types: ReadonlySet<EdgeType> | null): Map<string, Adjacency> {
    const list = JSON.stringify(ids);
    const read = new Map<string, Adjacency>();
    for (const id of ids) read.set(id, { kind: undefined, incoming: [], outgoing: [] });
    for (const [position, other, type, weight, seq, node, asked] of (types === null ? linksOf : linksOfTypes(types)).all(list, list)) {
      const link = { other, type: edgeTypeOf(type), weight, seq };
      // Both ends' kinds come with a live link: a walk that reports them asks no query for them.
      kindCache.set(other, node > 0 ? 'memory' : 'session');
      const adjacency = read.get(ids[position >= 0 ? position : -1 - position]!)!;
      adjacency.kind = asked > 0 ? 'memory' : 'session';
      (position >= 0 ? adjacency.outgoing : adjacency.incoming).push(link);
    }
    // A whole neighbourhood is cached with its node's kind; only nodes without a live link are asked for theirs.
    if (types === null) {
      const unlinked = ids.filter((id) => read.get(id)!.kind === undefined);
      const known = unlinked.length > 0 ? kindsOf(unlinked) : undefined;
      for (const id of unlinked) read.get(id)!.kind = known!.get(id);
    }
    for (const adjacency of read.values()) {
      adjacency.incoming = byNeighbour(adjacency.incoming);
      adjacency.outgoing = byNeighbour(adjacency.outgoing);
    }
    return read;
  }

  function prefetch(ids: Iterable<string>): void {
    const missing = [...new Set(ids)].filter((id) => cache.get(id) === undefined);
    if (missing.length === 0) return;
    for (const [id, adjacency] of readAdjacency(missing, null)) cache.set(id, adjacency);
  }

  /**
   * The neighbourhoods a walk level needs: cached ones as they are; with `types`, the others are
   * read with those types only and cached apart, for walks of the same types (a partial
   * neighbourhood must not answer other walks).
   */
  function levelAdjacency(frontier: readonly string[], types: ReadonlySet<EdgeType> | null): (id: string) => Adjacency {
    if (types === null) {
      prefetch(frontier);
      return adjacency;
    }
    const typesKey = [...types].sort().join(',');
    typeSets.add(typesKey);
    const known = new Map<string, Adjacency>();
    const missing: string[] = [];
    for (const id of new Set(frontier)) {
      const node = cache.get(id) ?? typedCache.get(typedKey(typesKey, id));
      if (node === undefined) missing.push(id);
      else known.set(id, node);
    }
    if (missing.length > 0) {
      for (const [id, node] of readAdjacency(missing, types)) {
        typedCache.set(typedKey(typesKey, id), node);
        known.set(id, node);
      }
    }
    return (id) => known.get(id) ?? { kind: undefined, incoming: [], outgoing: [] };
  }

  /** Forgets a node's neighbourhoods, whole and typed. */
  const forget = (id: string) => {
    cache.delete(id);
    for (const types of typeSets) typedCache.delete(typedKey(types, id));
  };
  /** Forgets every neighbourhood, whole and typed. */
  const forgetAll = () => {
    cache.clear();
    typedCache.clear();
  };

  /** Stable grouping by neighbour after write order: a walk meets all edges to one neighbour together. */
  function byNeighbour(links: Link[]): Link[] {
    links.sort((a, b) => a.seq - b.seq);
    const groups = new Map<string, Link[]>();
    for (const link of links) {
      const group = groups.get(link.other);
      if (group) group.push(link);
      else groups.set(link.other, [link]);
    }
    return [...groups.values()].flat();
  }

  const adjacency = (id: string): Adjacency => {
    let node = cache.get(id);
    if (node === undefined) {
      prefetch([id]);
      // A node with more edges than the whole cache holds is read again when asked again.
      node = cache.get(id) ?? { kind: kindsOf([id]).get(id), incoming: [], outgoing: [] };
    }
    return node;
  };

  /**
   * Breadth-first from `id`, so each node is reported at its shortest distance, through the first
   * edge found. `first` gives the first level's neighbourhoods when they were read for many walks at once.
   */
  function walk(id: string, query: NeighborQuery, allow: ((id: string) => boolean) | undefined, first?: (id: string) => Adjacency): Found[] {
    const depth = query.depth ?? 1;
    const limit = query.limit ?? DEFAULT_NEIGHBOR_LIMIT;
    const direction = query.direction ?? 'both';
    const types = query.types ? new Set<EdgeType>(query.types) : null;
    const seen = new Set([id]);
    const found: Found[] = [];
    let frontier = [id];
    for (let level = 1; level <= depth && frontier.length > 0 && found.length < limit; level++) {
      const adjacencyOf = level === 1 && first ? first : levelAdjacency(frontier, types);
      const next: string[] = [];
      for (const current of frontier) {
        const node = adjacencyOf(current);
        const outgoing = direction !== 'in' ? node.outgoing : [];
        const links = [...outgoing, ...(direction !== 'out' ? node.incoming : [])];
        for (let i = 0; i < links.length; i++) {
          const { other, type } = links[i]!;
          if (found.length >= limit) break;
          if ((types && !types.has(type)) || seen.has(other)) continue;
          seen.add(other);
          if (allow && !allow(other)) continue;
          next.push(other);
          found.push({ id: other, depth: level, via: i < outgoing.length ? [current, other, type] : [other, current, type] });
        }
      }
      frontier = next;
    }
    return found;
  }

  /** Every id's walk, the first level's neighbourhoods read for all of them at once. */
  function walkMany(ids: readonly string[], query: NeighborQuery, allow?: (id: string) => boolean): Map<string, Found[]> {
    const first = levelAdjacency(ids, query.types ? new Set<EdgeType>(query.types) : null);
    return new Map(ids.map((id) => [id, walk(id, query, allow, first)]));
  }

  function neighborsOfMany(ids: readonly string[], query: NeighborQuery, allow?: (id: string) => boolean): Map<string, Neighbor[]> {
    const walks = walkMany(ids, query, allow);
    const reported = [...walks.values()].flat();
    // The reported nodes' kinds (their links are not needed) and the whole edges that reached them,
    // for every walk at once.
    const reportedKinds = kindsOf(reported.map((neighbor) => neighbor.id));
    const keyOf = (from: string, to: string, type: string) => `${from}\u0000${to}\u0000${type}`;
    const keys = new Map(reported.map(({ via }) => [keyOf(...via), via]));
    const edges = new Map(keys.size === 0 ? [] : edgesByKey.all(JSON.stringify([...keys.values()])).map((row) => [keyOf(row.from_id, row.to_id, row.type), row]));
    const describe = ({ id: other, depth: level, via: key }: Found): Neighbor => {
      const row = edges.get(keyOf(...key))!;
      const via: Edge = { from: row.from_id, to: row.to_id, type: row.type as EdgeType, weight: row.weight, label: row.label, createdAt: row.created_at };
      return { id: other, node: reportedKinds.get(other) ?? 'memory', depth: level, via };
    };
    return new Map([...walks].map(([id, found]) => [id, found.map(describe)]));
  }

  return {
    hasNode: (id) => adjacency(id).kind !== undefined,
    nodeKind: (id) => adjacency(id).kind,
    degree: (id) => {
      const node = adjacency(id);
      return node.incoming.length + node.outgoing.length;
    },
    someEdge(id, visit) {
      const node = adjacency(id);
      for (const links of [node.incoming, node.outgoing]) for (const link of links) if (visit(link, link.other)) return;
    },
    edgesBetween(a, b) {
      const node = adjacency(a);
      return [...node.incoming, ...node.outgoing].filter(({ other }) => other === b);
    },
    neighbors: (id, query, allow) => neighborsOfMany([id], query, allow).get(id)!,
    neighborsOfMany,
    neighborIdsOfMany(ids, query, allow) {
      return new Map([...walkMany(ids, query, allow)].map(([id, found]) => [id, found.map((neighbor) => neighbor.id)]));
    },
    prefetch,
    isCached: (id) => cache.get(id) !== undefined,
    kindsOf,
    edgesAmong(from, to) {
      if (from.length === 0 || to.length === 0) return [];
      return among.all(JSON.stringify(from), JSON.stringify(to)).map(([a, b, type, weight]) => ({ from: a, to: b, type: edgeTypeOf(type), weight }));
    },
    invalidate(changes) {
      for (const id of changes.nodesDropped) kindCache.delete(id);
      for (const { id } of changes.nodesAdded) kindCache.delete(id);
      // A dropped node hides its edges from every neighbour's cached list: start afresh (deletes are rare).
      if (changes.nodesDropped.length > 0) return forgetAll();
      for (const { id } of changes.nodesAdded) forget(id);
      for (const edge of changes.edges) {
        forget(edge.from);
        forget(edge.to);
      }
    },
    clear() {
      forgetAll();
      kindCache.clear();
    },
  };
}

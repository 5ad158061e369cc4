import type { Edge, EdgeType, HistoryEntry, MemoryKind, MemoryRecord, Metadata, JsonPrimitive, JsonValue, Scale, Scope, SourcePointer } from './memory';

/**
 * A weak causal link between a turn and the turn before it in its session: `consequence` when the
 * previous turn causes this one ("So I was late"), `explanation` when this one causes it ("Because
 * the car broke down"). The weight stays below 1: a cue word is evidence, not proof.
 */
export interface CausalCue {
  direction: 'consequence' | 'explanation';
  weight: number;
}

/** A memory to write. Vectors are keyed by scale; each must match the store's dimensions for it. */
export interface NewMemory {
  /** Caller-chosen id (must be unused); generated when omitted. */
  id?: string;
  text: string;
  kind?: MemoryKind;
  scale?: Scale;
  scope: Scope;
  role?: string | null;
  /** When it happened (epoch ms); defaults to the write time. */
  eventTime?: number;
  importance?: number;
  metadata?: Metadata;
  source?: SourcePointer | null;
  /** One vector per ANN-indexed scale of the memory itself (e.g. `turn`). */
  vectors?: Partial<Record<Scale, Float32Array>>;
  /** Token vectors (the `token` scale) for late-interaction re-ranking; stored, not ANN-indexed. */
  tokens?: readonly Float32Array[];
  /** The updated vector of this memory's session (the `session` scale); needs `scope.sessionId`. */
  sessionVector?: Float32Array;
  /**
   * Normalized entity keys the text mentions (`name:caroline`, `date:2023-05-07`), as the caller
   * extracted them (`@neuromem/retrieval` does); the store runs no language processing. It links the
   * memory by a `same_entity` edge to the owner's latest memory with each key (`ENTITY_LINKS_PER_MENTION`). None when omitted.
   */
  entities?: readonly string[];
  /**
   * A causal cue linking this memory to the previous turn of its session: a 0..1 weight (the previous
   * turn causes this one), or the direction too. None when omitted or weight 0.
   */
  causalCue?: number | CausalCue;
}

/** Fields an update may change; every change produces a new version. */
export interface MemoryPatch {
  text?: string;
  importance?: number;
  metadata?: Metadata;
  kind?: MemoryKind;
  /** New vectors for the new text (required by stores when the text changes and the scale is indexed). */
  vectors?: Partial<Record<Scale, Float32Array>>;
  /** New token vectors for the new text; when the text changes without them, old token vectors are dropped. */
  tokens?: readonly Float32Array[];
  /** The new text's entity keys; when the text changes without them, the old ones are dropped (they describe the old text). */
  entities?: readonly string[];
}

/** Narrows queries. Every set field must match. */
export interface MemoryFilter {
  scope?: Scope;
  kinds?: readonly MemoryKind[];
  scales?: readonly Scale[];
  /** Inclusive-exclusive window on event time, epoch ms. */
  eventTime?: { from?: number; to?: number };
  /** Equality on top-level metadata keys. */
  metadata?: Readonly<Record<string, JsonPrimitive>>;
}

export interface ListQuery extends MemoryFilter {
  /** Read the versions that were current at this transaction time instead of now. */
  asOf?: number;
  /**
   * By event time (default ascending), or `written-asc`: the order memories were first stored, which
   * a store reads without sorting; with `after` it pages through any number of memories at the cost
   * of each page (`offset` costs every row it skips).
   */
  order?: 'eventTime-asc' | 'eventTime-desc' | 'written-asc';
  /** With `order: 'written-asc'`: continue after this memory (the last id of the previous page). */
  after?: string;
  limit?: number;
  offset?: number;
}

export interface VectorQuery {
  scale: Scale;
  vector: Float32Array;
  k: number;
  filter?: MemoryFilter;
}

export interface ScoredMemory {
  record: MemoryRecord;
  similarity: number;
}

/** A memory found by its words: Okapi BM25 over its current text (higher is better, unbounded). */
export interface TextHit {
  record: MemoryRecord;
  score: number;
}

export interface TextQuery {
  /** Free text; the store tokenizes it. Text with no searchable word yields no hits, not an error. */
  text: string;
  k: number;
  filter?: MemoryFilter;
}

export interface ActivationOptions {
  /** Edge types activation flows along (default: every type except `part_of`). */
  types?: readonly EdgeType[];
  /** Probability of jumping back to the seeds at each step (default 0.5): higher keeps activation close. */
  restart?: number;
  /** Power-iteration rounds (default 20). */
  iterations?: number;
  /** Nodes gathered around the seeds before iterating (default 400): bounds the work near hubs. */
  maxNodes?: number;
  /** Hops from the seeds to gather (default 2). */
  depth?: number;
}

/** A session found by its `session`-scale vector. */
export interface ScoredSession {
  /** The session's graph node id (its turns are `part_of` it). */
  nodeId: string;
  scope: Scope;
  similarity: number;
}

/**
 * Ownership check for calls by id. With a scope, a memory (or session) outside it is answered exactly
 * as an unknown id is (`null`, absent from the result, `[]` or `NOT_FOUND`), so a caller cannot even
 * learn that another owner's id exists. Inside means: every id the scope sets equals the memory's
 * (the rule of `MemoryFilter.scope`, see `inScope`); an absent or empty scope checks nothing.
 */
export interface ScopeCheck {
  scope?: Scope;
}

export interface NeighborQuery extends ScopeCheck {
  types?: readonly EdgeType[];
  /** Hops to follow (default 1, max 6). */
  depth?: number;
  direction?: 'out' | 'in' | 'both';
  /** Stop after this many nodes (default 100); protects against hubs. */
  limit?: number;
}

export interface Neighbor {
  id: string;
  /** Sessions are graph nodes too (turns are `part_of` them) but are not memories. */
  node: 'memory' | 'session';
  depth: number;
  /** The edge that first reached this node. */
  via: Edge;
}

export interface StoreStats {
  memories: number;
  sessions: number;
  edges: number;
  historyEvents: number;
  vectors: Partial<Record<Scale, number>>;
  /** Bytes on disk (0 for in-memory stores). */
  bytesOnDisk: number;
}

/**
 * What a store offers beyond the core contract. Each optional capability is a flag here and an
 * optional method on `MemoryStore`; a store sets the flag exactly when it has the method, and
 * callers ask `supports(store, capability)` (or `requireCapability`) before calling it.
 */
export interface StoreCapabilities {
  /** Survives close and reopen. */
  readonly persistent: boolean;
  /** `searchText`: ranked lexical (BM25-like) search over current texts. */
  readonly textSearch: boolean;
  /** `spreadActivation`: personalized PageRank run next to the data (retrieval walks `neighbors` otherwise). */
  readonly graphActivation: boolean;
  /** `searchSessions`: keeps each session's `sessionVector` and finds sessions by it (others ignore session vectors). */
  readonly sessionSearch: boolean;
  /** `tokenVectors`: keeps per-token vectors (others ignore `tokens`; retrieval computes them when it can). */
  readonly tokenVectors: boolean;
  /** `neighborsOfMany`: `neighbors` of many nodes in one call. */
  readonly batchNeighbors: boolean;
  /** `neighborIdsOfMany`: where `neighborsOfMany` leads, without reading the edges that lead there. */
  readonly neighborIds: boolean;
  /** `readUserState` and `writeUserState`: small JSON documents per user (a learned per-user model), kept with the memories. */
  readonly userState: boolean;
  /** `setVectors`: keeps or drops a memory's vectors without a new version (storage tiers: a cold memory keeps its text and words only). */
  readonly vectorTiers: boolean;
  /** `compact`: gives back the space deletes and dropped vectors left, and refreshes the query planner's statistics. */
  readonly compaction: boolean;
  /** `swapUserState`: replaces a user-state document only if it still holds what the caller read (for leases shared by processes). */
  readonly userStateSwap: boolean;
}

/** The name of an optional capability. */
export type StoreCapability = Exclude<keyof StoreCapabilities, 'persistent'>;

export const STORE_CAPABILITIES: readonly StoreCapability[] = [
  'textSearch',
  'graphActivation',
  'sessionSearch',
  'tokenVectors',
  'batchNeighbors',
  'neighborIds',
  'userState',
  'vectorTiers',
  'compaction',
  'userStateSwap',
];

/** The optional methods each capability stands for. */
export interface CapabilityMethods {
  textSearch: 'searchText';
  graphActivation: 'spreadActivation';
  sessionSearch: 'searchSessions';
  tokenVectors: 'tokenVectors';
  batchNeighbors: 'neighborsOfMany';
  neighborIds: 'neighborIdsOfMany';
  userState: 'readUserState' | 'writeUserState';
  vectorTiers: 'setVectors';
  compaction: 'compact';
  userStateSwap: 'swapUserState';
}

export const CAPABILITY_METHODS: { readonly [C in StoreCapability]: ReadonlyArray<CapabilityMethods[C]> } = {
  textSearch: ['searchText'],
  graphActivation: ['spreadActivation'],
  sessionSearch: ['searchSessions'],
  tokenVectors: ['tokenVectors'],
  batchNeighbors: ['neighborsOfMany'],
  neighborIds: ['neighborIdsOfMany'],
  userState: ['readUserState', 'writeUserState'],
  vectorTiers: ['setVectors'],
  compaction: ['compact'],
  userStateSwap: ['swapUserState'],
};

/** A store known to have the capability's method. */
export type StoreWith<C extends StoreCapability> = MemoryStore & Required<Pick<MemoryStore, CapabilityMethods[C]>>;

/**
 * Durable memory: records with versions and tombstones, their vectors per scale, and typed edges.
 * Every write is atomic: it lands completely (and survives a crash once the promise resolves) or
 * not at all.
 *
 * The core (every method without `?`) is what any store must do; the rest are capabilities
 * (`StoreCapabilities`). A store links the graph's structure itself: a turn with a `sessionId` is
 * `part_of` its session and follows the session's previous turn by a `next` edge (plus a `causes`
 * edge for a `causalCue`); a memory with `entities` gets `same_entity` edges to the owner's most
 * recent memories with the same key. Everything else (entity extraction, ranking) is the caller's.
 */
/**
 * `same_entity` links a new memory gets per entity key: to the owner's latest memory with that key,
 * so each entity's mentions form a chain (a walk reaches them all) and no hub grows a link per
 * mention it ever had. One link, not three: LoCoMo dev recall@10 held out is the same (0.790 with
 * one, 0.789 with three) and the store 8 % smaller.
 */
export const ENTITY_LINKS_PER_MENTION = 1;

export interface MemoryStore {
  readonly specVersion: 'neuromem.store/v2';
  readonly capabilities: StoreCapabilities;
  /** Vector dimensions per indexed scale. */
  readonly vectorScales: Readonly<Partial<Record<Scale, number>>>;

  /** Writes all items or none, with their vectors and edges. */
  put(items: readonly NewMemory[]): Promise<MemoryRecord[]>;
  /** Null for unknown ids, and for memories outside `options.scope`. */
  get(id: string, options?: { asOf?: number } & ScopeCheck): Promise<MemoryRecord | null>;
  /** Current memories among `ids`, in their order; unknown ids and memories outside `options.scope` are left out. */
  getMany(ids: readonly string[], options?: ScopeCheck): Promise<MemoryRecord[]>;
  /** Closes the current version and opens a new one. `NOT_FOUND` for unknown or deleted ids, and outside `options.scope`. */
  update(id: string, patch: MemoryPatch, options?: ScopeCheck): Promise<MemoryRecord>;
  /** Tombstones the memory (kept in history, hidden from reads). `NOT_FOUND` for unknown ids, and outside `options.scope`. */
  delete(id: string, options?: ScopeCheck): Promise<void>;
  /** Tombstones every current memory matching the filter; returns how many. */
  deleteWhere(filter: MemoryFilter): Promise<number>;
  /** Hard-deletes every trace of the memory (erasure requests); history keeps only a PURGE marker. `NOT_FOUND` as `delete`. */
  purge(id: string, options?: ScopeCheck): Promise<void>;
  /**
   * Every event of the memory, oldest first; `[]` for unknown ids. With a scope, a deleted memory is
   * checked against its last version's owner, and a purged one (no owner left) gives `[]`.
   */
  history(id: string, options?: ScopeCheck): Promise<HistoryEntry[]>;
  list(query: ListQuery): Promise<MemoryRecord[]>;
  count(filter?: MemoryFilter): Promise<number>;
  /** The `k` current memories nearest to `vector` at `scale` among those matching the filter; never fewer while more match. */
  searchVectors(query: VectorQuery): Promise<ScoredMemory[]>;
  /**
   * The current vector of each memory at `scale` (ids without one, or outside `options.scope`, are
   * absent from the map), as stored: a store may keep vectors at reduced precision, each value within
   * 1 % of the vector's largest magnitude of what was written.
   */
  vectors(ids: readonly string[], scale: Scale, options?: ScopeCheck): Promise<Map<string, Float32Array>>;
  /** The entity keys each current memory was stored with (ids without any, or outside `options.scope`, are absent). */
  entities(ids: readonly string[], options?: ScopeCheck): Promise<Map<string, string[]>>;
  link(edges: ReadonlyArray<Omit<Edge, 'createdAt' | 'label'> & { label?: string | null }>): Promise<void>;
  /**
   * Removes these edges (by ends and type) and returns how many existed. Edges that are not there are
   * skipped, so undoing a link twice, or after its memory was purged, is safe.
   */
  unlink(edges: ReadonlyArray<Pick<Edge, 'from' | 'to' | 'type'>>): Promise<number>;
  /** Edges touching the node; with a scope, `[]` for a node outside it and only edges whose other end is inside. */
  edges(id: string, options?: ScopeCheck): Promise<Edge[]>;
  /** `NOT_FOUND` for unknown nodes (and, with `query.scope`, nodes outside it); a scoped walk neither reports nor crosses nodes outside it. */
  neighbors(id: string, query?: NeighborQuery): Promise<Neighbor[]>;
  /** Bumps access counters (used by retrieval scoring). Unknown ids are ignored. */
  recordAccess(ids: readonly string[]): Promise<void>;
  stats(): Promise<StoreStats>;
  /** Removes everything. */
  reset(): Promise<void>;
  close(): Promise<void>;

  /** Capability `textSearch`: memories whose current text shares words with `text`, best first. */
  searchText?(query: TextQuery): Promise<TextHit[]>;
  /**
   * Capability `graphActivation`: personalized PageRank. Activation starts at the seeds (weights need
   * not sum to 1) and spreads along edges, so memories linked to several good seeds, or strongly to
   * one, light up. Returns memory ids (seeds included, session nodes not) with their stationary
   * probability; bounded near hubs.
   */
  spreadActivation?(seeds: ReadonlyMap<string, number>, options?: ActivationOptions): Promise<Map<string, number>>;
  /** Capability `sessionSearch`: sessions of the scope nearest to `vector` at the `session` scale. */
  searchSessions?(query: { vector: Float32Array; k: number; scope?: Scope }): Promise<ScoredSession[]>;
  /** Capability `tokenVectors`: stored token vectors per memory id (ids without any, or outside `options.scope`, are absent). */
  tokenVectors?(ids: readonly string[], options?: ScopeCheck): Promise<Map<string, Float32Array[]>>;
  /**
   * Capability `batchNeighbors`: `neighbors` of many nodes in one call, keyed by node (retrieval asks
   * for the turns around every candidate; a store that reads them together saves a round trip per
   * node). Unknown nodes and nodes outside `query.scope` are absent from the map instead of failing.
   */
  neighborsOfMany?(ids: readonly string[], query?: NeighborQuery): Promise<Map<string, Neighbor[]>>;
  /**
   * Capability `neighborIds`: the ids `neighborsOfMany` reports for each node, in its order, without
   * the edges that reached them or the nodes' kinds (retrieval needs only where the turns around a
   * candidate are; reading each edge's label and time for hundreds of them costs more than the walk).
   */
  neighborIdsOfMany?(ids: readonly string[], query?: NeighborQuery): Promise<Map<string, string[]>>;
  /**
   * Capability `userState`: the JSON document a user keeps under `key` (e.g. the per-user model that
   * feedback trains), or null when there is none. Kept beside the user's memories, so it survives
   * reopening a persistent store; `reset()` removes it.
   */
  readUserState?(userId: string, key: string): Promise<JsonValue | null>;
  /** Capability `userState`: replaces the document atomically; null removes it. */
  writeUserState?(userId: string, key: string, value: JsonValue | null): Promise<void>;
  /**
   * Capability `userStateSwap`: writes `next` (null removes the document) only if the document is
   * still `expected` (null: there is none), as one atomic step even between processes sharing the
   * store; true when it wrote. Two callers swapping from the same `expected`: exactly one wins.
   */
  swapUserState?(userId: string, key: string, expected: JsonValue | null, next: JsonValue | null): Promise<boolean>;
  /**
   * Capability `vectorTiers`: the current memory's vectors at every memory scale (`vectors`; its token
   * vectors go too) replaced by these, or dropped with null. Derived data, not content: no new
   * version, no history event, text and links untouched. A memory without vectors is still found by
   * words, sessions, time and the graph. `NOT_FOUND` for unknown and deleted ids and outside `options.scope`.
   */
  setVectors?(id: string, vectors: Partial<Record<Scale, Float32Array>> | null, options?: ScopeCheck): Promise<void>;
  /**
   * Capability `compaction`: maintenance that changes no content — the space deletes, purges and
   * dropped vectors left is given back (when enough is free to be worth rewriting the file), derived
   * indexes are saved and the query planner's statistics refreshed. Bytes on disk before and after.
   */
  compact?(): Promise<CompactionReport>;
}

/** What `compact` did. */
export interface CompactionReport {
  bytesBefore: number;
  bytesAfter: number;
  /** The data was rewritten to give free space back (not done when little was free). */
  rewritten: boolean;
}

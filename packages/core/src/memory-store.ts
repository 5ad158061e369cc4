import type { Edge, EdgeType, HistoryEntry, MemoryKind, MemoryRecord, Metadata, JsonPrimitive, Scale, Scope, SourcePointer } from './memory';

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
  /** Normalized entity keys mentioned in the text; the store extracts them itself when omitted. */
  entities?: readonly string[];
  /** 0..1 strength of a causal cue linking this memory to the previous turn of its session. */
  causalCue?: number;
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
  order?: 'eventTime-asc' | 'eventTime-desc';
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
 * Durable memory: records with versions and tombstones, their vectors per scale, and typed edges.
 * Every write is atomic: it lands completely (and survives a crash once the promise resolves) or
 * not at all.
 */
export interface MemoryStore {
  readonly specVersion: 'neuromem.store/v1';
  readonly capabilities: { readonly persistent: boolean };
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
  searchVectors(query: VectorQuery): Promise<ScoredMemory[]>;
  /** Sessions of the scope nearest to `vector` at the `session` scale. */
  searchSessions(query: { vector: Float32Array; k: number; scope?: Scope }): Promise<ScoredSession[]>;
  /** The current vector of each memory at `scale` (ids without one, or outside `options.scope`, are absent from the map). */
  vectors(ids: readonly string[], scale: Scale, options?: ScopeCheck): Promise<Map<string, Float32Array>>;
  /** Stored token vectors per memory id (ids without any, or outside `options.scope`, are absent from the map). */
  tokenVectors(ids: readonly string[], options?: ScopeCheck): Promise<Map<string, Float32Array[]>>;
  /** Lexical search: memories whose current text shares words with `text`, best first. */
  searchText(query: TextQuery): Promise<TextHit[]>;
  /** Normalized entity keys each current memory mentions (`name:caroline`, `date:2023-05-07`, `number:42`). */
  entities(ids: readonly string[], options?: ScopeCheck): Promise<Map<string, string[]>>;
  /**
   * Personalized PageRank: activation starts at the seeds (weights need not sum to 1) and spreads along
   * edges, so memories linked to several good seeds, or strongly to one, light up. Returns memory ids
   * (seeds included, session nodes not) with their stationary probability; bounded near hubs.
   */
  spreadActivation(seeds: ReadonlyMap<string, number>, options?: ActivationOptions): Promise<Map<string, number>>;
  link(edges: ReadonlyArray<Omit<Edge, 'createdAt' | 'label'> & { label?: string | null }>): Promise<void>;
  /** Edges touching the node; with a scope, `[]` for a node outside it and only edges whose other end is inside. */
  edges(id: string, options?: ScopeCheck): Promise<Edge[]>;
  /** `NOT_FOUND` for unknown nodes (and, with `query.scope`, nodes outside it); a scoped walk neither reports nor crosses nodes outside it. */
  neighbors(id: string, query?: NeighborQuery): Promise<Neighbor[]>;
  /**
   * Optional: `neighbors` of many nodes in one call, keyed by node (retrieval asks for the turns around
   * every candidate; a store that reads them together saves a round trip per node). Unknown nodes and
   * nodes outside `query.scope` are absent from the map instead of failing the call.
   */
  neighborsOfMany?(ids: readonly string[], query?: NeighborQuery): Promise<Map<string, Neighbor[]>>;
  /** Bumps access counters (used by retrieval scoring). Unknown ids are ignored. */
  recordAccess(ids: readonly string[]): Promise<void>;
  stats(): Promise<StoreStats>;
  /** Removes everything. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

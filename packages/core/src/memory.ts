/** JSON values as stored in memory metadata. */
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type Metadata = Record<string, JsonValue>;

/** What a memory is: something that happened, a distilled fact, or a summary of other memories. */
export type MemoryKind = 'episodic' | 'semantic' | 'summary';
export const MEMORY_KINDS: readonly MemoryKind[] = ['episodic', 'semantic', 'summary'];

/** The granularity a record or vector lives at, from a single token up to a whole session. */
export type Scale = 'token' | 'sentence' | 'turn' | 'session';
export const SCALES: readonly Scale[] = ['token', 'sentence', 'turn', 'session'];

/**
 * Who a memory belongs to. At least one field is set on every stored memory; a query with a scope
 * only sees memories whose fields equal every field the query sets.
 */
export interface Scope {
  userId?: string;
  agentId?: string;
  /** A conversation or run (Mem0 calls it `runId`); turns of one session are chained by `next` edges. */
  sessionId?: string;
}

/** Where a memory came from, so compressed context can point back to it. */
export interface SourcePointer {
  type: 'message' | 'import' | 'derived' | 'api';
  /** A caller-provided reference (message id, file, dia_id...). */
  ref?: string;
}

/**
 * One version of one memory. `id` is stable across versions; an update closes the current version
 * (`validTo` set) and opens a new one, so nothing is overwritten in place.
 */
export interface MemoryRecord {
  id: string;
  /** 1 for the first version, +1 per update. */
  version: number;
  text: string;
  kind: MemoryKind;
  scale: Scale;
  scope: Scope;
  /** Speaker or message role ("user", "assistant", "Caroline"), when known. */
  role: string | null;
  /** When it happened (epoch ms): the event time the caller gave, or the write time. */
  eventTime: number;
  /** When the first version was stored (epoch ms, transaction time). */
  createdAt: number;
  /** When this version became current (epoch ms, transaction time). */
  validFrom: number;
  /** When this version stopped being current, or null while it is current. */
  validTo: number | null;
  /** 0..1, how much this memory matters; set by the controller or the caller. */
  importance: number;
  accessCount: number;
  lastAccessedAt: number | null;
  source: SourcePointer | null;
  metadata: Metadata;
  /** Hex SHA-256 of the text, to spot duplicates cheaply. */
  hash: string;
}

/** Relations between memories (and between a turn and its session). */
export type EdgeType = 'next' | 'part_of' | 'same_entity' | 'causes' | 'supersedes' | 'consolidates' | 'related';
export const EDGE_TYPES: readonly EdgeType[] = ['next', 'part_of', 'same_entity', 'causes', 'supersedes', 'consolidates', 'related'];

export interface Edge {
  from: string;
  to: string;
  type: EdgeType;
  /** 0..1 strength; cue-based causal edges are weak, structural ones are 1. */
  weight: number;
  createdAt: number;
  /** Free-form facts about the link, e.g. the shared entity. */
  label: string | null;
}

/** A change in a memory's life, kept in an append-only log. */
export interface HistoryEntry {
  /** Monotonic position in the store's log. */
  seq: number;
  memoryId: string;
  event: 'ADD' | 'UPDATE' | 'DELETE' | 'PURGE';
  /** The version this event produced (or closed, for DELETE). */
  version: number;
  previousText: string | null;
  text: string | null;
  /** Transaction time of the event (epoch ms). */
  at: number;
}

import type { Metadata } from '@neuromem/core';
import type { Message, MemoryOptions, ScoreBreakdown } from '../types';

/** One provider section of a Mem0 config: `{ provider: 'openai', config: { ... } }`. */
export interface Mem0ProviderSection {
  provider?: string;
  config?: Record<string, unknown>;
}

/**
 * Mem0 3.x's `MemoryConfig`, as `new Memory(config)` takes it (every section optional, as in Mem0).
 * See MEM0.md for what each setting does here; `neuromem` holds NeuroMem's own options.
 */
export interface Mem0Config {
  version?: string;
  /** Accepted (Mem0's provider names); NeuroMem embeds offline with its own embedder unless `neuromem.embedder` says otherwise. */
  embedder?: Mem0ProviderSection;
  /**
   * `memory` (Mem0's default): NeuroMem's SQLite store in the directory `config.dbPath`, else in
   * `~/.neuromem/mem0/<config.collectionName>` (`:memory:` keeps nothing). Other providers: pass `neuromem.store`.
   */
  vectorStore?: Mem0ProviderSection & { config?: { collectionName?: string; dimension?: number; dbPath?: string; [key: string]: unknown } };
  /** Accepted (Mem0's provider names), never called: NeuroMem stores the messages themselves, with no LLM. */
  llm?: Mem0ProviderSection;
  /** Accepted (Mem0's provider names), never called: NeuroMem's fitted ranker orders the results. */
  reranker?: Mem0ProviderSection;
  /** Accepted; history is kept in NeuroMem's store beside each memory. */
  historyStore?: Mem0ProviderSection;
  /** `history()` answers `[]` (history is still kept in the store). */
  disableHistory?: boolean;
  historyDbPath?: string;
  /** Accepted; it instructs Mem0's LLM extraction, which NeuroMem does not run. */
  customInstructions?: string;
  /** NeuroMem's own options (`createMemory()`'s): `path` or `store` instead of `vectorStore`, `embedder`, `clock`, ... */
  neuromem?: MemoryOptions;
}

/** Mem0's filters: entity ids, metadata conditions, operators and AND / OR / NOT. */
export type Mem0Filters = Record<string, unknown>;

/** The ids a Mem0 call may name at the top level (`add`, `deleteAll`). */
export interface Mem0Entity {
  userId?: string;
  agentId?: string;
  runId?: string;
}

export interface Mem0AddOptions extends Mem0Entity {
  metadata?: Record<string, unknown>;
  /** Scope as Mem0 3.x writes it: `{ user_id, agent_id, run_id }` (agreeing with the top-level ids when both are given). */
  filters?: Mem0Filters;
  /** Both `true` (the default) and `false` store the messages themselves: NeuroMem runs no LLM. */
  infer?: boolean;
  /** When it happened (Date, ISO-8601 string or epoch ms). NeuroMem's own; Mem0's OSS rejects it. */
  timestamp?: Date | string | number;
  /** `YYYY-MM-DD`: from the next day (UTC) the memory is left out of `search` and `getAll` (see `showExpired`). */
  expirationDate?: string | null;
}

export interface Mem0SearchOptions {
  filters?: Mem0Filters;
  /** Default 20. */
  topK?: number;
  /** Results scoring below it are dropped. Scores are probabilities here (see MEM0.md); default: none dropped. */
  threshold?: number;
  /** Adds `score_details`, the score's factor breakdown. */
  explain?: boolean;
  /** Accepted; NeuroMem has no separate reranker. */
  rerank?: boolean;
  showExpired?: boolean;
  /** The "now" of the question. NeuroMem's own; Mem0's OSS rejects it. */
  referenceDate?: Date | string | number;
}

export interface Mem0GetAllOptions {
  filters?: Mem0Filters;
  /** Default 20. */
  topK?: number;
  showExpired?: boolean;
}

export interface Mem0UpdateOptions {
  text?: string;
  /** @deprecated Mem0's old name of `text`. */
  data?: string;
  /** Merged over the memory's metadata. */
  metadata?: Record<string, unknown>;
  /** `YYYY-MM-DD`, or `null` to clear it. */
  expirationDate?: string | null;
}

/** A memory as Mem0 3.x returns it. */
export interface Mem0MemoryItem {
  id: string;
  memory: string;
  hash?: string;
  createdAt?: string;
  updatedAt?: string;
  score?: number;
  metadata?: Metadata;
  user_id?: string;
  agent_id?: string;
  run_id?: string;
  /** Who said it: the message's role (or `name`). */
  attributedTo?: string;
  /** With `explain: true`: the factors behind `score`. */
  score_details?: ScoreBreakdown;
}

export interface Mem0SearchResult {
  results: Mem0MemoryItem[];
}

/** A history row as Mem0's SQLite history store returns it (newest first). */
export interface Mem0HistoryItem {
  id: number;
  memory_id: string;
  previous_value: string | null;
  new_value: string | null;
  action: 'ADD' | 'UPDATE' | 'DELETE';
  created_at: string | null;
  updated_at: string | null;
  is_deleted: 0 | 1;
}

export type { Message };

import type { SleepReport, SleepRunEntry } from '@neuromem/agents';
import type { Embedder, MemoryStore, StoreStats } from '@neuromem/core';
import type { ImportProgress, PortableMemory } from './portable-memories';
import type { RetierResult } from './storage-tiers';
import type {
  AddOptions,
  ContextOptions,
  EntityIds,
  FeedbackInput,
  GetAllOptions,
  HistoryItem,
  MemoryContext,
  MemoryItem,
  RetierOptions,
  SearchOptions,
  SleepCallOptions,
  SearchResult,
  Message,
  UpdateInput,
} from './types';

/** What `createMemory()` returns: Mem0's methods, and NeuroMem's own beside them. */
export interface Memory<S extends MemoryStore = MemoryStore> {
  add(messages: string | Message[], options: AddOptions): Promise<SearchResult>;
  search(query: string, options: SearchOptions): Promise<SearchResult>;
  /**
   * Searches, then compresses the results into `tokenBudget` tokens for a system prompt, keeping
   * names, numbers, dates and decisions. `sources` point back at the full memories.
   */
  context(query: string, options: ContextOptions): Promise<MemoryContext>;
  /**
   * The memory, or null when the id is unknown, deleted or (with `scope`) another owner's: every
   * id `scope` sets must equal the memory's. Without a scope the id alone decides (unless `requireScope`).
   */
  get(memoryId: string, scope?: EntityIds): Promise<MemoryItem | null>;
  getAll(options: GetAllOptions): Promise<SearchResult>;
  /**
   * Changes the memory: a string or `{ text }` re-embeds it with new text, `{ metadata }` merges
   * metadata over its own (keys given replace theirs; the text and vectors stay). Either way the
   * old version is closed and kept in `history`. `NOT_FOUND` for unknown and deleted ids and, with
   * `scope`, for another owner's.
   */
  update(memoryId: string, data: UpdateInput, scope?: EntityIds): Promise<{ message: string }>;
  /** Tombstones the memory (kept in `history`). `NOT_FOUND` as `update`. */
  delete(memoryId: string, scope?: EntityIds): Promise<{ message: string }>;
  deleteAll(options: EntityIds): Promise<{ message: string }>;
  /**
   * The current memories of the owner, in the order they were stored, as portable records (one JSON object per
   * line makes the `neuromem export` file). With no ids: every memory, whatever `requireScope` says
   * (an operator's backup; keep it away from tenants, like `stats()` and `reset()`).
   */
  export(ids?: EntityIds): AsyncGenerator<PortableMemory>;
  /**
   * Stores exported memories (objects, or JSON Lines text), embedded and linked as `add` would;
   * every item is checked before anything is written, and ids already present are skipped.
   */
  import(memories: string | readonly PortableMemory[], options?: { onProgress?: (progress: ImportProgress) => void }): Promise<{ imported: number; skipped: number }>;
  /**
   * Reads what the owner's next search will need (their vectors, word postings, links and records)
   * into memory, by running the search they most likely ask next (their latest in this process, else
   * their newest memory) without showing it to anyone: no access is counted, nothing changes. Call it
   * when a user's session opens: at a million memories their first search after a restart then costs
   * what a later one does. `prefetched`: the memories that search read (0: the owner has none).
   */
  prefetch(ids: EntityIds): Promise<{ prefetched: number }>;
  /** Counts of memories, sessions, edges, history events and vectors, and bytes on disk. */
  stats(): Promise<StoreStats>;
  /**
   * Teaches the user's adaptation that a memory was (or was not) useful for a query: their later
   * searches rank such memories higher (or lower), understand their own words for what the memory
   * says, and lean to the topics they ask about. Learned within ~100 interactions, bounded, kept with
   * the memory. `NOT_FOUND` (nothing learned) for unknown ids and for another user's memory.
   * `adapted`: whether the user's searches now rank by what was learned, which they do once it ranks
   * the memories the user found useful better than the global model did (until then they rank as
   * the global model does, only their own words widen their queries, and the adaptation keeps
   * learning).
   */
  feedback(input: FeedbackInput): Promise<{ message: string; interactions: number; adapted: boolean }>;
  /** Forgets what feedback taught about the user: their searches rank as the global model does again. */
  resetAdaptation(userId: string): Promise<{ message: string }>;
  /**
   * Storage tiers: the `warmShare` of the scope's memories with the highest importance keep their
   * vectors, the rest are kept cold (text, words and links; see `MemoryOptions.tiers`). Nothing is
   * deleted, no version is made; memories back above the line get their vectors again.
   */
  retier(options: RetierOptions): Promise<RetierResult>;
  /**
   * Module 5: runs the sleep agents within `budgetMs` — consolidation links each new statement to
   * the older statements of the same fact (so retrieval prefers the current one, or the one before
   * for "used to"), forgetting tombstones expired memories (kept in history). Every action is
   * journaled first; a user's writes wait for an agent's step and never interleave with it.
   * `LOCKED` while another sleep runs.
   */
  sleep(options?: SleepCallOptions): Promise<SleepReport>;
  /** Reverses everything a sleep run did (expiries excepted: their owner asked for them). */
  undoSleep(runId: string): Promise<{ runId: string; undone: number; kept: number }>;
  /** The journal of recent sleep runs, oldest first: what each agent did for each user. */
  sleepRuns(): Promise<SleepRunEntry[]>;
  /** Every change of the memory, oldest first; `[]` for unknown ids and, with `scope`, for another owner's (deleted ones too). */
  history(memoryId: string, scope?: EntityIds): Promise<HistoryItem[]>;
  reset(): Promise<void>;
  close(): Promise<void>;
  /**
   * The underlying temporal-causal store, for graph queries and as-of reads. Writing through it
   * bypasses the memory (its word statistics and session states): use the memory's methods to write.
   */
  readonly store: S;
  /** The embedder that turns text into this memory's vectors. */
  readonly embedder: Embedder;
}

import type { Clock } from './clock';
import type { Embedder } from './text-encoder';
import type { EdgeType, JsonValue, Scale } from './memory';
import type { MemoryStore } from './memory-store';

/**
 * One change an agent makes, written to the sleep journal before it is made, so a crash can be
 * rolled back and a whole run undone. Agents only add (memories, links), change derived data
 * (vectors, their own consolidated memories); `expire` tombstones a memory whose owner set it to
 * expire (kept in history). No agent changes or deletes a memory a user wrote.
 */
export type AgentAction =
  /** A memory the agent wrote (a consolidated fact); undone by purging it. */
  | { type: 'put'; memoryId: string }
  /** A link the agent made; undone by unlinking it. */
  | { type: 'link'; from: string; to: string; edgeType: EdgeType }
  /**
   * A memory the agent wrote earlier (a consolidated fact) rewritten from its sources: a new version,
   * the old one kept in history; undone by writing `before` back.
   */
  | { type: 'revise'; memoryId: string; before: { text: string; metadata: { [key: string]: JsonValue } } }
  /**
   * A memory the agent wrote earlier whose sources no longer make it (a link undone, a source gone):
   * deleted, kept in history. Not undone: the next sleep writes what its sources still support.
   */
  | { type: 'retire'; memoryId: string }
  /** A memory's vectors dropped (`cold`) or restored (`warm`); undone by the opposite. */
  | { type: 'tier'; memoryId: string; tier: 'cold' | 'warm' }
  /** A memory past its expiry, deleted (kept in history). Not undone: its owner asked for it. */
  | { type: 'expire'; memoryId: string }
  /**
   * An agent's own user-state document (e.g. how far it has read) about to change; undone by writing
   * `before` back, so a rolled-back run's work is done again by the next sleep.
   */
  | { type: 'state'; userId: string; key: string; before: JsonValue | null };

/** Where an agent announces what it is about to do (see `AgentAction`). */
export interface AgentJournal {
  /** Persists the actions before the caller performs them; resolves once they are durable. */
  record(actions: readonly AgentAction[]): Promise<void>;
}

/** A search the memory answered: what the pre-loading agent learns from. */
export interface SearchActivity {
  userId: string;
  /** Epoch ms, from the memory's clock. */
  at: number;
  query: string;
  /** The memories it returned, best first. */
  resultIds: readonly string[];
}

/**
 * The memory's foreground, for agents that learn from its searches and prepare for the next ones.
 * Only a memory that answers searches in this process has one (see `createMemory`).
 */
export interface Foreground {
  /** The searches answered after `since` (epoch ms), oldest first, as many as the memory keeps. */
  searchesSince(since: number): readonly SearchActivity[];
  /**
   * Retrieves for the owner exactly as a search would, so every cache it reads is warm for the
   * next one, without counting an access or showing up in `searchesSince`; the ids found, best first.
   */
  rehearse(userId: string, query: string): Promise<readonly string[]>;
}

export interface AgentContext {
  store: MemoryStore;
  clock: Clock;
  /** The owner whose memories this run reads and writes; an agent never reaches another owner's. */
  userId: string;
  /** Embeds text as the store's vectors were made (for agents that write memories or restore vectors). */
  embedder?: Embedder;
  /** The scale memories are searched at (`turn` with the default embedder). */
  scale: Scale;
  journal: AgentJournal;
  /**
   * Runs a write while the owner's own writes wait, re-checking what it read first: a user's write
   * is never interleaved with an agent's, and an agent that finds its input changed skips the step.
   */
  exclusive<T>(write: () => Promise<T>): Promise<T>;
  /** Epoch ms by which the agent stops (it finishes the step it is in and reports `done: false`). */
  deadline: number;
  signal?: AbortSignal;
  /** The memory's searches and a way to rehearse them; absent when the sleep runs on a bare store. */
  foreground?: Foreground;
}

export interface AgentReport {
  agent: string;
  /** Counts of what the run did, e.g. `{ consolidated: 3, superseded: 1 }`. */
  actions: Record<string, number>;
  durationMs: number;
  /** False when the budget or an abort stopped it before it saw everything. */
  done: boolean;
}

/** Module 5: a background "sleep" job that reads and writes the store through its interface. */
export interface MemoryAgent {
  readonly specVersion: 'neuromem.agent/v1';
  readonly name: string;
  /**
   * `user` (the default): run once per user, reading and writing that user's memories only.
   * `store`: run once per sleep, after the users, for maintenance that changes no content (its
   * context's `userId` is the journal's owner).
   */
  readonly reach?: 'user' | 'store';
  run(context: AgentContext): Promise<AgentReport>;
}

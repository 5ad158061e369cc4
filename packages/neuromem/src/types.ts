import type { FactPairModel, ImportanceModel, RelevanceModel } from '@neuromem/controller';
import type { ChatModel, Clock, Compressor, Embedder, JsonPrimitive, MemoryKind, MemoryStore, Metadata, Scale, TextEncoder } from '@neuromem/core';
import type { ScaleHeads } from '@neuromem/embeddings';
import type { Feature, RankerModel, ScoreBreakdown } from '@neuromem/retrieval';
import type { PreloadingAgentOptions, SleepProgress, SleepReport } from '@neuromem/agents';

export type { ScoreBreakdown };

/** A chat message, as in Mem0 and the OpenAI API. `name` (the speaker) and `timestamp` are NeuroMem extras. */
export interface Message {
  role: 'user' | 'assistant' | 'system' | (string & {});
  content: string;
  /** The speaker's name; stored as the memory's role when given. */
  name?: string;
  /** When this message was said; overrides the call's `timestamp`. */
  timestamp?: Date | string | number;
  /** Metadata for this message only, merged over the call's `metadata`. */
  metadata?: Metadata;
}

/**
 * Who a memory belongs to, and the scope of a call. `add`, `search`, `context`, `getAll` and
 * `deleteAll` need at least one id; `get`, `update`, `delete` and `history` check them when given.
 *
 * A scope takes in the memories whose every given id equals: `{ userId: 'ana', agentId: 'coach' }`
 * is Ana's memories with that agent. An id left out matches anything, so `{ agentId: 'coach' }`
 * alone spans every user of that agent, and `{ runId: 'r1' }` alone every user who reuses that run
 * id. Pass `userId` with them to stay within one user, or create the memory with `requireScope: true`,
 * which refuses any call without a `userId`. A by-id call outside its scope is answered as an
 * unknown id (`null`, `[]` or `NOT_FOUND`), never with another user's memory.
 */
export interface EntityIds {
  userId?: string;
  /** An agent or app; alone it spans every user of that agent. */
  agentId?: string;
  /** A conversation / session: turns with the same runId are chained in time order. Alone it spans every user that reuses the id. */
  runId?: string;
}

export interface AddOptions extends EntityIds {
  metadata?: Metadata;
  /** When it happened (Date, ISO-8601 string or epoch ms). Default: now. Mem0's OSS rejects this; NeuroMem needs it. */
  timestamp?: Date | string | number;
  /** 0..1. Default: the learned importance model's estimate (see `MemoryOptions.importance`). */
  importance?: number;
  kind?: MemoryKind;
  /** Accepted for Mem0 compatibility. NeuroMem never calls an LLM on `add`; raw messages are stored either way. */
  infer?: boolean;
  /**
   * When the memory expires (Date, ISO-8601 string or epoch ms; Mem0's `expirationDate`): from then
   * on reads leave it out, and the next sleep tombstones it (kept in `history`). Kept in
   * `metadata.expiresAt` (epoch ms).
   */
  expirationDate?: Date | string | number;
}

export interface SearchOptions extends EntityIds {
  /** How many results (Mem0 calls it `limit`; both work). Default 10. */
  topK?: number;
  limit?: number;
  /** Equality filters on metadata keys, as in Mem0. */
  filters?: Record<string, JsonPrimitive>;
  /**
   * Drop results whose score is below this. With the relevance model (the default) a score is the
   * probability that the memory is useful for the query, so `0.5` keeps even odds and better.
   */
  threshold?: number;
  /** The "now" of the question: recency is measured from here. Default: the clock's now. */
  referenceDate?: Date | string | number;
  /** Only memories that happened in this window. */
  timeRange?: { from?: Date | string | number; to?: Date | string | number };
  kinds?: MemoryKind[];
  /**
   * `false`: this search is a look, not a use (an explanation, an admin view): its results are not
   * counted as accessed, so they do not rank higher for it. Default: the memory's `trackAccess`.
   */
  trackAccess?: boolean;
}

export interface ContextOptions extends SearchOptions {
  /** Most tokens the memory block may take (cl100k by default, see `compressor`). Default: 1000. */
  tokenBudget?: number;
  /**
   * Inject memories only when the probability that they answer the query is at least this.
   * Default: the relevance model's gate (0.28 for the shipped one: it passes 93 % of answerable LoCoMo
   * questions, 85 % in small memories, but a fifth of those worded unlike any memory); `false` always injects.
   */
  gate?: number | false;
}

/** A memory that contributed to a context, and which of its characters made it in. */
export interface ContextSource extends MemoryItem {
  /** Character ranges of `memory` present in the context text, in order. */
  spans: Array<{ start: number; end: number }>;
}

/** Retrieved memories compressed to a token budget, ready for a system prompt. */
export interface MemoryContext {
  /** One line per memory: `- [date speaker] kept words … more kept words`. Empty when nothing was found. */
  text: string;
  /** Tokens of `text`, never above the budget. */
  tokens: number;
  /** The memories behind `text`, in its order, with score, breakdown and kept spans. */
  sources: ContextSource[];
  /** Ids retrieved but left out: near-duplicates of a kept memory, or no room left. */
  dropped: string[];
  /** Tokens the retrieved memories take uncompressed, with the same labels. */
  fullTokens: number;
  /** Set when the result is not what was asked for, e.g. only a fragment fits the budget, or nothing relevant was found. */
  notice?: string;
  /** The probability that the memories can answer the query (with a relevance model; see `ContextOptions.gate`). */
  answerable?: number;
}

/** One judgement of a search or context result (see `Memory.feedback`). */
export interface FeedbackInput {
  /** The memory judged; it must be this user's. */
  memoryId: string;
  /** The query it was returned for. */
  query: string;
  /** Whether it helped (for a chat: whether the answer used it). */
  useful: boolean;
  /** Whose adaptation learns: adaptation is per user. */
  userId: string;
  agentId?: string;
  runId?: string;
  /** "Now" for the query's relative dates, as in `search` (default the current time). */
  referenceDate?: string | number | Date;
}

/** See `Memory.retier`. */
export interface RetierOptions extends EntityIds {
  /** Share (0..1) of the scope's memories that keep their vectors: the most useful by the learned utility (importance, age, accesses). */
  warmShare: number;
}

export interface GetAllOptions extends EntityIds {
  /** How many memories, oldest first (Mem0 3.x calls it `topK`; both work, `topK` wins). Default: all. */
  topK?: number;
  limit?: number;
  /**
   * Also the consolidated facts sleeps wrote (kind `semantic`; their versions and timeline in
   * `metadata.consolidation`). Default false: the memories that were stored.
   */
  facts?: boolean;
}

/**
 * What `update()` changes: new text (re-embedded), metadata merged over the memory's own (a
 * metadata-only update keeps the text and its vectors), or both. A string is the new text.
 */
export type UpdateInput = string | { text?: string; metadata?: Metadata };

/** A memory as Mem0 returns it, plus NeuroMem's time and explanation fields. */
export interface MemoryItem {
  id: string;
  memory: string;
  hash: string;
  createdAt: string;
  updatedAt: string | null;
  /** When it happened. */
  eventTime: string;
  userId?: string;
  agentId?: string;
  runId?: string;
  role: string | null;
  metadata: Metadata;
  /** Set on search results. */
  score?: number;
  scoreBreakdown?: ScoreBreakdown;
  /** Set on add results, as in Mem0. */
  event?: 'ADD';
}

export interface SearchResult {
  results: MemoryItem[];
  /**
   * Search only, with a relevance model: the probability that the stored memories can answer the
   * query at all (`context()` injects nothing below its gate).
   */
  answerable?: number;
  /**
   * Search only: how many memories the ranker weighed for this query (every memory of a small one,
   * a few hundred found by words, meaning, time and links in a large one). The gate reads it too.
   */
  candidates?: number;
}

/** A history row in Mem0's shape. */
export interface HistoryItem {
  id: string;
  memory_id: string;
  previous_value: string | null;
  new_value: string | null;
  action: 'ADD' | 'UPDATE' | 'DELETE' | 'PURGE';
  created_at: string;
  updated_at: string | null;
  is_deleted: 0 | 1;
}

/** See `MemoryOptions.semantic`. */
export interface SemanticOptions {
  /** Share of meaning in every similarity, in (0, 1). Default `DEFAULT_SEMANTIC_WEIGHT`. */
  weight?: number;
  /** The encoder of meaning (any `TextEncoder`, e.g. a transformers.js model). Default `createSemanticEncoder()`. */
  encoder?: TextEncoder;
}

/** Opens the store a memory runs on, given the vector sizes its embedder makes. */
export type StoreOpener = (options: { vectorScales: Readonly<Partial<Record<Scale, number>>> }) => Promise<MemoryStore>;

export interface SleepCallOptions {
  /** How long the sleep may take (ms, > 0; default 30,000): agents stop at the end of the step they are in. */
  budgetMs?: number;
  /** Only this user's memories; default every user with memories stored since the last sleep, then the rest. */
  userId?: string;
  /** This sleep's storage budget, in place of `tiers.warmShare` (see `MemoryOptions.tiers`). */
  warmShare?: number;
  onProgress?: (progress: SleepProgress) => void;
}

/** The idle scheduler (`MemoryOptions.background`). */
export interface BackgroundOptions {
  /** Sleep once no write has happened for this long (ms, default 30,000). */
  idleMs?: number;
  /** Each idle sleep's budget (ms, default 5,000). */
  budgetMs?: number;
  /** Told of each idle sleep: its report, or the error that stopped it. */
  onSleep?: (report: SleepReport | null, error: unknown) => void;
}

export interface MemoryOptions {
  /** Directory for the embedded SQLite store. Omitted or `':memory:'` (and no `store`) = in-memory (lost on close). */
  path?: string;
  /**
   * Any conforming `MemoryStore` instead of the embedded SQLite one, or a function that opens one
   * with the embedder's vector sizes: `store: ({ vectorScales }) => createPostgresStore({ connectionString, vectorScales })`.
   * A store given as an object must have been opened with the embedder's `vectorScales`; the memory
   * does not close it when its own open fails. `close()` closes the store either way.
   */
  store?: MemoryStore | StoreOpener;
  /**
   * Default: the multi-scale embedder over the offline hashing encoder (token 256, turn 512, session
   * 1024 dimensions) with the trained scale heads shipped in @neuromem/embeddings, joined with the
   * trained GloVe-based semantic encoder (see `semantic`); no download, no network. Query words are
   * weighed by their rarity in this memory (IDF).
   *
   * A string opts into a real transformer through transformers.js (install `@huggingface/transformers`):
   * a hub id such as `'Xenova/all-MiniLM-L6-v2'` (downloaded once into transformers.js's cache) or a
   * local model directory. It replaces the GloVe encoder as the semantic part; the lexical part stays.
   */
  embedder?: Embedder | string;
  /** Scale heads for the default embedder (e.g. `createLinearScaleHeads({ directory })`). Default: the shipped trained heads. */
  heads?: ScaleHeads;
  /**
   * The default embedder's semantic part: its vectors join the lexical part (shared words) with a
   * semantic one (shared meaning) at every scale, and cosine becomes (1 − weight) · lexical +
   * weight · semantic. Default: the trained GloVe-based `createSemanticEncoder()`. `false`: words only.
   */
  semantic?: SemanticOptions | false;
  clock?: Clock;
  /**
   * How factors combine into a score. Default: the ranker fitted on LoCoMo's dev conversations and
   * shipped with the package (`neuromem-eval fit-ranker` regenerates it); `HAND_SET_RANKER` is the
   * unfitted baseline. See `parseRankerModel` to load one from JSON.
   */
  ranker?: RankerModel;
  /** Factors not computed at all (ablations, or to save time): they count as 0 and their sources are skipped. */
  excludeFactors?: Feature[];
  /**
   * Half-life of the recency factor in days, one for all kinds or per kind. Default: episodic 30,
   * summary 90, semantic 365 (a fact stays true longer than an event stays relevant).
   */
  recencyHalfLifeDays?: number | Partial<Record<MemoryKind, number>>;
  /** Fits `context()` into its token budget. Default: `createCompressor()` from @neuromem/compression (learned keep model, tiktoken cl100k). */
  compressor?: Compressor;
  /**
   * Module 3's learned retrieval decisions: each result's `score` becomes the probability that it is
   * useful (calibrated on held-out LoCoMo conversations), and `context()` injects nothing when no
   * memory is likely to answer. Default: the shipped `defaultRelevance()` from @neuromem/controller,
   * fitted for the default ranker and embedder (refit with `neuromem-eval relevance --fit` after
   * changing either). `false`: scores are the ranker's own and every context injects.
   */
  relevance?: RelevanceModel | false;
  /**
   * Module 3's write decision: a memory added without an `importance` gets the probability that it
   * will be needed later, from its text (a first-person fact with names and numbers scores high; a
   * question back or thanks, low). Default: the shipped `defaultImportance()` from
   * @neuromem/controller. `false`: every memory gets the store's default 0.5.
   */
  importance?: ImportanceModel | false;
  /**
   * Module 3's "same fact" decision: whether two memories are about one fact (where someone lives,
   * their job), so a search puts the version its question asks for first (the newest; the one
   * before for "used to") and a sleep links the versions. Default: the shipped `defaultFactPairs()`
   * from @neuromem/controller for searches, and the stricter `defaultFactLinks()` for a sleep's links
   * (fitted to refuse statements that only share a topic); a model given here serves both. Searches
   * also ask `defaultFactChanges()` whether the newer of two such statements changed the value, so a
   * present-tense question brings a changed value up from further below the best. `false`: only
   * near-identical restatements count as one fact, and nothing is judged a change.
   */
  factPairs?: FactPairModel | false;
  /**
   * The embedded SQLite store's commits: `'full'` (the default) fsyncs each one, so an acknowledged
   * write survives power loss; `'normal'` does not fsync (it survives a crash of the process, not of
   * the machine) and makes each `add` about a millisecond faster. Not for a brought `store`.
   */
  durability?: 'full' | 'normal';
  /**
   * On-disk memories (`path`) acknowledge an `add` once it is saved in a journal file next to the
   * database (fsynced as `durability` says) and index it, many adds per transaction, when the process
   * idles or before the next read: an add costs well under a millisecond of the caller's time instead
   * of a few. Every read (`search`, `get`, `getAll`, ... and `memory.store`) sees the adds acknowledged
   * before it; a crash loses none (the next open indexes what the journal holds). `false` indexes in
   * the `add` call itself. Default `true`; ignored for in-memory and brought stores.
   */
  writeBehind?: boolean;
  /** Count each returned search result as an access (feeds access-history scoring). Default true. */
  trackAccess?: boolean;
  /**
   * Open the memory at `path` only to read it, beside the process that holds it (a server, an
   * agent): no lock is taken and nothing is written (no access counts, no sleep recovery, no saved
   * word statistics). `add`, `update`, `delete`, `import`, `feedback`, `sleep` and other writes fail
   * with `UNSUPPORTED`. The directory must hold a memory (`NOT_FOUND` otherwise). Needs `path`, not
   * `store`. Default false.
   */
  readOnly?: boolean;
  /**
   * Module 3's online adaptation: `feedback()` teaches a per-user model on top of the global ranker
   * (residual weights, the user's own words for things, the topics they ask about), kept in the
   * store beside the user's memories and used by that user's searches. Default on;
   * `{ learningRate, decay, negativeWeight }` tune its steps (defaults 0.05, 0.02 and 0.25: how much
   * a "not useful" judgement teaches beside a useful one); `false` turns feedback off.
   */
  adaptation?: false | { learningRate?: number; decay?: number; negativeWeight?: number };
  /**
   * Storage tiers (Module 3): a memory added with an importance below `coldBelow` is stored cold,
   * as text, words and links without vectors; retrieval computes its vector from the text when
   * another source (words, its session, time, the graph) brings it up, and a useful `feedback()`
   * gives it its vectors back. Saves about a third of a memory's bytes at the cost of query-time
   * embedding. With `warmShare`, each sleep's forgetting agent keeps vectors for only that share of
   * each user's memories, those with the highest predicted utility (importance, age, accesses),
   * and gives them back to memories used again (journaled; `undoSleep` restores them). Default:
   * every memory warm. `retier()` re-tiers a scope to a share at once.
   */
  tiers?: { coldBelow?: number; warmShare?: number };
  /** Longest text per memory. Default 100,000 characters. */
  maxTextChars?: number;
  /**
   * Module 5's idle scheduler: `true` (or its settings) runs `sleep()` once no write or search has come for `idleMs`, in
   * the background, never keeping the process alive. Default off: call `sleep()` yourself.
   */
  background?: boolean | BackgroundOptions;
  /**
   * Module 5's pre-loading agent, which learns from this memory's searches who searches when and
   * warms their caches at each sleep: its settings (`maxUsers` 64, `cost` 0.25, `start`, `tune`
   * true), or `false` to leave it out of the sleep.
   */
  preloading?: false | PreloadingAgentOptions;
  /**
   * Used by sleeps only, never by `add` or `search`: the consolidation writes each fact in the
   * model's words (what is true now, what was before, with dates) instead of quoting its versions.
   * A failed call leaves that fact for the next sleep (counted as `summaryFailed` in the journal).
   */
  chatModel?: ChatModel;
  /**
   * `true`: every call, by-id ones included, must name a `userId` (agentId and runId may narrow it),
   * else `INVALID_INPUT`; so no call can read or change another user's memories, and an agent- or
   * run-only scope cannot reach across users. `false` (the default): owner-scoped calls need any one
   * id and by-id calls check a scope only when one is passed. Turn it on wherever callers are not
   * trusted with every user's memories (the CLI and any server do). `reset()` and `store` stay unscoped.
   */
  requireScope?: boolean;
}

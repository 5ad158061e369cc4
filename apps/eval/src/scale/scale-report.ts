import type { StoreStats } from '@neuromem/core';
import type { OpenReport } from '@neuromem/store';
import type { Latency } from '../bench/bench-measure';

export type { Latency };

/** Latencies of some of the timed searches, and how many there were. */
export interface VisitLatency extends Latency {
  n: number;
}

/** Everything measured once the growing store reached one checkpoint size. Times in ms. */
export interface ScaleCheckpoint {
  /** Memories in the store: the probe's, every batched session turn and every single add so far. */
  memories: number;
  /** Users with memories, the probe user included. */
  users: number;
  sessions: number;
  /** Batched ingest (one `add()` per session) of the segment since the previous checkpoint, indexing included (a flush ends it). */
  ingest: { turns: number; ms: number; turnsPerSec: number };
  /**
   * `add()` of one turn to a random user's latest session; these count toward `memories`. With
   * write-behind (the default on disk) this is the acknowledgment: the journal line, fsynced.
   */
  add: Latency;
  /** The same adds, indexed: their calls plus the flush that indexes what they left journaled, per add. */
  addIndexedMeanMs: number;
  /** `search(query, { userId, limit: 10 })` for a seeded random regular user per query. */
  search: Latency;
  /**
   * The same queries once more, right after: every user they name has now been searched since the
   * memory opened, so its owner segment is in memory. `search` includes each user's first search,
   * which reads that segment from disk (cold, at a million memories, where the file outgrows the
   * page cache); this is the steady state of a user who searches again.
   */
  searchAgain: Latency;
  /**
   * `search` split by whether the query was its user's first since the memory opened (warm-up
   * searches count as visits): a first search reads that user's segment and pages; a later one finds
   * them in memory. Absent from reports written before session 28.
   */
  searchByVisit?: { first: VisitLatency; later: VisitLatency };
  /** The same queries for the probe user, whose memories never grow. */
  probeSearch: Latency;
  /** `embedder.embedQuery()` alone: the share of a search no store change can remove. */
  queryEmbed: Latency;
  /**
   * Store-level searches with an empty filter (every user), k = 10, in a process of their own:
   * `indexLoadMs` opens the HNSW indexes first (owner-scoped searches never do); `peakRssMb` is that
   * process's peak, with the indexes loaded.
   */
  unscoped: { indexLoadMs: number; vector: Latency; text: Latency; peakRssMb: number };
  references: {
    /** SQLite FTS5 BM25 over the same turns, `MATCH` then `user_id = ?`, top 10. */
    bm25: Latency;
    /** Exact dot-product top 10 over the queried user's turn vectors, held in one Float32Array. */
    plainVector: Latency;
    /** Mean number of turn vectors the plain reference scanned per query. */
    meanUserMemories: number;
  };
  /** After `close()`: `createMemory({ path })` until it resolves, then the first search. */
  reopen: { openMs: number; firstSearchMs: number; totalMs: number; openReport: OpenReport };
  /** Every file of the memory directory after a clean close. */
  disk: { bytes: number; bytesPerMemory: number; files: Record<string, number> };
  /** The ingesting process after reopen (after a full collection when gc is exposed); its peak so far in the run. */
  process: { rssMb: number; heapUsedMb: number; peakRssMb: number };
  stats: StoreStats;
}

/** One user, one session, single-turn adds: does the cost of an add grow with its session? */
export interface LongSessionResult {
  turns: number;
  /** Adds in each of the two windows compared: 100, or half the turns when there are fewer than 200. */
  window: number;
  first: Latency;
  last: Latency;
}

export interface ScaleReport {
  options: { sizes: number[]; users: number; sessionTurns: number; probeMemories: number; queries: number; adds: number; seed: number; longSession: number; durability: 'full' | 'normal' };
  machine: { cpus: number; cpuModel: string; totalMemoryMb: number; node: string; platform: string; gcExposed: boolean };
  commit: string | null;
  startedAt: string;
  durationMs: number;
  checkpoints: ScaleCheckpoint[];
  longSession?: LongSessionResult;
  /** Highest resident set size of the process during the run (VmHWM where /proc has it). */
  peakRssMb: number;
  /** Where the stores were left, with `keep`. */
  directory?: string;
}

import type { OpenReport } from '@neuromem/store';
import type { Latency } from './bench-measure';

export type { Latency };

export interface BenchOptions {
  /** Corpus sizes; each gets a fresh store and a fresh exact baseline, in this order. Required. */
  ns: number[];
  /** Vector length, e.g. 384 for MiniLM-sized embeddings. Required. */
  dim: number;
  /** Timed searches per system and n (k = 10), drawn from the corpus distribution, not copied from it. Required. */
  queries: number;
  /** Seed for vectors, queries and sentences. Default 42. */
  seed?: number;
  /** Where the on-disk stores go: a fresh subdirectory is made here and removed afterwards. Default: the OS temp dir. */
  directory?: string;
  /** Called after each batch or query, outside the timed regions. */
  onProgress?: (event: { phase: string; done: number; total: number }) => void;
  /** Memories added one `add()` at a time in the end-to-end text run. Default 2000. */
  textMemories?: number;
}

/** How the reopened store found its `turn` index; 'missing' if it reported none. */
export type ReopenOutcome = NonNullable<OpenReport['vectorIndexes']['turn']> | 'missing';

export interface BenchRun {
  n: number;
  neuromem: {
    /** Memories per second through `put` in batches of 1000, including periodic index snapshots. */
    ingestPerSec: number;
    /** `searchVectors` with no filter: straight to the usearch HNSW index (ms). */
    search: Latency;
    /** `searchVectors` with the scope filter every memory passes, as the facade searches (ms). */
    filteredSearch: Latency;
    recallAt10: number;
    filteredRecallAt10: number;
    /** Whole-process RSS after ingest; includes whatever earlier phases and runs left behind. */
    rssMb: number;
    /**
     * RSS growth from just before the store opened to just after its ingest: its footprint, mostly
     * the native usearch graph, which no JS counter sees. It can undercount for every n after the
     * first, when the allocator reuses pages an earlier run freed; run one n per process to be exact.
     */
    rssDeltaMb: number;
    /** V8 heap + ArrayBuffer growth over the same span: the JS share (graph, caches) of rssDeltaMb. */
    jsDeltaMb: number;
    /** Every file in the store directory after a clean close (SQLite, usearch snapshot, metadata), over n. */
    bytesPerMemory: number;
    /** Time for `createSqliteStore` on the closed directory to return a ready store. */
    reopenMs: number;
    reopen: ReopenOutcome;
  };
  exact: {
    ingestPerSec: number;
    /** Brute-force cosine top-10 over every vector (ms); its results are the recall ground truth. */
    search: Latency;
    /** Whole-process RSS after ingest, measured after the neuromem store of this n was closed. */
    rssMb: number;
    /** V8 heap + ArrayBuffer growth during ingest: exact for this all-JS index, unlike an RSS delta. */
    jsDeltaMb: number;
  };
}

export interface BenchReport {
  dim: number;
  queries: number;
  seed: number;
  machine: { cpus: number; node: string; cpuModel: string; totalMemoryMb: number; gcExposed: boolean };
  runs: BenchRun[];
  /** The facade end to end with its default (hashing) encoder: text in, scored memories out. */
  /** `addPerSec`: one add() per memory; `batchedAddPerSec`: one add() per session of 20 messages. */
  text: { memories: number; addPerSec: number; batchedAddPerSec: number; searches: number; search: Latency };
}

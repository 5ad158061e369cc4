/** A hit from a vector index: the key and its cosine similarity to the query (1 = same direction). */
export interface VectorMatch {
  key: number;
  similarity: number;
}

export interface VectorSearchOptions {
  /**
   * Keep only keys for which this returns true. Implementations must still return `k` matches
   * whenever at least `k` indexed keys pass (no silent under-fill because of filtering).
   */
  filter?: (key: number) => boolean;
}

export interface VectorIndexFlushOptions {
  /**
   * Called with the complete, synced new file before it replaces the previous one, so an owner can
   * record its checksum first; a crash after this call leaves that file at the path it was given.
   * Throwing cancels the flush and leaves the previous file in place. Indexes that write no file
   * never call it.
   */
  beforeReplace?: (savedPath: string) => void | Promise<void>;
}

/**
 * A cosine-similarity index over integer keys. Keys are non-negative safe integers; adding an
 * existing key replaces its vector.
 */
export interface VectorIndex {
  readonly specVersion: 'neuromem.vector-index/v1';
  readonly dimensions: number;
  readonly capabilities: {
    /** Survives `close()` + reopen from the same path. */
    readonly persistent: boolean;
    /** Search may miss true neighbours (ANN). */
    readonly approximate: boolean;
  };
  size(): number;
  has(key: number): boolean;
  /** Validates every vector first; on error nothing is added. */
  add(keys: readonly number[], vectors: readonly Float32Array[]): Promise<void>;
  /** Returns how many keys were present. Unknown keys are ignored. */
  remove(keys: readonly number[]): Promise<number>;
  /** Best matches first. `k` larger than the index returns everything that passes the filter. */
  search(vector: Float32Array, k: number, options?: VectorSearchOptions): Promise<VectorMatch[]>;
  /** Writes to disk (persistent indexes only; a no-op otherwise). */
  flush(options?: VectorIndexFlushOptions): Promise<void>;
  close(): Promise<void>;
}

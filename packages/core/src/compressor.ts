export interface CompressItem {
  memoryId: string;
  text: string;
  /** Retrieval score; higher-scored items are protected first when the budget is tight. */
  score: number;
}

/** A kept span of the output and where it came from. */
export interface SpanPointer {
  memoryId: string;
  /** Character range in the source memory's text. */
  start: number;
  end: number;
}

export interface CompressedContext {
  text: string;
  tokens: number;
  pointers: SpanPointer[];
}

/** Module 4: fits memories into a token budget, keeping facts, numbers and decisions. */
export interface Compressor {
  readonly specVersion: 'neuromem.compressor/v1';
  compress(items: readonly CompressItem[], options: { query: string; tokenBudget: number }): Promise<CompressedContext>;
}

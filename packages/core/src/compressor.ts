export interface CompressItem {
  memoryId: string;
  text: string;
  /** Retrieval score; higher-scored items are protected first when the budget is tight. */
  score: number;
  /** Shown before the memory's kept words, e.g. its date and speaker: counted in the budget, never cut. */
  label?: string;
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
  /** One per kept span, in output order: what each piece of `text` was taken from. */
  pointers: SpanPointer[];
  /** Memories left out whole: near-duplicates of a kept one (merged into it) or no room left. */
  dropped: string[];
  /** Set when the result is not what was asked for, e.g. only a fragment fits the budget. */
  notice?: string;
}

/** Module 4: fits memories into a token budget, keeping facts, numbers and decisions. */
export interface Compressor {
  readonly specVersion: 'neuromem.compressor/v1';
  compress(items: readonly CompressItem[], options: { query: string; tokenBudget: number }): Promise<CompressedContext>;
  /** Tokens in `text` as this compressor counts them against a budget. */
  countTokens(text: string): number;
  /** The full text a pointer came from ("reconstruction when needed"), for memories this compressor has seen. */
  expand(pointer: SpanPointer): string | undefined;
}

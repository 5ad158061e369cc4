/**
 * What memory injection cost this run, against the naive alternative of sending the user's whole
 * stored history with every message.
 */
export interface SessionStats {
  turns: number;
  /** Tokens of memory context injected, summed over turns. */
  contextTokens: number;
  /** Tokens the whole stored history would have taken, summed over the same turns. */
  wholeHistoryTokens: number;
  /** Time spent building contexts (search + compression), in ms. */
  contextMs: number;
}

export function createSessionStats(): SessionStats {
  return { turns: 0, contextTokens: 0, wholeHistoryTokens: 0, contextMs: 0 };
}

/** Share of the whole-history tokens that memory injection did not send; 0 before the first turn. */
export function tokensSaved(stats: SessionStats): number {
  return stats.wholeHistoryTokens === 0 ? 0 : 1 - stats.contextTokens / stats.wholeHistoryTokens;
}

import { createErrorFactory } from '@neuromem/core';
import { explainScore } from '@neuromem/retrieval';
import type { Memory } from '../memory';
import type { EntityIds, MemoryItem } from '../types';

const fail = createErrorFactory('mcp');

/** How many results `explain` looks through for the memory: a memory further down is "not among the first". */
export const EXPLAIN_DEPTH = 50;
/** How much of the memory the explanation quotes, so the agent knows which one it is about. */
const PREVIEW_CHARS = 160;

/** Why one memory ranks where it does for a query (the `explain` tool's structured answer). */
export interface MemoryExplanation {
  id: string;
  query: string;
  /** Its position among the query's results (1 = first); null when it is not among the first `EXPLAIN_DEPTH`. */
  rank: number | null;
  /** How many results the query returned (at most `EXPLAIN_DEPTH`). */
  results: number;
  /** Its calibrated score: the probability that it is useful for the query. */
  score?: number;
  /** The probability that the user's memories can answer the query at all. */
  answerable?: number;
  /** The factors that moved its score most, with their value and signed contribution to the ranker's logit. */
  why?: string;
  factors?: Record<string, number>;
  contributions?: Record<string, number>;
  logit?: number;
  /** The first result, for comparison, when it is another memory. */
  first?: { id: string; score: number; why: string };
}

/**
 * Explains a memory's rank for a query from the breakdown `search` returns beside every score.
 * `NOT_FOUND` for an id outside `scope`, worded as for an id never stored, so a server for one
 * user cannot tell that another user's memory exists.
 */
export async function explainMemory(memory: Memory, scope: EntityIds, query: string, memoryId: string): Promise<{ explanation: MemoryExplanation; text: string }> {
  const item = await memory.get(memoryId, scope);
  if (!item) throw fail('NOT_FOUND', `no memory with id ${memoryId}; it was never stored or was deleted. Use search to find the ids of this user's memories.`, { details: { id: memoryId } });
  const { results, answerable } = await memory.search(query, { ...scope, topK: EXPLAIN_DEPTH, trackAccess: false });
  const index = results.findIndex((result) => result.id === item.id);
  const top = results[0];
  const first = top && top.id !== item.id ? { id: top.id, score: top.score ?? 0, why: explainScore(top.scoreBreakdown) } : undefined;
  const base = { id: item.id, query, results: results.length, ...(answerable !== undefined ? { answerable } : {}), ...(first ? { first } : {}) };
  const comparison = first ? `\nThe first result, ${first.id} (score ${first.score}), scored on: ${first.why || 'no factor'}.` : '';
  const quoted = `Memory ${item.id} ("${item.memory.length > PREVIEW_CHARS ? `${item.memory.slice(0, PREVIEW_CHARS)}…` : item.memory}")`;
  if (index < 0) {
    const reason =
      results.length === EXPLAIN_DEPTH
        ? `is not among the first ${EXPLAIN_DEPTH} results for "${query}": that many other memories share more with the query (words, meaning, time or links).`
        : `does not come back for "${query}" at all: no candidate source (shared words, meaning, the time asked about, neighbouring turns, linked names) brings it up.`;
    return { explanation: { ...base, rank: null }, text: `${quoted} ${reason}${comparison}` };
  }
  const found = results[index] as MemoryItem;
  const breakdown = found.scoreBreakdown;
  const why = explainScore(breakdown, { top: 6 });
  return {
    explanation: {
      ...base,
      rank: index + 1,
      score: found.score ?? 0,
      why,
      ...(breakdown ? { factors: breakdown.factors, contributions: breakdown.contributions, logit: breakdown.logit } : {}),
    },
    text:
      `${quoted} ranks ${index + 1} of ${results.length} for "${query}", with score ${found.score} (the probability that it is useful for this query` +
      `${answerable !== undefined ? `; the probability that this user's memories answer the query at all is ${answerable}` : ''}).\n` +
      `What moved its score most (factor value, and what it added to the ranking): ${why || 'no factor'}.${comparison}`,
  };
}

import type { RankedMemory } from '@neuromem/retrieval';
import { toMemoryItem } from './to-memory-item';
import type { MemoryItem } from './types';

/** Scores as shown to callers: six decimals (a threshold copied from a result then keeps it). */
export const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** A copy with every value rounded (a loop: two of these per result, on every search). */
function roundAll<T extends Record<string, number>>(values: T): T {
  const rounded = { ...values };
  for (const key in rounded) rounded[key] = round(rounded[key]!) as T[typeof key];
  return rounded;
}

/** A ranked memory as `search` returns it: the item, its score and why it scored so. */
export const toSearchItem = ({ ranked: r, score }: { ranked: RankedMemory; score: number }): MemoryItem => ({
  ...toMemoryItem(r.record),
  score: round(score),
  scoreBreakdown: {
    factors: roundAll(r.factors),
    contributions: roundAll(r.contributions),
    logit: round(r.logit),
    ...(r.personal !== 0 ? { personal: round(r.personal) } : {}),
    ...(r.restates ? { restates: r.restates } : {}),
  },
});

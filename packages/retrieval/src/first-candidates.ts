import type { MemoryRecord } from '@neuromem/core';

/** Memories that are never candidates, whatever finds them (see `RetrieverOptions.setAside`). */
export type SetAside = (record: MemoryRecord) => boolean;

/**
 * The first `k` items whose memory is not set aside, without those that are: a source read `k` plus
 * some room gives `k` candidates, and a sleep's facts (which quote their versions' words and carry
 * the current version's time) never take a turn's place in it.
 */
export function firstCandidates<T>(items: readonly T[], k: number, recordOf: (item: T) => MemoryRecord, setAside: SetAside | undefined): T[] {
  const kept = setAside ? items.filter((item) => !setAside(recordOf(item))) : items;
  return kept.slice(0, k);
}

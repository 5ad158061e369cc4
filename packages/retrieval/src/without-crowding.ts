import type { MemoryRecord } from '@neuromem/core';

/**
 * The first `k` items that are not semantic memories, with the semantic ones listed among them: a
 * sleep's facts come in addition to the turns a search found before it, never in their place.
 */
export function withoutCrowding<T>(items: readonly T[], k: number, recordOf: (item: T) => MemoryRecord): T[] {
  const kept: T[] = [];
  let others = 0;
  for (const item of items) {
    if (!isSemanticMemory(recordOf(item))) {
      if (others === k) break;
      others++;
    }
    kept.push(item);
  }
  return kept;
}

/** A semantic memory (a sleep's consolidated fact): never a result of its own, reached through its versions. */
export const isSemanticMemory = (record: MemoryRecord) => record.kind === 'semantic';

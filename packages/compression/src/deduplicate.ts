import type { CompressItem } from '@neuromem/core';
import { ENGLISH_STOP_WORDS } from '@neuromem/core';
import { keyOf } from './words';

/** A memory whose content words are this much contained in a better-ranked one adds nothing. */
export const DUPLICATE_CONTAINMENT = 0.8;

/**
 * Redundancy first: walks items best first (maximal marginal relevance with a hard cut) and drops
 * each one whose content words are mostly inside a kept one, so the budget is not spent twice.
 */
export function deduplicate(items: readonly CompressItem[]): { kept: CompressItem[]; dropped: string[] } {
  const kept: Array<{ item: CompressItem; words: Set<string> }> = [];
  const dropped: string[] = [];
  for (const item of items) {
    const words = new Set(
      item.text
        .split(/\s+/)
        .map(keyOf)
        .filter((key) => key.length > 0 && !ENGLISH_STOP_WORDS.has(key)),
    );
    const duplicate = words.size > 0 && kept.some((other) => containment(words, other.words) >= DUPLICATE_CONTAINMENT);
    if (duplicate) dropped.push(item.memoryId);
    else kept.push({ item, words });
  }
  return { kept: kept.map((entry) => entry.item), dropped };
}

function containment(words: ReadonlySet<string>, within: ReadonlySet<string>): number {
  let shared = 0;
  for (const word of words) if (within.has(word)) shared++;
  return shared / words.size;
}

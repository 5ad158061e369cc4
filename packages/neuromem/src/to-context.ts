import type { CompressedContext, Compressor } from '@neuromem/core';
import type { ContextSource, MemoryContext, MemoryItem } from './types';

/** What a memory is shown under in a context: the day it happened and who said it. */
export function contextLabel(item: Pick<MemoryItem, 'eventTime' | 'role'>): string {
  const day = item.eventTime.slice(0, 10);
  return item.role ? `${day} ${item.role}` : day;
}

/** A memory as one uncompressed context line, `- [date speaker] text`: what `fullTokens` counts. */
export function contextLine(item: Pick<MemoryItem, 'eventTime' | 'role' | 'memory'>): string {
  return `- [${contextLabel(item)}] ${item.memory}`;
}

/** The compressor's output joined back to the search results it was made from. */
export function toContext(compressed: CompressedContext, results: readonly MemoryItem[], compressor: Compressor): MemoryContext {
  const byId = new Map(results.map((result) => [result.id, result]));
  const sources = new Map<string, ContextSource>();
  for (const { memoryId, start, end } of compressed.pointers) {
    const result = byId.get(memoryId);
    // An abstractive pass may cite nothing new; pointers only ever name memories that were passed in.
    if (!result) continue;
    const source = sources.get(memoryId) ?? { ...result, spans: [] };
    source.spans.push({ start, end });
    sources.set(memoryId, source);
  }
  const full = results.map(contextLine).join('\n');
  return {
    text: compressed.text,
    tokens: compressed.tokens,
    sources: [...sources.values()],
    dropped: compressed.dropped,
    fullTokens: results.length === 0 ? 0 : compressor.countTokens(full),
    ...(compressed.notice ? { notice: compressed.notice } : {}),
  };
}

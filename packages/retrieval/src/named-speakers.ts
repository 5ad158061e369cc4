import { lexicalWords, type MemoryRecord } from '@neuromem/core';

/** Speakers (memory roles) the query names as whole words, lower-case. Generic roles never count. */
export function namedSpeakers(query: string, records: readonly MemoryRecord[]): Set<string> {
  const lower = ` ${query.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ')} `;
  const named = new Set<string>();
  for (const role of new Set(records.map((r) => r.role?.toLowerCase()).filter((r): r is string => !!r))) {
    if (GENERIC_ROLES.has(role)) continue;
    const words = role.replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
    if (words && lower.includes(` ${words} `)) named.add(role);
  }
  return named;
}

/**
 * The query without the speakers it names (and their possessive "'s"), or the query itself when no
 * content word would remain ("Who is Carmen?" is about the name).
 */
export function withoutNames(query: string, named: ReadonlySet<string>): string {
  let text = query;
  for (const role of named) {
    const words = role.match(/[\p{L}\p{N}]+/gu) ?? [];
    if (words.length === 0) continue;
    const name = words.join('[^\\p{L}\\p{N}]+');
    text = text.replace(new RegExp(`(?<![\\p{L}\\p{N}])${name}(?:['’]s)?(?![\\p{L}\\p{N}])`, 'giu'), ' ');
  }
  if (text === query || lexicalWords(text).length === 0) return query;
  return text.replace(/\s+/g, ' ').trim();
}

const GENERIC_ROLES = new Set(['user', 'assistant', 'system', 'tool', 'human', 'ai']);

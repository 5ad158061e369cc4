import { ENGLISH_STOP_WORDS } from '@neuromem/core';
import type { ContextSource } from 'neuromem';

const WORD = /[\p{L}\p{N}]{4,}/gu;

/** Words of four letters or more, stop words left out: the rest are too common to show that an answer drew on a memory. */
const wordsOf = (text: string) => new Set([...text.toLowerCase().matchAll(WORD)].map(([word]) => word).filter((word) => !ENGLISH_STOP_WORDS.has(word)));

/**
 * The sources an answer used: those at least two of whose words (four letters or more, not in the
 * question) the answer repeats. This is the implicit feedback a chat gives its memory: it carried
 * something from the memory that the user did not say.
 */
export function sourcesUsed(question: string, answer: string, sources: readonly ContextSource[]): ContextSource[] {
  const asked = wordsOf(question);
  const said = wordsOf(answer);
  return sources.filter((source) => [...wordsOf(source.memory)].filter((word) => !asked.has(word) && said.has(word)).length >= 2);
}

import type { ContextSource } from 'neuromem';

const WORD = /[\p{L}\p{N}]{4,}/gu;
/** Words too common to show that an answer drew on a memory. */
const COMMON = new Set([
  'that',
  'this',
  'with',
  'have',
  'from',
  'your',
  'what',
  'when',
  'they',
  'were',
  'will',
  'would',
  'there',
  'their',
  'about',
  'been',
  'just',
  'like',
  'some',
  'them',
  'then',
  'than',
  'very',
  'also',
  'into',
  'more',
  'said',
]);

const wordsOf = (text: string) => new Set([...text.toLowerCase().matchAll(WORD)].map(([word]) => word).filter((word) => !COMMON.has(word)));

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

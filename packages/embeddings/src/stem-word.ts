import porter2 from 'wink-porter2-stemmer';

const ASCII_WORD = /^[a-z]+$/;

/**
 * Porter2 stem of a lower-case English word ("painted" -> "paint"). Words with digits or
 * non-ASCII letters are left alone: the stemmer is English-only and rewrites the digit 3
 * ("2023" -> "202i").
 */
export function stemWord(word: string): string {
  return word.length > 3 && ASCII_WORD.test(word) ? porter2(word) : word;
}

import porter2 from 'wink-porter2-stemmer';

const ASCII_WORD = /^[a-z]+$/;
/** Longer "words" are not English words (hashes, base64, "aaaa…"), and the stemmer is slow on them. */
const MAX_STEMMED_LENGTH = 30;

/**
 * Porter2 stem of a lower-case English word ("painted" -> "paint"). Words with digits or
 * non-ASCII letters are left alone: the stemmer is English-only and rewrites the digit 3
 * ("2023" -> "202i"), and so are words too long to be English.
 */
export function stemWord(word: string): string {
  return word.length > 3 && word.length <= MAX_STEMMED_LENGTH && ASCII_WORD.test(word) ? porter2(word) : word;
}

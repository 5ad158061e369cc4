import porter2 from 'wink-porter2-stemmer';
import { createLruCache } from './lru-cache';

const ASCII_WORD = /^[a-z]+$/;
/** Longer "words" are not English words (hashes, base64, "aaaa…"), and the stemmer is slow on them. */
const MAX_STEMMED_LENGTH = 30;

/**
 * Porter2 stem of a lower-case English word ("painted" -> "paint"). Words with digits or
 * non-ASCII letters are left alone: the stemmer is English-only and rewrites the digit 3
 * ("2023" -> "202i"), and so are words too long to be English.
 */
export function stemWord(word: string): string {
  if (word.length <= 3 || word.length > MAX_STEMMED_LENGTH || !ASCII_WORD.test(word)) return word;
  let stem = STEMS.get(word);
  if (stem === undefined) {
    stem = porter2(word);
    STEMS.set(word, stem);
  }
  return stem;
}

/** Vocabularies are small and Porter2 is regex-heavy: remember stems. */
const STEMS = createLruCache<string, string>({ maxCost: 50_000 });

import winkStem from 'wink-nlp-utils/src/string-stem.js';
import { ENGLISH_STOP_WORDS } from './stop-words';

/**
 * Content stems as the lexical systems see words: split at anything but letters and digits (as
 * MiniSearch does, so "sister's" gives "sister" and "s"), stop words dropped, Porter2-stemmed.
 * Numbers are kept whole: the stemmer rewrites the digit 3. The hand-written sets' tests use it to
 * check that a question is worded apart from its evidence.
 */
export const contentStems = (text: string): Set<string> =>
  new Set(
    text
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((word) => word !== '' && !ENGLISH_STOP_WORDS.has(word))
      .map((word) => (/\d/.test(word) ? word : winkStem(word))),
  );

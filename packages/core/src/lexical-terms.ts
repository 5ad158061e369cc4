import { stemWord } from './stem-word';
import { ENGLISH_STOP_WORDS } from './stop-words';

/** One indexed word of a text: its stem, how often the text says it, and the text's length in indexed words. */
export interface TextTerm {
  term: string;
  tf: number;
  len: number;
}

const WORD = /[\p{L}\p{N}]+/gu;
const MARKS = /\p{M}+/gu;

/**
 * The words of a text as the owner text index counts them: case and diacritics folded, English stop
 * words left out (queries never ask for them), Porter2 stems. Writes and queries both go through
 * here, so a stem found in a query is spelt as it was indexed; every store with `textSearch` in this
 * repository indexes with it. Changing it requires a reindex.
 */
export function lexicalWords(text: string): string[] {
  const words: string[] = [];
  for (const [raw] of text.normalize('NFKD').replace(MARKS, '').toLowerCase().matchAll(WORD)) {
    if (!ENGLISH_STOP_WORDS.has(raw)) words.push(stemWord(raw));
  }
  return words;
}

/** Distinct terms of a text with their counts; `len` is the text's length in indexed words. */
export function lexicalTerms(text: string): TextTerm[] {
  const words = lexicalWords(text);
  const counts = new Map<string, number>();
  for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
  return [...counts].map(([term, tf]) => ({ term, tf, len: words.length }));
}

/**
 * The content words of a text, each once by stem: as written (NFKC, lower case) and its stem; stop
 * words and one-letter words left out. For matching a query's words with a memory's (a user's own
 * words for things, word-by-word similarity), where the word as written is needed beside its stem.
 */
export function contentWords(text: string): Array<{ word: string; stem: string }> {
  const seen = new Set<string>();
  const words: Array<{ word: string; stem: string }> = [];
  for (const [raw] of text.normalize('NFKC').toLowerCase().matchAll(WORD)) {
    if (raw.length < 2 || ENGLISH_STOP_WORDS.has(raw)) continue;
    const stem = stemWord(raw);
    if (seen.has(stem)) continue;
    seen.add(stem);
    words.push({ word: raw, stem });
  }
  return words;
}

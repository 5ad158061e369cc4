/** A whitespace-delimited word of a memory and where it sits in the memory's text. */
export interface Word {
  text: string;
  /** Lower-case, without surrounding punctuation, light suffixes removed: what matching compares. */
  key: string;
  start: number;
  end: number;
  /** Index of its sentence within the text. */
  sentence: number;
}

const SENTENCE_END = /[.!?]["')\]]*$/;

export function splitWords(text: string): Word[] {
  const words: Word[] = [];
  let sentence = 0;
  for (const match of text.matchAll(/\S+/g)) {
    const word = match[0];
    words.push({ text: word, key: keyOf(word), start: match.index, end: match.index + word.length, sentence });
    if (SENTENCE_END.test(word)) sentence++;
  }
  return words;
}

/** Lower-case, punctuation trimmed, and the commonest English suffixes cut so "dogs" meets "dog". */
export function keyOf(word: string): string {
  const bare = word
    .toLowerCase()
    .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '')
    .replace(/['’]s$/u, '');
  if (bare.length > 4 && bare.endsWith('ies')) return `${bare.slice(0, -3)}y`;
  if (bare.length > 5 && bare.endsWith('ing')) return bare.slice(0, -3);
  if (bare.length > 4 && bare.endsWith('ed')) return bare.slice(0, -2);
  if (bare.length > 3 && bare.endsWith('s') && !bare.endsWith('ss')) return bare.slice(0, -1);
  return bare;
}

/** The first five letters of a key: enough to meet "reminder" with "reminds", "promoted" with "promotion". */
export function stemOf(key: string): string {
  return key.length > 5 ? key.slice(0, 5) : key;
}

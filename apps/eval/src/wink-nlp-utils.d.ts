// wink-nlp-utils ships no type declarations; only the parts this app uses are declared.
declare module 'wink-nlp-utils/src/string-stem.js' {
  /** Porter2 stemmer. */
  export default function stem(word: string): string;
}
declare module 'wink-nlp-utils/src/dictionaries/stop_words.json' {
  const words: string[];
  export default words;
}

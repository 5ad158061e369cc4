// wink-nlp-utils' English stop-word list (153 words), taken from the library rather than copied;
// tsup inlines it into the build (see tsup.config.ts).
import stopWords from 'wink-nlp-utils/src/dictionaries/stop_words.json';

export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set(stopWords as string[]);

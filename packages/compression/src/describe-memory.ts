import { ENGLISH_STOP_WORDS } from '@neuromem/core';
import { clauseRanges } from './clauses';
import type { QuestionCues } from './question-cues';
import { FILLERS, NUMBER_WORDS, TIME_WORDS } from './word-lists';
import { stemOf, type Word } from './words';

export interface ClauseDescription {
  /** Distinct query words in the clause. */
  queryWords: number;
  /** Whether a word of the clause is of the type the question asks for (a date for "when"…). */
  cue: boolean;
  /** Whether it asks rather than tells (ends with "?"). */
  question: boolean;
  /** A short clause of names, fillers and stop words only: "Hey Caroline!", "Thanks, Jon.", "Yup,". */
  greeting: boolean;
  /** Share of its words that are neither stop words nor fillers, how many they are, and how many of them the query lacks. */
  content: number;
  contentWords: number;
  novelWords: number;
  length: number;
}

/** What every word's features share within one memory, found once per memory and query rather than once per word. */
export interface MemoryDescription {
  /** Where the memory's words match the query, and the sentences that hold a match. */
  positions: number[];
  sentences: Set<number>;
  clauses: ClauseDescription[];
  /** Per word: its clause, the distance back to the nearest query match in its sentence, whether it sits in quotes or a [photo caption]. */
  clause: Int32Array;
  afterQuery: Float64Array;
  quoted: Uint8Array;
  caption: Uint8Array;
  /** Per word: whether it looks like a date or time, a count, a name. */
  timeLike: Uint8Array;
  countLike: Uint8Array;
  nameLike: Uint8Array;
  /** Share of the query's words the memory contains. */
  coverage: number;
  /** Whether the memory asks something (the answer is more often in the reply). */
  asks: boolean;
}

/** Keyed by the memory's word list; the query set is compared by identity (one per compress call). */
const descriptions = new WeakMap<readonly Word[], { query: ReadonlySet<string>; description: MemoryDescription }>();

export function describeMemory(words: readonly Word[], query: ReadonlySet<string>, cues: QuestionCues): MemoryDescription {
  const cached = descriptions.get(words);
  if (cached && cached.query === query) return cached.description;
  const n = words.length;
  const description: MemoryDescription = {
    positions: [],
    sentences: new Set<number>(),
    clauses: [],
    clause: new Int32Array(n),
    afterQuery: new Float64Array(n).fill(Infinity),
    quoted: new Uint8Array(n),
    caption: new Uint8Array(n),
    timeLike: new Uint8Array(n),
    countLike: new Uint8Array(n),
    nameLike: new Uint8Array(n),
    coverage: 0,
    asks: false,
  };
  const clauseEnds = clauseRanges(words).map((range) => range.to);
  const matched = new Set<string>();
  let clause: ClauseDescription & { keys: Set<string>; plainWords: number } = newClause();
  let lastMatch = -Infinity;
  let inQuote = false;
  let inCaption = false;
  words.forEach((word, j) => {
    const sentenceStart = j === 0 || words[j - 1]!.sentence !== word.sentence;
    if (sentenceStart) lastMatch = -Infinity;
    description.clause[j] = description.clauses.length;
    if (/^[[(]*["“]/.test(word.text)) inQuote = true;
    if (word.text.startsWith('[')) inCaption = true;
    description.quoted[j] = inQuote ? 1 : 0;
    description.caption[j] = inCaption ? 1 : 0;
    if (word.text.length > 1 && /["”][^\p{L}\p{N}]*$/u.test(word.text)) inQuote = false;
    if (word.text.includes(']')) inCaption = false;
    const lower = word.text.toLowerCase();
    const number = /\d/.test(word.text);
    const stopWord = ENGLISH_STOP_WORDS.has(word.key);
    description.timeLike[j] = number || TIME_WORDS.has(word.key) || TIME_WORDS.has(lower) ? 1 : 0;
    description.countLike[j] = number || NUMBER_WORDS.has(word.key) ? 1 : 0;
    description.nameLike[j] = /^["'“([]*\p{Lu}/u.test(word.text) && !stopWord && !FILLERS.has(word.key) && word.key !== 'i' ? 1 : 0;
    const inQuery = query.has(stemOf(word.key));
    if ((cues.time && description.timeLike[j]) || (cues.count && description.countLike[j]) || (cues.name && description.nameLike[j] && !inQuery)) clause.cue = true;
    const content = !stopWord && !FILLERS.has(word.key) && word.key.length > 0;
    if (content) clause.contentWords++, inQuery || clause.novelWords++;
    if (content && !description.nameLike[j]) clause.plainWords++;
    clause.length++;
    if (inQuery) {
      description.positions.push(j);
      description.sentences.add(word.sentence);
      clause.keys.add(stemOf(word.key));
      matched.add(stemOf(word.key));
      lastMatch = j;
    } else {
      description.afterQuery[j] = j - lastMatch;
    }
    if (j === clauseEnds[description.clauses.length]! - 1) {
      clause.question = /\?["')\]]*$/.test(word.text);
      if (clause.question) description.asks = true;
      description.clauses.push({
        queryWords: clause.keys.size,
        cue: clause.cue,
        question: clause.question,
        greeting: clause.length <= 3 && clause.plainWords === 0,
        content: clause.contentWords / clause.length,
        contentWords: clause.contentWords,
        novelWords: clause.novelWords,
        length: clause.length,
      });
      clause = newClause();
    }
  });
  description.coverage = query.size > 0 ? matched.size / query.size : 0;
  descriptions.set(words, { query, description });
  return description;
}

function newClause() {
  return { queryWords: 0, cue: false, question: false, greeting: false, content: 0, contentWords: 0, novelWords: 0, length: 0, keys: new Set<string>(), plainWords: 0 };
}

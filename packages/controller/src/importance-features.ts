import { ENGLISH_STOP_WORDS } from '@neuromem/core';

/**
 * What the write-time importance model reads of a new memory's text: the shape of a statement worth
 * recalling later (a first-person fact with names, numbers, a decision) against that of chatter (a
 * question back, thanks, a reaction). Text only, so it works on any store and costs microseconds.
 */
export const IMPORTANCE_FEATURES = [
  /** log(1 + words). */
  'words',
  /** 1 when the text ends with a question mark. */
  'question',
  /** Share of sentences that are questions. */
  'questionShare',
  /** Share of words that are I, me, my, mine, we, our, us. */
  'firstPerson',
  /** Share of words that are you, your. */
  'secondPerson',
  /** 1 when the text holds a digit (dates, amounts, counts). */
  'number',
  /** Capitalized words not at a sentence start (names, places, titles), per word. */
  'names',
  /** Share of words that are not stop words (content). */
  'content',
  /** 1 when the text opens with a reaction or courtesy (thanks, wow, haha, congrats, hey). */
  'reaction',
  /** Exclamation marks per sentence. */
  'exclamation',
  /** Share of words that are past-tense or decision verbs a fact is told with (went, bought, decided, started...). */
  'eventVerbs',
] as const;

export type ImportanceFeature = (typeof IMPORTANCE_FEATURES)[number];
export type ImportanceFeatures = Record<ImportanceFeature, number>;

const WORD = /[\p{L}\p{N}'’]+/gu;
const FIRST_PERSON = new Set(['i', 'me', 'my', 'mine', 'myself', 'we', 'our', 'ours', 'us', "i'm", 'i’m', "i've", 'i’ve', "i'll", 'i’ll', "i'd", 'i’d']);
const SECOND_PERSON = new Set(['you', 'your', 'yours', 'yourself', "you're", 'you’re', "you've", 'you’ve']);
const REACTION = /^\W*(thanks|thank|wow|haha|hah|lol|aw+|oh|hey|hi|hello|congrats|congratulations|cool|nice|great|awesome|yay|omg|sure|ok|okay|yeah|yes|no)\b/i;
const EVENT_VERB =
  /^(went|got|bought|made|started|finished|decided|moved|joined|visited|met|learned|adopted|booked|sold|signed|won|lost|took|gave|built|painted|wrote|ran|opened|quit|graduated|married|switched|planned|planning|signed|attended|tried|found)$/;

/** The importance model's features of one text. */
export function importanceFeatures(text: string): ImportanceFeatures {
  const words = [...text.matchAll(WORD)].map((match) => match[0]);
  const lower = words.map((word) => word.toLowerCase());
  const count = Math.max(1, words.length);
  const sentences = text.split(/(?<=[.!?])\s+/).filter((sentence) => sentence.trim().length > 0);
  const sentenceCount = Math.max(1, sentences.length);
  let names = 0;
  for (const sentence of sentences) {
    const inSentence = [...sentence.matchAll(WORD)].map((match) => match[0]);
    for (let i = 1; i < inSentence.length; i++) if (/^\p{Lu}/u.test(inSentence[i]!) && inSentence[i] !== 'I' && !/^I['’]/.test(inSentence[i]!)) names++;
  }
  const share = (test: (word: string) => boolean) => lower.filter(test).length / count;
  return {
    words: Math.log1p(words.length),
    question: /\?\s*\W*$/.test(text) ? 1 : 0,
    questionShare: sentences.filter((sentence) => sentence.trim().endsWith('?')).length / sentenceCount,
    firstPerson: share((word) => FIRST_PERSON.has(word)),
    secondPerson: share((word) => SECOND_PERSON.has(word)),
    number: /\d/.test(text) ? 1 : 0,
    names: names / count,
    content: words.length === 0 ? 0 : share((word) => !ENGLISH_STOP_WORDS.has(word)),
    reaction: REACTION.test(text) ? 1 : 0,
    exclamation: (text.match(/!/g)?.length ?? 0) / sentenceCount,
    eventVerbs: share((word) => EVENT_VERB.test(word)),
  };
}

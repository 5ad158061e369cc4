/**
 * What kind of answer a question asks for, read from its wording alone. The answer is unknown at
 * compression time, but its type is often not: "when" wants a date, "how many" a number, "who" and
 * "where" a name. A word of that type in a memory is a likely answer, so the keep model sees it.
 */
export interface QuestionCues {
  /** when, what time/date/year/month/day… */
  time: boolean;
  /** how many / much / often / long / old, what number/age… */
  count: boolean;
  /** who, whom, whose, where, which, and "what <named thing>" (book, movie, city…). */
  name: boolean;
  /** how … feel / describe, what … like: the answer is a quality or a feeling. */
  quality: boolean;
}

const TIME = /\b(when|what (time|date|year|month|day|season))\b/;
const COUNT = /\b(how (many|much|often|long|old|far)|what (number|age|percentage))\b/;
const NAME =
  /\b(who|whom|whose|where|which|what (book|books|movie|movies|film|song|songs|band|game|games|city|cities|country|countries|place|team|company|brand|name|author|artist|show|novel|series|restaurant|store|state|language|breed|instrument|instruments))\b/;
const QUALITY = /\b(feel|felt|feeling|describe|describes|described)\b|\bwhat\b.*\blike\b/;
const NONE: QuestionCues = { time: false, count: false, name: false, quality: false };

export function questionCues(query: string): QuestionCues {
  const text = query.toLowerCase();
  if (text.trim() === '') return NONE;
  return { time: TIME.test(text), count: COUNT.test(text), name: NAME.test(text), quality: QUALITY.test(text) };
}

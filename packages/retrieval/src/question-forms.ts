import type { QueryTime } from './query-time';

/** A range of the query that was read as time words and is removed from its searched text. */
export type Span = [start: number, end: number];

/*
 * The question forms of a memory query: "before/after <event>", a preference for the earliest or the
 * latest ("the first time", "recently"), and whether it asks for a time ("when did", "how long ago").
 * Each finder records the words it read in `spans`, so they can be removed from the searched text.
 */

const RELATION = /\b(before|after)\b/gi;
/** "look after the dog", "named after her aunt", "after all": not about time. */
const NOT_TEMPORAL_BEFORE_AFTER = /\b(?:look|looks|looked|looking|named|name|names|take|takes|took|taken|taking|chase|chased|chasing|ask|asked|asking|go|goes|went|going)\s+$/i;
const ANCHOR_END = /[?.!;,:]|\b(?:and|but|or|so|because|when|while|where|if|then)\b/i;
const ANCHOR_STOP_WORDS = new Set(
  'a an the that this these those it its then there here now ever all which what who whom whose me you him her us them we they i he she my your our their long before after awhile'.split(' '),
);

export function findRelation(head: string, found: ReadonlyArray<{ spanStart: number }>, covered: (at: number) => boolean, spans: Span[]): QueryTime['relation'] {
  for (const match of head.matchAll(RELATION)) {
    if (covered(match.index)) continue; // "before May 2023" became a window, "the day after tomorrow" a day
    const type = match[1]!.toLowerCase() as 'before' | 'after';
    if (NOT_TEMPORAL_BEFORE_AFTER.test(head.slice(Math.max(0, match.index - 20), match.index))) continue;
    const from = match.index + match[0].length;
    if (type === 'after' && /^\s+all\b/i.test(head.slice(from))) continue;
    const rest = head.slice(from);
    const stop = ANCHOR_END.exec(rest);
    let to = from + (stop ? stop.index : rest.length);
    // "after the trip to Paris last year": the window is not part of the anchor.
    for (const item of found) if (item.spanStart >= from && item.spanStart < to) to = item.spanStart;
    const anchor = head.slice(from, to).trim();
    const words = anchor.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
    if (!words.some((w) => !ANCHOR_STOP_WORDS.has(w))) continue; // "after that", "before": nothing to look up
    spans.push([match.index, to]);
    return { type, anchor };
  }
  return null;
}

const EARLIEST = [/\b(?:the\s+)?(?:very\s+)?first\s+time\b/gi, /\boriginally\b/gi, /\b(?:the\s+)?earliest\b/gi, /\binitially\b/gi, /\bat\s+first\b/gi];
const LATEST = [
  /\b(?:the\s+)?(?:very\s+)?last\s+time\b/gi,
  /\b(?:the\s+)?latest\b/gi,
  /\b(?:the\s+)?most\s+recent(?:ly)?\b/gi,
  /\brecently\b/gi,
  /\blately\b/gi,
  /\b(?:right\s+)?now\b/gi,
  /\bnowadays\b/gi,
  /\bthese\s+days\b/gi,
  /\bcurrent(?:ly)?\b/gi,
  /\bstill\b/gi,
  /\bany\s?more\b/gi,
];

/** Both ends named ("the first time ... still") leave no preference: an order should not guess. */
export function findOrder(head: string, covered: (at: number) => boolean, spans: Span[]): QueryTime['order'] {
  const collect = (patterns: readonly RegExp[]) => patterns.flatMap((pattern) => [...head.matchAll(pattern)].filter((m) => !covered(m.index)).map((m): Span => [m.index, m.index + m[0].length]));
  const earliest = collect(EARLIEST);
  const latest = collect(LATEST);
  spans.push(...earliest, ...latest);
  if (earliest.length > 0 && latest.length === 0) return 'earliest';
  if (latest.length > 0 && earliest.length === 0) return 'latest';
  return null;
}

const PREVIOUS = [
  /\bused\s+to\b/gi,
  // "What did she use to drive?", not "what does she use to clean it" (a tool, not a past habit).
  /(?<=\bdid(?:n['’]t)?\b[^?.!]{0,60})\buse\s+to\b/gi,
  /\bprevious(?:ly)?\b/gi,
  /\bformer(?:ly)?\b/gi,
  /\bprior\b(?!\s+to\b)/gi,
  /(?:\b(?:his|her|their|my|your|our|the)|['’]s)\s+old\b/gi,
  /\bex-/gi,
  /\bno\s+longer\b/gi,
  /\bbefore(?=\s*(?:[?.!]|$|,|\s+(?:that|this|then|now)\b))/gi,
  /\bin\s+the\s+past\b/gi,
];

/** "Used to", "previously", "her old job", a bare "before": the question wants a value that has since changed. */
export function findPrevious(head: string, covered: (at: number) => boolean, spans: Span[]): boolean {
  let previous = false;
  for (const pattern of PREVIOUS) {
    for (const match of head.matchAll(pattern)) {
      if (covered(match.index)) continue;
      previous = true;
      // "her old job" keeps "her": only the time word leaves the searched text.
      const word = /\bold\b/i.exec(match[0]);
      spans.push(word ? [match.index + word.index, match.index + word.index + 3] : [match.index, match.index + match[0].length]);
    }
  }
  return previous;
}

const AUXILIARY = String.raw`(?:did|was|were|is|are|am|do|does|will|would|had|has|have|can|could|should|shall|might)`;
const ASKS_WHEN = [
  new RegExp(String.raw`\bwhen(?:['’]s\b|(?=\s+${AUXILIARY}\b))`, 'gi'),
  /\b(?:(?:at|on|in|during|for)\s+)?(?:what|which)\s+(?:date|day|month|year|time|week|season|decade)\b/gi,
  /\bhow\s+long\s+ago\b/gi,
  /\bhow\s+many\s+(?:years|months|weeks|days|hours|minutes)\s+ago\b/gi,
  /\bsince\s+when\b/gi,
  /\bhow\s+long(?=\s+(?:has|have|had)\b|['’]s\s+it\s+been\b)/gi,
];

export function findAsksWhen(head: string, spans: Span[]): boolean {
  let asks = false;
  for (const pattern of ASKS_WHEN) {
    for (const match of head.matchAll(pattern)) {
      asks = true;
      spans.push([match.index, match.index + match[0].length]);
    }
  }
  return asks;
}

/**
 * The auxiliary a question is asked with. "'s" is "is" after a question word or a pronoun ("what's",
 * "she's"); after a name it is a possessive ("Jamal's podcasts"), not a verb.
 */
const TENSE_AUXILIARY = /\b(did|was|were|had|is|are|am|does|do|has|have|will|would|can|could|should|shall|might|may|must)\b|\b(?:what|where|who|how|when|which|why|it|he|she|that|there|here)['’]s\b/i;
const PAST_AUXILIARIES = new Set(['did', 'was', 'were', 'had']);
const PRESENT_AUXILIARIES = new Set(['is', 'are', 'am', 'does', 'do', 's']);

/**
 * The tense of a question, read from its first auxiliary: "what did / was / were / had" asks about
 * the past (an event), "what is / are / does / do / 's" about the present (a state that may have
 * changed since). Perfect ("what books has she read"), modal ("would she still") and
 * auxiliary-less questions give null.
 */
export function findTense(head: string): QueryTime['tense'] {
  const match = TENSE_AUXILIARY.exec(head);
  if (!match) return null;
  const word = (match[1] ?? 's').toLowerCase();
  if (PAST_AUXILIARIES.has(word)) return 'past';
  return PRESENT_AUXILIARIES.has(word) ? 'present' : null;
}

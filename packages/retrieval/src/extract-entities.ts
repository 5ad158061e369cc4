import { createRequire } from 'node:module';
import { DAY_MS, mondayOf, startOfDay, utc } from '@neuromem/core';
import type WinkNLP from 'wink-nlp';
import type { WinkMethods } from 'wink-nlp';
import type Model from 'wink-eng-lite-web-model';
import { resolveTimeWindows } from './query-time';

/**
 * Entity keys that link memories mentioning the same thing, built on wink-nlp's English lite model
 * (part-of-speech tags and its NER) with chrono-node resolving dates. Keys are typed and lower-case:
 *
 * - `name:<words>`: a run of proper nouns (`name:caroline`, `name:new york`, `name:google`). The lite
 *   model has no PERSON / ORG / GPE types, so people, places and organizations share this one class.
 *   Greetings and interjections the tagger mistakes for names at a sentence start ("Hey", "Wow",
 *   "Congrats"), month and weekday names and titles ("Dr") are trimmed from the ends of a run; a
 *   possessive `'s` ends it; dots are dropped (`St. Louis` -> `st louis`). Shouted (mostly upper-case)
 *   sentences yield no names, since the tagger reads every shouted word as a proper noun.
 * - dates, resolved in UTC against `eventTime` to the precision the text gives: `date:YYYY-MM-DD`
 *   ("yesterday", "8 May", "next Friday"), `week:YYYY-MM-DD` naming the Monday of the week for spans
 *   that talk in weeks ("last week", "two weeks ago"), `month:YYYY-MM` ("May 2023", "last month"),
 *   `year:YYYY` ("1987", "10 years ago", "the summer of 2010"). Without `eventTime` only dates the
 *   text pins down by itself are kept. Unresolvable spans ("Christmas", "early May") yield nothing:
 *   a raw "yesterday" would link every memory that says it.
 * - `number:<n>`: written numbers with at least two digits or a fraction, without thousands
 *   separators (`1,250.50` -> `1250.5`; "3" and "three" are too common to identify anything).
 * - `money:<symbol><n>` (`$1250.5`, `€20`, `$5000` for "$5k"; no symbol when the currency is unknown)
 *   and `percent:<n>`.
 *
 * Times of day, durations, ordinals, e-mails, URLs and emoji are not keys. Keys come in order of first
 * mention, without duplicates, at most 16.
 */

export interface ExtractEntitiesOptions {
  /** When the text was said (epoch ms): the reference for "yesterday", "last month", "8 May". */
  eventTime?: number;
}

/** The limit keeps a pathological text (a phone book) from linking to everything. */
const MAX_ENTITIES = 16;
/** Longer keys (a 500-digit number, a run of 40 capitalized words) identify nothing. */
const MAX_KEY_CHARS = 100;
const MAX_NAME_WORDS = 6;
/**
 * chrono costs ~20 µs a span (twice that without `eventTime`), so a text resolves at most this many
 * distinct DATE spans (repeats are memoized): 5,000 dates that resolve to nothing must not cost 200 ms
 * inside a write.
 */
const MAX_DATE_SPANS = 32;

/**
 * Long texts are tagged a piece at a time, so a 100 KB memory whose first pieces already hold 16
 * entities costs no more than those pieces. Pieces end at a sentence or word boundary when they can.
 */
const CHUNK_CHARS = 4096;

let tagger: WinkMethods | undefined;
/**
 * The tagger waits for the first text, then every call shares it: building it takes ~60 ms, and
 * loading its model (required here, not imported) another ~65 ms that a process which never reads
 * a text for entities (a CLI command, a search without names) would otherwise pay at import.
 */
const nlp = () => {
  if (!tagger) {
    const load = createRequire(import.meta.url);
    const winkNLP = load('wink-nlp') as typeof WinkNLP;
    tagger = winkNLP(load('wink-eng-lite-web-model') as typeof Model, ['sbd', 'pos', 'ner']);
  }
  return tagger;
};

export function extractEntities(text: string, options: ExtractEntitiesOptions = {}): string[] {
  const state: Extraction = { eventTime: options.eventTime, found: new Set(), dates: new Map() };
  for (const chunk of chunks(text)) {
    if (state.found.size >= MAX_ENTITIES) break;
    if (/[\p{L}\p{N}]/u.test(chunk)) extractFrom(chunk, state);
  }
  return [...state.found];
}

interface Extraction {
  eventTime: number | undefined;
  found: Set<string>;
  /** DATE span text -> its key, across the chunks of one text. */
  dates: Map<string, string | null>;
}

/** Words trimmed from either end of a proper-noun run (compared lower-case, without dots). */
const NOT_NAMES = new Set(
  `hey hi hello hiya howdy yo bye goodbye cheers thanks thank thx ty congrats congratulations welcome
  wow omg lol lmao haha hahaha hehe hmm hm huh oh ooh ah aw aww oops ugh yay yup yep yes yeah nope nah no
  ok okay alright sure awesome amazing great good nice cool sweet lovely wonderful fantastic perfect
  happy dear love absolutely definitely totally exactly indeed anyway btw fyi please sorry well so
  i i'm i've i'll i'd im ive mr mrs ms miss dr prof sir madam
  january february march april may june july august september october november december
  jan feb mar apr jun jul aug sep sept oct nov dec
  monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
  today tonight yesterday tomorrow`
    .split(/\s+/)
    .filter(Boolean),
);

const CURRENCIES: Readonly<Record<string, string>> = {
  $: '$',
  usd: '$',
  dollar: '$',
  dollars: '$',
  buck: '$',
  bucks: '$',
  '€': '€',
  eur: '€',
  euro: '€',
  euros: '€',
  '£': '£',
  gbp: '£',
  pound: '£',
  pounds: '£',
  quid: '£',
  '¥': '¥',
  jpy: '¥',
  yen: '¥',
  '₹': '₹',
  inr: '₹',
  rupee: '₹',
  rupees: '₹',
};

/** Powers of ten for "2 million", "3.5bn", "$5k". */
const MULTIPLIERS: Readonly<Record<string, number>> = { thousand: 3, k: 3, million: 6, m: 6, mn: 6, mil: 6, billion: 9, bn: 9, b: 9, trillion: 12, tn: 12 };

function extractFrom(text: string, { eventTime, found, dates }: Extraction): void {
  const { its } = nlp();
  const doc = nlp().readDoc(text);
  const tokens = doc.tokens();
  const values = tokens.out() as string[];
  const tags = tokens.out(its.pos) as string[];
  const spaces = tokens.out(its.precedingSpaces) as string[];
  const cases = tokens.out(its.case) as string[];
  const n = values.length;

  const entityAt = new Map<number, { end: number; type: string }>();
  const entitySpans = doc.entities().out(its.span) as unknown as Array<[number, number]>;
  const entityTypes = doc.entities().out(its.type) as string[];
  entitySpans.forEach(([start, end], i) => entityAt.set(start, { end, type: entityTypes[i] ?? '' }));

  const shouted = new Uint8Array(n);
  for (const [start, end] of doc.sentences().out(its.span) as unknown as Array<[number, number]>) {
    let words = 0;
    let upper = 0;
    for (let i = start; i <= end; i++) {
      if (!/\p{L}/u.test(values[i]!)) continue;
      words++;
      if (cases[i] === 'upperCase' && values[i]!.length > 1) upper++;
    }
    if (upper >= 3 && upper >= 0.6 * words) shouted.fill(1, start, end + 1);
  }

  const add = (key: string | null) => {
    if (key !== null && key.length <= MAX_KEY_CHARS && found.size < MAX_ENTITIES) found.add(key);
  };
  const resolve = (span: string) => {
    let key = dates.get(span);
    if (key === undefined && dates.size < MAX_DATE_SPANS) dates.set(span, (key = dateKey(span, eventTime)));
    return key ?? null;
  };
  const value = (i: number) => values[i] ?? '';
  const spanText = (start: number, end: number) => {
    let out = value(start);
    for (let i = start + 1; i <= end; i++) out += (spaces[i] === '' ? '' : ' ') + value(i);
    return out;
  };
  // Tokens inside an NER span (dates, money, mentions...) are never part of a name.
  const isName = (i: number) => i < n && tags[i] === 'PROPN' && shouted[i] === 0 && !entityAt.has(i) && /\p{L}/u.test(value(i));

  for (let i = 0; i < n && found.size < MAX_ENTITIES; ) {
    const entity = entityAt.get(i);
    if (entity) {
      let end = entity.end;
      const span = () => Array.from({ length: end - i + 1 }, (_, k) => value(i + k).toLowerCase());
      switch (entity.type) {
        case 'DATE': {
          // wink ends "8 May, 2023" before the year (which it tags as a separate number).
          let next = end + 1;
          if (value(next) === ',') next++;
          if (!/\d{4}/.test(spanText(i, end)) && /^[12]\d{3}$/.test(value(next))) end = next;
          add(resolve(spanText(i, end)));
          break;
        }
        case 'CARDINAL': {
          const currency = CURRENCIES[value(i - 1)];
          const amount = readAmount(span());
          if (amount !== null && currency !== undefined) add(`money:${currency}${amount}`);
          else if (amount !== null && (amount.includes('.') || amount.length >= 2)) add(`number:${amount}`);
          break;
        }
        case 'MONEY': {
          const words = span();
          // "$5k": wink leaves the attached suffix out of the span.
          if (spaces[end + 1] === '' && MULTIPLIERS[value(end + 1).toLowerCase()] !== undefined) words.push(value(++end).toLowerCase());
          const amount = readAmount(words);
          const currency = words.map((word) => CURRENCIES[word]).find((symbol) => symbol !== undefined) ?? '';
          if (amount !== null) add(`money:${currency}${amount}`);
          break;
        }
        case 'PERCENT': {
          const amount = readAmount(span());
          if (amount !== null) add(`percent:${amount}`);
          break;
        }
        default:
          break; // TIME, DURATION, ORDINAL, EMAIL, URL, HASHTAG, MENTION, EMOJI...: not identifying keys
      }
      i = end + 1;
      continue;
    }
    if (!isName(i)) {
      i++;
      continue;
    }
    const words: string[] = [];
    let j = i;
    while (isName(j) || (value(j) === '-' && spaces[j] === '' && spaces[j + 1] === '' && isName(j + 1) && words.length > 0)) {
      // Tokens written without a space between them ("Jean-Luc") stay one word.
      if (spaces[j] === '' && words.length > 0) words[words.length - 1] += value(j);
      else words.push(value(j));
      j++;
    }
    add(nameKey(words));
    i = j;
  }
}

function nameKey(words: readonly string[]): string | null {
  const normalized = words
    .map((word) =>
      word
        .toLowerCase()
        .replace(/['’]s?$/u, '')
        .replaceAll('.', ''),
    )
    .filter((word) => word !== '');
  let start = 0;
  let end = normalized.length;
  while (start < end && NOT_NAMES.has(normalized[start]!)) start++;
  while (end > start && NOT_NAMES.has(normalized[end - 1]!)) end--;
  if (end - start > MAX_NAME_WORDS) return null;
  const name = normalized.slice(start, end).join(' ');
  return name.length > 1 ? `name:${name}` : null;
}

/** Two references far apart: a date both resolve alike is spelled out in the text, not relative to "now". */
const ABSOLUTE_CHECK = [Date.UTC(2001, 0, 15, 12), Date.UTC(2012, 6, 20, 12)] as const;
const WEEKS = /\bweeks?\b/i;

function dateKey(text: string, eventTime: number | undefined): string | null {
  if (eventTime !== undefined) return resolveDate(text, eventTime);
  const key = resolveDate(text, ABSOLUTE_CHECK[0]);
  return key !== null && key === resolveDate(text, ABSOLUTE_CHECK[1]) ? key : null;
}

/**
 * A date span's key, from the windows the query side would read in it (one resolver for writes and
 * questions): a day, a Monday-to-Sunday week, a calendar month or year; none for other spans
 * ("this morning", "between May and June"). chrono runs on the short DATE span only: parsing the
 * whole text with it costs ten times more than tagging.
 */
function resolveDate(text: string, reference: number): string | null {
  const [window] = resolveTimeWindows(text, reference);
  if (!window) {
    // A tagged DATE that is only a year ("1987"): questions read years after "in", spans stand alone.
    const year = /^\D*\b([12]\d{3})\b\D*$/.exec(text);
    return year ? `year:${year[1]}` : null;
  }
  const { from, to } = window;
  const start = new Date(from);
  const [year, month, day] = [start.getUTCFullYear(), start.getUTCMonth() + 1, start.getUTCDate()];
  if (year < 1 || year > 9999 || startOfDay(from) !== from) return null;
  if (to - from === DAY_MS) return `date:${isoDay(year, month, day)}`;
  if (to - from === 7 * DAY_MS && mondayOf(from) === from && WEEKS.test(text)) return `week:${isoDay(year, month, day)}`;
  if (day === 1 && to === utc(year, month + 1, 1)) return `month:${pad(year, 4)}-${pad(month, 2)}`;
  if (day === 1 && month === 1 && to === utc(year + 1, 1, 1)) return `year:${pad(year, 4)}`;
  return null;
}

const pad = (value: number, width: number) => String(value).padStart(width, '0');
const isoDay = (year: number, month: number, day: number) => `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;

/** The first written number of a span, scaled by a following multiplier ("2 million"); null for words ("five"). */
function readAmount(words: readonly string[]): string | null {
  const at = words.findIndex((word) => /^\d/.test(word));
  if (at < 0) return null;
  const number = canonicalNumber(words[at]!);
  if (number === null) return null;
  const exponent = MULTIPLIERS[words[at + 1] ?? ''];
  return exponent === undefined ? number : shiftDecimal(number, exponent);
}

/** `1,250.50` -> `1250.5`, `007` -> `7`; ambiguous forms (`3,5`, `1.250,00`) -> null. */
function canonicalNumber(raw: string): string | null {
  const match = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/.exec(raw);
  if (!match) return null;
  const whole = match[1]!.replaceAll(',', '').replace(/^0+(?=\d)/, '');
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  return fraction === '' ? whole : `${whole}.${fraction}`;
}

/** Multiplies a canonical decimal by 10^exponent on its digits, so `3.5` billion stays exact. */
function shiftDecimal(number: string, exponent: number): string {
  const [whole = '', fraction = ''] = number.split('.');
  const digits = fraction.padEnd(exponent, '0');
  const shiftedWhole = `${whole}${digits.slice(0, exponent)}`.replace(/^0+(?=\d)/, '');
  const shiftedFraction = digits.slice(exponent).replace(/0+$/, '');
  return shiftedFraction === '' ? shiftedWhole : `${shiftedWhole}.${shiftedFraction}`;
}

function* chunks(text: string): Generator<string> {
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + CHUNK_CHARS);
    if (end < text.length) {
      // Cut after the last sentence end (else the last space) in the second half of the piece.
      const from = start + CHUNK_CHARS / 2;
      const window = text.slice(from, end);
      const sentence = Math.max(window.lastIndexOf('. '), window.lastIndexOf('! '), window.lastIndexOf('? '), window.lastIndexOf('\n') - 1);
      const space = Math.max(window.lastIndexOf(' '), window.lastIndexOf('\t'));
      if (sentence >= 0) end = from + sentence + 2;
      else if (space >= 0) end = from + space + 1;
      else if (/[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end--; // never split a surrogate pair
    }
    yield text.slice(start, end);
    start = end;
  }
}

import { createErrorFactory, DAY_MS as DAY, mondayOf, startOfDay, utc, wallClockOf } from '@neuromem/core';
import type { ParsedResult } from 'chrono-node/en';
import { parseTimeExpressions } from './time-parser';
import { findAsksWhen, findOrder, findPrevious, findRelation, findTense, type Span } from './question-forms';
import { findYears } from './bare-years';
import type { Anchor, Found } from './time-spans';

const fail = createErrorFactory('neuromem');

export interface TimeWindow {
  from: number;
  to: number;
  /** the words that produced it */
  text: string;
}

export interface QueryTime {
  /** Event-time windows named by the query ("in May 2023", "last week", "yesterday", "2 years ago", "between March and June"), resolved against referenceTime (UTC). Inclusive from, exclusive to, epoch ms. */
  windows: TimeWindow[];
  /** The question asks for a time: "when did/was/is", "what date/day/month/year/time", "how long ago", "since when", "how long has". */
  asksWhen: boolean;
  /** Preference for where in time the answer lies: "the first time", "originally", "earliest" -> 'earliest'; "the last time", "latest", "most recent(ly)", "recently", "now", "currently", "still", "anymore" -> 'latest'. */
  order: 'earliest' | 'latest' | null;
  /**
   * The question asks for a value that has since changed: "used to", "previously", "formerly", "her
   * old job", "his ex", "before" with nothing after it ("where did she live before?").
   */
  previous: boolean;
  /**
   * The tense of the question's first auxiliary: 'past' ("what did she drive") asks about an event,
   * 'present' ("what does she drive") about a state that may have changed; null for perfect, modal
   * or auxiliary-less questions.
   */
  tense: 'past' | 'present' | null;
  /** "before/after <X>" where X is not itself a date: the anchor words, so a caller can find the anchor event; when X is a date, it becomes an open window instead (before May 2023 -> to = start of May 2023). */
  relation: { type: 'before' | 'after'; anchor: string } | null;
  /** The query with the time words removed (so "what did I eat last week" searches for "what did I eat"). */
  text: string;
}

/**
 * The open side of "before May 2023" / "after May 2023": the limits of a JavaScript Date rather than
 * ±Infinity, so windows survive JSON and can be handed to a store's range filter as they are.
 */
export const OPEN_FROM = -8.64e15;
export const OPEN_TO = 8.64e15;

/**
 * Only this much of a query is read for time words. chrono runs some thirty regular expressions over
 * its input and every match is refined, so its cost grows with the text; a question longer than this
 * is a pasted document, and the dates deep inside it describe the document, not the time the question
 * asks about. The rest of the query is kept in `text` untouched.
 */
export const MAX_TIME_CHARS = 2_000;

/**
 * Reads the time a memory question is about: the windows it names, whether it asks for a time, which
 * end of time it prefers and what event it is relative to. Everything is resolved in UTC against
 * `referenceTime` (the moment the question is asked), never the machine's timezone. Empty,
 * stop-word-only and non-English queries yield no windows; only a bad `referenceTime` throws.
 */
export function parseQueryTime(query: string, referenceTime: number): QueryTime {
  if (typeof referenceTime !== 'number' || !Number.isFinite(referenceTime) || Math.abs(referenceTime) > OPEN_TO) {
    throw fail('INVALID_INPUT', `referenceTime must be epoch milliseconds within the range of a Date; got ${String(referenceTime)}.`, { details: { field: 'referenceTime' } });
  }
  if (typeof query !== 'string') throw fail('INVALID_INPUT', 'The query must be a string.', { details: { field: 'query' } });

  const head = headOf(query);
  const spans: Span[] = [];
  const found = findWindows(head, referenceTime);
  for (const item of found) spans.push([item.spanStart, item.end]);
  const covered = (at: number) => found.some((item) => at >= item.spanStart && at < item.end);

  const relation = findRelation(head, found, covered, spans);
  const order = findOrder(head, covered, spans);
  const asksWhen = findAsksWhen(head, spans);
  const previous = findPrevious(head, covered, spans);
  return {
    windows: found.map(({ from, to, text }) => ({ from, to, text })),
    asksWhen,
    order,
    previous,
    tense: findTense(head),
    relation,
    text: clean(removeSpans(head, spans) + query.slice(head.length)),
  };
}

/**
 * The time windows a text names, resolved against `referenceTime` (UTC): the one date resolver of
 * both sides, so "last Friday" in a stored memory (resolved against when it happened) and in a
 * question (against when it is asked) mean the same days.
 */
export function resolveTimeWindows(text: string, referenceTime: number): TimeWindow[] {
  return findWindows(headOf(text), referenceTime).map(({ from, to, text: words }) => ({ from, to, text: words }));
}

/** The first MAX_TIME_CHARS characters, cut at a space so no number or word is split ("May 20|23"). */
function headOf(query: string): string {
  if (query.length <= MAX_TIME_CHARS) return query;
  const space = query.lastIndexOf(' ', MAX_TIME_CHARS);
  return query.slice(0, space > MAX_TIME_CHARS / 2 ? space : MAX_TIME_CHARS);
}

// ---------------------------------------------------------------------------------------------------
// Windows

/** The parts of chrono's components this file reads (chrono's own type is not exported by its `en` entry). */
interface Components {
  isCertain(component: 'year' | 'month' | 'day' | 'weekday' | 'hour'): boolean;
  get(component: 'year' | 'month' | 'day' | 'weekday' | 'hour' | 'minute'): number | null;
  tags(): Set<string>;
}

function findWindows(head: string, ref: number): Found[] {
  const results = parseTimeExpressions(head, wallClockOf(ref));
  const found: Found[] = [];
  for (const result of results) {
    const item = fromChrono(head, result, ref);
    if (item) found.push(item);
  }
  // What chrono does not read: bare years ("in 2019") and "May" after anything but "in".
  for (const item of [...findYears(head), ...findMays(head, ref)]) {
    if (!found.some((other) => item.index < other.end && other.index < item.end)) found.push(item);
  }
  found.sort((a, b) => a.index - b.index);
  // At the very ends of the Date range a window can fall outside it (or be NaN): it names no time then.
  return withPrepositions(head, mergeBetween(head, found), ref).filter((item) => item.from >= OPEN_FROM && item.to <= OPEN_TO && item.from < item.to);
}

/** A chrono result as a window, or null when it is not one ("now", "for 10 minutes", "at 5pm"). */
function fromChrono(head: string, result: ParsedResult, ref: number): Found | null {
  const text = result.text;
  let index = result.index;
  const tags = result.start.tags();
  if (tags.has('casualReference/now')) return null; // "now" is an order word, not a window
  // "for 10 minutes", "in 3 days", "within a week": how long something took, not when it happened.
  if (/^(?:for|in|within)\b/i.test(text) && tags.has('result/relativeDate')) return null;
  if (/\bweekdays?\b/i.test(text)) return null;
  // "I sat down", "the sun", "we wed": lower-case abbreviations are words, not days.
  if (/^(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)$/.test(text)) return null;

  const inRange = Boolean(result.end);
  let start = anchorOf(text, result.start, ref, inRange);
  if (!start) return null;
  // chrono reads "the day before yesterday", but "day before yesterday" only as "yesterday".
  const dayBefore = /\b(?:the\s+)?day\s+before\s+$/i.exec(head.slice(Math.max(0, index - 20), index));
  if (dayBefore && tags.has('casualReference/yesterday')) {
    index -= dayBefore[0].length;
    start = { from: start.from - DAY, to: start.to - DAY, floating: null };
  }
  const last = result.end ? anchorOf(text, result.end, ref, inRange) : null;
  const end = result.index + text.length;
  return { spanStart: index, index, end, text: head.slice(index, end), from: 0, to: 0, start, last };
}

const CALENDAR_RELATIVE = /^(this|last|next)\s+(week|month|year)$/i;
const ROLLING_BACK = /^(?:past|last)\s+(.+)$/i;
const ROLLING_FORWARD = /^next\s+(?:\d+|a\s+few|few|couple|several|[a-z]+)\s+(?:of\s+)?\w+$/i;
const UNIT_YEAR = /\b(?:years?|yrs?)\b/i;
const UNIT_MONTH = /\b(?:months?|mos?)\b/i;
const UNIT_WEEK = /\b(?:weeks?|wks?)\b/i;

function anchorOf(text: string, c: Components, ref: number, inRange: boolean): Anchor | null {
  const year = c.get('year');
  const month = c.get('month');
  const day = c.get('day');
  if (year === null || month === null || day === null) return null;
  const fixed = (from: number, to: number): Anchor => ({ from, to, floating: null });
  const refDay = startOfDay(ref);
  const point = utc(year, month, day);

  // "this week" / "last month" / "next year": whole calendar units (weeks start on Monday).
  const calendar = CALENDAR_RELATIVE.exec(text);
  if (calendar) {
    const step = { this: 0, last: -1, next: 1 }[calendar[1]!.toLowerCase() as 'this' | 'last' | 'next'];
    const unit = calendar[2]!.toLowerCase();
    const refDate = new Date(ref);
    if (unit === 'week') {
      const monday = mondayOf(ref) + step * 7 * DAY;
      return fixed(monday, monday + 7 * DAY);
    }
    if (unit === 'month') return fixed(utc(refDate.getUTCFullYear(), refDate.getUTCMonth() + 1 + step, 1), utc(refDate.getUTCFullYear(), refDate.getUTCMonth() + 2 + step, 1));
    return fixed(utc(refDate.getUTCFullYear() + step, 1, 1), utc(refDate.getUTCFullYear() + step + 1, 1, 1));
  }

  const relative = c.tags().has('result/relativeDate');
  const subDay = c.tags().has('result/relativeDateAndTime');
  if (relative) {
    // "the past week", "last 3 days": from then until the end of today, not a calendar unit.
    if (ROLLING_BACK.test(text)) return fixed(subDay ? pointInTime(c) : point, refDay + DAY);
    if (ROLLING_FORWARD.test(text)) return fixed(refDay, subDay ? pointInTime(c) : point + DAY);
    // "2 years ago" -> that year, "a month ago" -> that month, "2 weeks ago" -> that week.
    if (UNIT_YEAR.test(text) && !c.isCertain('month')) return fixed(utc(year, 1, 1), utc(year + 1, 1, 1));
    if (UNIT_MONTH.test(text) && !c.isCertain('day')) return fixed(utc(year, month, 1), utc(year, month + 1, 1));
    if (UNIT_WEEK.test(text)) return fixed(mondayOf(point), mondayOf(point) + 7 * DAY);
    return fixed(point, point + DAY);
  }

  if (c.isCertain('weekday') && !c.isCertain('day')) return weekdayAnchor(text, c, ref, inRange);
  if (!c.isCertain('day')) {
    // "this morning" is today, but a bare "evening" or "at 5pm" names no day.
    const casualTime = c.tags().has('parser/ENCasualTimeParser');
    if (casualTime && /^this\b/i.test(text)) return fixed(point, point + DAY);
    if (!c.isCertain('month')) return c.isCertain('year') ? fixed(utc(year, 1, 1), utc(year + 1, 1, 1)) : null;
  }
  const dayPrecise = c.isCertain('day');
  if (c.isCertain('year') || !c.isCertain('month')) {
    // Certain year, or a day word chrono resolved itself ("yesterday", "tonight").
    return dayPrecise ? fixed(point, point + DAY) : fixed(utc(year, month, 1), utc(year, month + 1, 1));
  }
  return floatingAnchor({ month, day: dayPrecise ? day : null, modifier: null }, ref);
}

/**
 * A month or day without a year: the most recent one at or before the reference ("May" asked in
 * March 2024 is May 2023), since memories are about the past. "last May" is the latest May that has
 * ended, "next May" the first that has not started, "this May" the reference year's.
 */
function floatingAnchor(floating: NonNullable<Anchor['floating']>, ref: number, year?: number): Anchor {
  const at = (y: number) =>
    (floating.day === null ? [utc(y, floating.month, 1), utc(y, floating.month + 1, 1)] : [utc(y, floating.month, floating.day), utc(y, floating.month, floating.day + 1)]) as [number, number];
  let y = year ?? new Date(ref).getUTCFullYear();
  if (year === undefined) {
    const modifier = floating.modifier;
    if (modifier === 'next') {
      if (at(y)[0] <= ref) y++;
    } else if (modifier === 'last') {
      if (at(y)[1] > ref) y--;
    } else if (modifier !== 'this' && at(y)[0] > ref) {
      y--;
    }
  }
  const [from, to] = at(y);
  return { from, to, floating };
}

/**
 * "Tuesday" / "on Tuesday" is the most recent Tuesday (today included), "last Tuesday" the one before
 * today; "this"/"next", "Tuesday last week" and ranges ("Monday to Friday", which chrono orders) keep
 * chrono's reading. Weekends span Saturday and Sunday.
 */
function weekdayAnchor(text: string, c: Components, ref: number, inRange: boolean): Anchor {
  const refDay = startOfDay(ref);
  const refWeekday = new Date(refDay).getUTCDay();
  const back = /\b(?:last|past)\b/i.test(text);
  const forward = inRange || /\b(?:this|next)\b/i.test(text) || /\bweek\b/i.test(text);
  if (/\bweekend\b/i.test(text)) {
    const thisSaturday = mondayOf(ref) + 5 * DAY;
    const saturday = back ? thisSaturday - 7 * DAY : /\bnext\b/i.test(text) ? thisSaturday + 7 * DAY : /\bthis\b/i.test(text) ? thisSaturday : refDay - ((refWeekday + 1) % 7) * DAY;
    return { from: saturday, to: saturday + 2 * DAY, floating: null };
  }
  const weekday = c.get('weekday') ?? refWeekday;
  let day: number;
  if (forward) day = utc(c.get('year')!, c.get('month')!, c.get('day')!);
  else day = refDay - ((refWeekday - weekday + 7) % 7 || (back ? 7 : 0)) * DAY;
  return { from: day, to: day + DAY, floating: null };
}

/** chrono keeps "May" only after "in" (it is also a verb); after these words it is the month. */
const MAY = /\b(last|next|this|since|before|after|during|until|till|by|early|mid|late|through|throughout|and)\s+(may)\b(?!\s+(?:i|we|you|he|she|they|it|be|have|not|also|still)\b)/gi;

function findMays(head: string, ref: number): Found[] {
  const found: Found[] = [];
  for (const match of head.matchAll(MAY)) {
    const word = match[1]!.toLowerCase();
    // "Tom and May" is a name; "between March and May" is the month.
    if (word === 'and' && !/\bbetween\b[^.?!]*$/i.test(head.slice(0, match.index))) continue;
    const modifier = word === 'last' || word === 'next' || word === 'this' ? word : null;
    const index = match.index + (modifier ? 0 : match[0].length - 3);
    const end = match.index + match[0].length;
    const start = floatingAnchor({ month: 5, day: null, modifier }, ref);
    found.push({ spanStart: index, index, end, text: head.slice(index, end), from: 0, to: 0, start, last: null });
  }
  return found;
}

/** "between March and June 2023": chrono reads two dates; the second lends the first its year. */
function mergeBetween(head: string, found: Found[]): Found[] {
  const merged: Found[] = [];
  for (let i = 0; i < found.length; i++) {
    const item = found[i]!;
    const next = found[i + 1];
    if (next && !item.last && !next.last && /^\s*and\s*$/i.test(head.slice(item.end, next.index)) && /\bbetween\s+(?:the\s+)?$/i.test(head.slice(0, item.index))) {
      merged.push({ ...item, end: next.end, text: head.slice(item.index, next.end), last: next.start });
      i++;
    } else {
      merged.push(item);
    }
  }
  return merged;
}

/** The word before a window: removed with it, and "before/after/since/until" open it on one side. */
const PREPOSITION = /(?:\b(before|after|since|until|till|by|prior\s+to|up\s+to|between|in|on|at|during|over|throughout|around|from|of|for|within|through)\s+)?(?:the\s+)?$/i;

function withPrepositions(head: string, found: Found[], ref: number): Found[] {
  return found.map((item) => {
    const { from, to } = rangeOf(item.start, item.last, ref);
    const before = PREPOSITION.exec(head.slice(Math.max(0, item.spanStart - 40), item.spanStart))!;
    const word = (before[1] ?? '').toLowerCase().replace(/\s+/g, ' ');
    const spanStart = item.spanStart - before[0].length;
    const keepWord = ['before', 'after', 'since', 'until', 'till', 'by', 'prior to', 'up to', 'between'].includes(word);
    const index = keepWord ? spanStart : item.index;
    const text = head.slice(index, item.end);
    if (word === 'before' || word === 'prior to') return { ...item, spanStart, index, text, from: OPEN_FROM, to: from };
    if (word === 'after') return { ...item, spanStart, index, text, from: to, to: OPEN_TO };
    if (word === 'since') return { ...item, spanStart, index, text, from, to: OPEN_TO };
    if (word === 'until' || word === 'till' || word === 'by' || word === 'up to') return { ...item, spanStart, index, text, from: OPEN_FROM, to };
    return { ...item, spanStart, index, text, from, to };
  });
}

/** The window of one date, or of a range whose ends may lend each other a year. */
function rangeOf(start: Anchor, last: Anchor | null, ref: number): { from: number; to: number } {
  if (!last) return start;
  let a = start;
  let b = last;
  if (a.floating && !b.floating) {
    a = floatingAnchor(a.floating, ref, new Date(b.from).getUTCFullYear());
    if (a.from > b.from) a = floatingAnchor(a.floating!, ref, new Date(b.from).getUTCFullYear() - 1);
  } else if (b.floating) {
    b = floatingAnchor(b.floating, ref, new Date(a.from).getUTCFullYear());
    if (b.from < a.from) b = floatingAnchor(b.floating!, ref, new Date(a.from).getUTCFullYear() + 1);
  }
  return { from: Math.min(a.from, b.from), to: Math.max(a.to, b.to) };
}

// ---------------------------------------------------------------------------------------------------
// Text and dates

function removeSpans(text: string, spans: readonly Span[]): string {
  if (spans.length === 0) return text;
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (const [start, end] of sorted) {
    if (start > at) out += `${text.slice(at, start)} `;
    at = Math.max(at, end);
  }
  return `${out} ${text.slice(at)}`;
}

/** Collapses the gaps left behind ("what did I eat  ?" -> "what did I eat?"); nothing but punctuation -> "". */
function clean(text: string): string {
  const tidy = text
    .replace(/\s+/g, ' ')
    .replace(/\s+([?.!,;:])/g, '$1')
    .replace(/^[\s,;:]+|[\s,;:]+$/g, '');
  return /[\p{L}\p{N}]/u.test(tidy) ? tidy : '';
}

/** The instant of a relative date-and-time ("3 hours ago"), read from components in UTC. */
function pointInTime(c: Components): number {
  return utc(c.get('year')!, c.get('month')!, c.get('day')!) + (c.get('hour') ?? 0) * 3_600_000 + (c.get('minute') ?? 0) * 60_000;
}

import { utc } from '@neuromem/core';
import type { Anchor, Found } from './time-spans';

/**
 * Bare years, which chrono does not read: "in 2019", "since 2020", "the year 1998", "early 2020",
 * "2019-2021", "between 2019 and 2021". A four-digit number needs a time preposition or qualifier
 * before it and no unit after it, so "2000 steps" and "I have 1500 followers" stay numbers.
 */
const NOT_A_QUANTITY = String.raw`(?![\w%$€£]|[.,]\d|\s*(?:percent|people|persons|steps|dollars|bucks|euros|pounds|lbs|kg|kilos|grams|miles|km|kilometers|kilometres|meters|metres|feet|ft|calories|kcal|words|pages|times|points|followers|views|subscribers|users|items|pieces|units|hours|hrs|minutes|mins|seconds|secs|days|weeks|months|years|yrs)\b)`;
const YEAR_RANGE = new RegExp(String.raw`\b(?:(between|from|in|during|since|over)\s+)?(?:the\s+years?\s+)?([12]\d{3})\s*(-|–|—|to|through|thru|until|till|and)\s*([12]\d{3})` + NOT_A_QUANTITY, 'gi');
const YEAR_SINGLE = new RegExp(
  String.raw`\b(?:(in|during|since|before|after|until|till|by|from|of|around|circa|throughout|through|over|for|prior\s+to)\s+)?(?:(early|mid|late|the\s+year|year)[\s-]+)?([12]\d{3})` + NOT_A_QUANTITY,
  'gi',
);
/** "early 2020" -> January to April, "mid" May to August, "late" September to December. */
const THIRDS: Readonly<Record<string, readonly [number, number]>> = { early: [1, 5], mid: [5, 9], late: [9, 13] };

export function findYears(head: string): Found[] {
  const found: Found[] = [];
  for (const match of head.matchAll(YEAR_RANGE)) {
    const [whole, prefix, first, connector, second] = match;
    // "2019 and 2021" lists two years; only "between 2019 and 2021" spans them.
    if (connector!.toLowerCase() === 'and' && prefix?.toLowerCase() !== 'between') continue;
    const index = match.index + (prefix && prefix.toLowerCase() !== 'between' ? whole.length - whole.slice(prefix.length).trimStart().length : 0);
    const a = Number(first);
    const b = Number(second);
    const start = yearAnchor(Math.min(a, b));
    const last = yearAnchor(Math.max(a, b));
    found.push({ spanStart: index, index, end: match.index + whole.length, text: head.slice(index, match.index + whole.length), from: 0, to: 0, start, last });
  }
  for (const match of head.matchAll(YEAR_SINGLE)) {
    const [whole, prefix, qualifier, digits] = match;
    if (!prefix && !qualifier) continue;
    if (found.some((other) => match.index < other.end && other.index < match.index + whole.length)) continue;
    const index = match.index + (prefix ? whole.length - whole.slice(prefix.length).trimStart().length : 0);
    const year = Number(digits);
    const third = qualifier ? THIRDS[qualifier.toLowerCase()] : undefined;
    const start: Anchor = third ? { from: utc(year, third[0], 1), to: utc(year, third[1], 1), floating: null } : yearAnchor(year);
    found.push({ spanStart: index, index, end: match.index + whole.length, text: head.slice(index, match.index + whole.length), from: 0, to: 0, start, last: null });
  }
  return found;
}

const yearAnchor = (year: number): Anchor => ({ from: utc(year, 1, 1), to: utc(year + 1, 1, 1), floating: null });

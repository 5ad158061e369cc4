/**
 * Whether chrono could find a date or time in the text at all. chrono runs some thirty regular
 * expressions and refines every match (about 1 ms a question on a slow core); each of its English
 * parsers needs a digit or one of the words below, so a text with none of them is not handed to it.
 * The list mirrors chrono-node's English dictionaries (months, weekdays, casual day and time words,
 * time units); abbreviated units ("3 h", "a d") count only after a number word, as chrono reads them.
 * Erring on the side of "maybe" only costs time: a false "no" would lose a window.
 */
export function mayNameTime(text: string): boolean {
  return TIME_CUE.test(text);
}

const MONTHS = 'january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec';
const WEEKDAYS = 'sunday|monday|tuesday|wednesday|thursday|friday|saturday|sun|mon|tues?|wed|thu|thurs?|fri|sat|weekend|weekday';
const CASUAL = 'now|today|tonight|tomorrow|overmorrow|tmrw?|yesterday|night|morning|afternoon|evening|midnight|midday|noon';
const UNITS = 'seconds?|minutes?|hours?|days?|weeks?|months?|quarters?|years?';
const NUMBER_WORDS = 'an?|the|few|several|couple|of|half|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve';
const UNIT_ABBREVIATIONS = 's|sec|m|mins?|h|hrs?|d|w|mos?|qtr|y|yr';

const TIME_CUE = new RegExp(`\\d|\\b(?:${MONTHS}|${WEEKDAYS}|${CASUAL}|${UNITS})\\b|\\b(?:${NUMBER_WORDS})\\s{0,3}(?:${UNIT_ABBREVIATIONS})\\b`, 'i');

import { casual } from 'chrono-node/en';
import { parseTimeExpressions } from './time-parser';

const reference = new Date(Date.UTC(2023, 4, 8, 12));

/** What a caller reads of a result: where, which words, which dates, how chrono got there. */
const readings = (results: ReturnType<typeof casual.parse>) =>
  results.map((result) => ({
    index: result.index,
    text: result.text,
    start: result.start.date().toISOString(),
    end: result.end?.date().toISOString() ?? null,
    tags: [...result.start.tags()].sort(),
  }));

describe('parseTimeExpressions', () => {
  it.each([
    'Two days ago I met Sam at the station',
    'THREE WEEKS AGO we moved; 3 Months Later we sold the flat',
    'Within A Few Days the parcel came, Several Days From Now it goes back',
    'a Couple of Years Before the wedding, half an hour ago, an hour later',
    'What did Caroline do in May 2023, and on Sat with Tom?',
    'We met on the 5th of March and again last Tuesday at 5pm',
    'She left 2 yrs earlier than planned; come back in 10 minutes',
    'Ünïcode café: about 2 weeks ago, ÉTÉ 2019',
    'no time words here at all',
  ])('should read %j exactly as chrono casual does', (text) => {
    expect(readings(parseTimeExpressions(text, reference))).toEqual(readings(casual.parse(text, reference, { forwardDate: false })));
  });

  it('should report the words as written, capitals included', () => {
    const [result] = parseTimeExpressions('We Met Two Days Ago', reference);
    expect(result?.text).toBe('Two Days Ago');
    expect(result?.start.date().toISOString()).toBe('2023-05-06T12:00:00.000Z');
  });

  it('should leave chrono casual itself untouched', () => {
    parseTimeExpressions('three weeks ago', reference);
    expect(casual.parsers.every((parser) => parser.constructor.name !== 'Object')).toBe(true);
  });
});

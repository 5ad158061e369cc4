import { isNeuroMemError } from '@neuromem/core';
import { MAX_TIME_CHARS, OPEN_FROM, OPEN_TO, parseQueryTime, type QueryTime } from './query-time';

/** Thursday 14 March 2024, 23:30 UTC: half an hour before midnight, where a timezone slip shows. */
const REF = Date.UTC(2024, 2, 14, 23, 30);
/** Friday 15 March 2024, 00:30 UTC: just after midnight. */
const JUST_AFTER_MIDNIGHT = Date.UTC(2024, 2, 15, 0, 30);

const day = (year: number, month: number, date: number) => Date.UTC(year, month - 1, date);
const spans = (query: string, ref = REF) => parseQueryTime(query, ref).windows.map(({ from, to }) => [from, to]);
/** A year before 100, which Date.UTC would read as 19xx. */
const ancient = (year: number, month: number, date: number) => {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, date);
  return d.getTime();
};

describe('parseQueryTime', () => {
  describe('windows', () => {
    it('should read an absolute day, month and year as exactly that span', () => {
      expect(spans('what did I do on May 5, 2023?')).toEqual([[day(2023, 5, 5), day(2023, 5, 6)]]);
      expect(spans('the meeting on 2023-05-06')).toEqual([[day(2023, 5, 6), day(2023, 5, 7)]]);
      expect(spans('what did I cook in May 2023')).toEqual([[day(2023, 5, 1), day(2023, 6, 1)]]);
      expect(spans('where did I live in 2019')).toEqual([[day(2019, 1, 1), day(2020, 1, 1)]]);
      expect(spans('what happened in the year 1998')).toEqual([[day(1998, 1, 1), day(1999, 1, 1)]]);
    });

    it('should place a month or day without a year at its latest occurrence at or before the reference', () => {
      expect(spans('what did I do in May')).toEqual([[day(2023, 5, 1), day(2023, 6, 1)]]);
      expect(spans('what did I do in May', Date.UTC(2024, 4, 10))).toEqual([[day(2024, 5, 1), day(2024, 6, 1)]]);
      expect(spans('what did I do in May', Date.UTC(2024, 5, 1))).toEqual([[day(2024, 5, 1), day(2024, 6, 1)]]);
      expect(spans('on March 5th')).toEqual([[day(2024, 3, 5), day(2024, 3, 6)]]);
      expect(spans('on March 20th')).toEqual([[day(2023, 3, 20), day(2023, 3, 21)]]);
      expect(spans('what did I do last May')).toEqual([[day(2023, 5, 1), day(2023, 6, 1)]]);
      expect(spans('since May')).toEqual([[day(2023, 5, 1), OPEN_TO]]);
    });

    it('should resolve day words against the reference in UTC just before midnight', () => {
      expect(spans('what did I eat yesterday')).toEqual([[day(2024, 3, 13), day(2024, 3, 14)]]);
      expect(spans('today')).toEqual([[day(2024, 3, 14), day(2024, 3, 15)]]);
      expect(spans('tonight')).toEqual([[day(2024, 3, 14), day(2024, 3, 15)]]);
      expect(spans('this morning')).toEqual([[day(2024, 3, 14), day(2024, 3, 15)]]);
      expect(spans('last night')).toEqual([[day(2024, 3, 13), day(2024, 3, 14)]]);
      expect(spans('tomorrow')).toEqual([[day(2024, 3, 15), day(2024, 3, 16)]]);
      expect(spans('3 days ago')).toEqual([[day(2024, 3, 11), day(2024, 3, 12)]]);
      expect(spans('the day before yesterday')).toEqual([[day(2024, 3, 12), day(2024, 3, 13)]]);
      expect(spans('day before yesterday')).toEqual([[day(2024, 3, 12), day(2024, 3, 13)]]);
      expect(spans('10 minutes ago')).toEqual([[day(2024, 3, 14), day(2024, 3, 15)]]);
    });

    it('should resolve day words against the reference in UTC just after midnight', () => {
      expect(spans('what did I eat yesterday', JUST_AFTER_MIDNIGHT)).toEqual([[day(2024, 3, 14), day(2024, 3, 15)]]);
      expect(spans('today', JUST_AFTER_MIDNIGHT)).toEqual([[day(2024, 3, 15), day(2024, 3, 16)]]);
      expect(spans('3 days ago', JUST_AFTER_MIDNIGHT)).toEqual([[day(2024, 3, 12), day(2024, 3, 13)]]);
      expect(spans('last week', JUST_AFTER_MIDNIGHT)).toEqual([[day(2024, 3, 4), day(2024, 3, 11)]]);
      expect(spans('this month', Date.UTC(2024, 2, 31, 23, 59))).toEqual([[day(2024, 3, 1), day(2024, 4, 1)]]);
      expect(spans('this year', Date.UTC(2023, 11, 31, 23, 59))).toEqual([[day(2023, 1, 1), day(2024, 1, 1)]]);
      // 1 January 00:30: "last year" is the year that just ended.
      expect(spans('last year', Date.UTC(2024, 0, 1, 0, 30))).toEqual([[day(2023, 1, 1), day(2024, 1, 1)]]);
    });

    it('should read weeks as Monday-start calendar weeks and "the past week" as the last days', () => {
      expect(spans('what did I eat last week')).toEqual([[day(2024, 3, 4), day(2024, 3, 11)]]);
      expect(spans('this week')).toEqual([[day(2024, 3, 11), day(2024, 3, 18)]]);
      expect(spans('next week')).toEqual([[day(2024, 3, 18), day(2024, 3, 25)]]);
      expect(spans('2 weeks ago')).toEqual([[day(2024, 2, 26), day(2024, 3, 4)]]);
      // On a Monday, last week is still the previous Monday to Sunday.
      expect(spans('last week', Date.UTC(2024, 2, 11, 8))).toEqual([[day(2024, 3, 4), day(2024, 3, 11)]]);
      expect(spans('in the past week')).toEqual([[day(2024, 3, 7), day(2024, 3, 15)]]);
      expect(spans('over the last 3 days')).toEqual([[day(2024, 3, 11), day(2024, 3, 15)]]);
    });

    it('should read relative months and years as whole calendar months and years', () => {
      expect(spans('last month')).toEqual([[day(2024, 2, 1), day(2024, 3, 1)]]);
      expect(spans('this month')).toEqual([[day(2024, 3, 1), day(2024, 4, 1)]]);
      expect(spans('a month ago')).toEqual([[day(2024, 2, 1), day(2024, 3, 1)]]);
      expect(spans('last month', Date.UTC(2024, 0, 10))).toEqual([[day(2023, 12, 1), day(2024, 1, 1)]]);
      expect(spans('last year')).toEqual([[day(2023, 1, 1), day(2024, 1, 1)]]);
      expect(spans('2 years ago')).toEqual([[day(2022, 1, 1), day(2023, 1, 1)]]);
      expect(spans('two years ago')).toEqual([[day(2022, 1, 1), day(2023, 1, 1)]]);
      expect(spans('early 2020')).toEqual([[day(2020, 1, 1), day(2020, 5, 1)]]);
    });

    it('should read a weekday as its latest occurrence and a weekend as Saturday and Sunday', () => {
      // REF is a Thursday.
      expect(spans('on Tuesday')).toEqual([[day(2024, 3, 12), day(2024, 3, 13)]]);
      expect(spans('on Thursday')).toEqual([[day(2024, 3, 14), day(2024, 3, 15)]]);
      expect(spans('last Thursday')).toEqual([[day(2024, 3, 7), day(2024, 3, 8)]]);
      expect(spans('on Friday')).toEqual([[day(2024, 3, 8), day(2024, 3, 9)]]);
      expect(spans('next Friday')).toEqual([[day(2024, 3, 22), day(2024, 3, 23)]]);
      expect(spans('last weekend')).toEqual([[day(2024, 3, 9), day(2024, 3, 11)]]);
      expect(spans('on the weekend')).toEqual([[day(2024, 3, 9), day(2024, 3, 11)]]);
    });

    it('should read ranges, lending the year of one end to the other', () => {
      expect(parseQueryTime('which books did I read between March and June 2023?', REF).windows).toEqual([{ from: day(2023, 3, 1), to: day(2023, 7, 1), text: 'between March and June 2023' }]);
      expect(spans('from March to June 2023')).toEqual([[day(2023, 3, 1), day(2023, 7, 1)]]);
      expect(spans('between November 2022 and February')).toEqual([[day(2022, 11, 1), day(2023, 3, 1)]]);
      expect(spans('between March and May 2023')).toEqual([[day(2023, 3, 1), day(2023, 6, 1)]]);
      expect(spans('between 2019 and 2021')).toEqual([[day(2019, 1, 1), day(2022, 1, 1)]]);
      expect(spans('from 2019 to 2021')).toEqual([[day(2019, 1, 1), day(2022, 1, 1)]]);
      expect(spans('during 2019-2021')).toEqual([[day(2019, 1, 1), day(2022, 1, 1)]]);
      expect(spans('March 5th to March 9th')).toEqual([[day(2024, 3, 5), day(2024, 3, 10)]]);
    });

    it('should list every window the query names', () => {
      expect(parseQueryTime('did I travel in May 2023 or in 2019?', REF).windows.map((w) => w.text)).toEqual(['May 2023', '2019']);
    });

    it('should open the window on one side for before, after, since and until a date', () => {
      expect(parseQueryTime('what did I do before May 2023', REF).windows).toEqual([{ from: OPEN_FROM, to: day(2023, 5, 1), text: 'before May 2023' }]);
      expect(spans('after May 2023')).toEqual([[day(2023, 6, 1), OPEN_TO]]);
      expect(spans('since May 2023')).toEqual([[day(2023, 5, 1), OPEN_TO]]);
      expect(spans('until May 2023')).toEqual([[OPEN_FROM, day(2023, 6, 1)]]);
      expect(spans('before 2020')).toEqual([[OPEN_FROM, day(2020, 1, 1)]]);
      expect(spans('after yesterday')).toEqual([[day(2024, 3, 14), OPEN_TO]]);
      expect(parseQueryTime('what did I do before May 2023', REF).relation).toBeNull();
    });

    it('should not make windows of numbers, durations, times of day or look-alike words', () => {
      for (const query of [
        'I have 3 dogs',
        '10 minutes',
        'I ran for 10 minutes',
        'I finished in 3 days',
        'I walked 2000 steps in 2000 seconds',
        'I have 1500 followers',
        'call me at 3pm',
        'I sat on the sofa',
        'the sun was hot',
        'what do I do in the evening',
        'may I ask something',
        'Tom and May went out',
        'what did I read recently',
        '2019',
      ]) {
        expect({ query, windows: parseQueryTime(query, REF).windows }).toEqual({ query, windows: [] });
      }
    });

    it('should not read seasons, which chrono-node 2.10.3 does not support', () => {
      expect(parseQueryTime('what did I do last summer', REF).windows).toEqual([]);
      // The year of "the summer of 2019" still counts.
      expect(spans('what did I buy in the summer of 2019')).toEqual([[day(2019, 1, 1), day(2020, 1, 1)]]);
    });
  });

  describe('asksWhen', () => {
    it('should recognise every form of a question asking for a time', () => {
      const asking = [
        'When did I move to Berlin?',
        'when was my last dentist appointment',
        'When is the concert?',
        "when's my flight",
        'What date is the wedding?',
        'what day did we meet',
        'What month did I start the course?',
        'what year did I graduate',
        'What time does the gym open?',
        'How long ago did I adopt my dog?',
        'how many years ago did we meet',
        'Since when have I been vegan?',
        'How long has she lived in Paris?',
        'in which year did I buy the car',
      ];
      for (const query of asking) expect({ query, asksWhen: parseQueryTime(query, REF).asksWhen }).toEqual({ query, asksWhen: true });
    });

    it('should not take other questions for when-questions', () => {
      const other = ['what did I eat last week', 'When I was in Paris, what did I eat?', 'how long did the drive take', 'what is my favourite day trip', 'where do I work'];
      for (const query of other) expect({ query, asksWhen: parseQueryTime(query, REF).asksWhen }).toEqual({ query, asksWhen: false });
    });
  });

  describe('previous', () => {
    it('should read questions about a value that has since changed', () => {
      const asking = [
        'Where did Sam use to live?',
        'What was her previous job?',
        'Which team did he support formerly?',
        "What was Priya's old car?",
        'Where did she work before?',
        'What did Tom drive in the past?',
        'Who was his ex-girlfriend?',
      ];
      for (const query of asking) expect({ query, previous: parseQueryTime(query, REF).previous }).toEqual({ query, previous: true });
    });

    it('should not take the current value, or "before <event>", for a past one', () => {
      const other = ['Where does Sam live now?', 'What car does Priya drive?', 'What did she do before the wedding?', 'How old is her dog?', 'what is my job'];
      for (const query of other) expect({ query, previous: parseQueryTime(query, REF).previous }).toEqual({ query, previous: false });
    });

    it('should read "use to" as a past habit only after "did", not as a tool used for something', () => {
      expect(parseQueryTime("Didn't Sam use to live in Leeds?", REF).previous).toBe(true);
      const tools = ['What does Joanna use to remember her dog?', 'What do I use to clean the oven?', 'Which app should I use to book?'];
      for (const query of tools) expect({ query, previous: parseQueryTime(query, REF).previous }).toEqual({ query, previous: false });
      expect(parseQueryTime('What does Joanna use to remember her dog?', REF).text).toMatch(/use to remember/);
    });

    it('should drop the time word from the searched text but keep whose it is', () => {
      expect(parseQueryTime("What was Priya's old car?", REF).text).not.toMatch(/\bold\b/);
      expect(parseQueryTime('What was her old job?', REF).text).toMatch(/\bher\b.*\bjob\b/);
      expect(parseQueryTime('Where did Sam use to live?', REF).text).not.toMatch(/use to/);
    });
  });

  describe('order', () => {
    it('should prefer the earliest for first-time words', () => {
      for (const query of [
        'when was the first time I went skiing',
        'where did I originally live',
        'what is my earliest memory of school',
        'what did I initially think of the job',
        'at first, what did I order',
      ]) {
        expect({ query, order: parseQueryTime(query, REF).order }).toEqual({ query, order: 'earliest' });
      }
    });

    it('should prefer the latest for last-time and present words', () => {
      const latest = [
        'the last time I saw my sister',
        "what's the latest on the project",
        'what did I read most recently',
        'the most recent trip',
        'what did I watch recently',
        'where do I work now',
        'where do I currently live',
        'do I still play guitar',
        "I don't drink coffee anymore",
        'what car do I drive these days',
      ];
      for (const query of latest) expect({ query, order: parseQueryTime(query, REF).order }).toEqual({ query, order: 'latest' });
    });

    it('should have no preference without such words or with both kinds', () => {
      expect(parseQueryTime('what did I eat last week', REF).order).toBeNull();
      expect(parseQueryTime('the first time I went there, and do I still go?', REF).order).toBeNull();
    });

    it('should read "recently" and "now" as an order, not a window', () => {
      expect(parseQueryTime('what did I watch recently', REF)).toMatchObject({ windows: [], order: 'latest' });
      expect(parseQueryTime('where do I work right now', REF)).toMatchObject({ windows: [], order: 'latest', text: 'where do I work' });
    });
  });

  describe('relation', () => {
    it('should give the anchor event of before/after when it is not a date', () => {
      expect(parseQueryTime('what did she do after the trip to Paris?', REF)).toMatchObject({ windows: [], relation: { type: 'after', anchor: 'the trip to Paris' }, text: 'what did she do?' });
      expect(parseQueryTime('What did I eat before the marathon, and was it pasta?', REF).relation).toEqual({ type: 'before', anchor: 'the marathon' });
    });

    it('should keep a date after the anchor as a window of its own', () => {
      expect(parseQueryTime('what did I eat after the marathon last year', REF)).toMatchObject({
        windows: [{ from: day(2023, 1, 1), to: day(2024, 1, 1), text: 'last year' }],
        relation: { type: 'after', anchor: 'the marathon' },
        text: 'what did I eat',
      });
    });

    it('should find no relation where before/after does not point at an event', () => {
      for (const query of [
        'what did I do after that',
        'have we talked about this before?',
        'who will look after the dog',
        'the cat is named after my aunt',
        'after all, what did I choose',
        'the day after tomorrow',
      ]) {
        expect({ query, relation: parseQueryTime(query, REF).relation }).toEqual({ query, relation: null });
      }
    });
  });

  describe('text', () => {
    it('should remove the time words and keep the rest', () => {
      const cases: Array<[string, string]> = [
        ['what did I eat last week?', 'what did I eat?'],
        ['What did I cook in May 2023', 'What did I cook'],
        ['When did I move to Berlin?', 'did I move to Berlin?'],
        ['what year did I graduate', 'did I graduate'],
        ['when was the first time I went skiing', 'was I went skiing'],
        ['what did I do between March and June 2023?', 'what did I do?'],
        ['what did I do before May 2023?', 'what did I do?'],
        ['where did I live in 2019', 'where did I live'],
        ['what did I eat yesterday and today', 'what did I eat and'],
        ['my sister adopted a beagle', 'my sister adopted a beagle'],
      ];
      for (const [query, text] of cases) expect({ query, text: parseQueryTime(query, REF).text }).toEqual({ query, text });
    });

    it('should leave nothing when the query is only time words', () => {
      expect(parseQueryTime('yesterday?', REF).text).toBe('');
      expect(parseQueryTime('in May 2023', REF).text).toBe('');
    });
  });

  describe('references far from today', () => {
    it('should give sane windows around the year 1000', () => {
      const ref = Date.UTC(1000, 5, 15, 23, 59);
      expect(spans('yesterday', ref)).toEqual([[day(1000, 6, 14), day(1000, 6, 15)]]);
      expect(spans('last year', ref)).toEqual([[day(999, 1, 1), day(1000, 1, 1)]]);
      expect(spans('in May', ref)).toEqual([[day(1000, 5, 1), day(1000, 6, 1)]]);
      expect(spans('last week', ref)).toEqual([[day(1000, 6, 2), day(1000, 6, 9)]]);
      expect(spans('in 2019', ref)).toEqual([[day(2019, 1, 1), day(2020, 1, 1)]]);
    });

    it('should give sane windows around the year 9000', () => {
      const ref = Date.UTC(9000, 0, 1, 0, 10);
      expect(spans('yesterday', ref)).toEqual([[day(8999, 12, 31), day(9000, 1, 1)]]);
      expect(spans('last month', ref)).toEqual([[day(8999, 12, 1), day(9000, 1, 1)]]);
      expect(spans('in May', ref)).toEqual([[day(8999, 5, 1), day(8999, 6, 1)]]);
      expect(spans('2 years ago', ref)).toEqual([[day(8998, 1, 1), day(8999, 1, 1)]]);
    });

    it('should keep years below 100 out of the 1900s', () => {
      const ref = ancient(50, 3, 1);
      expect(spans('last year', ref)).toEqual([[ancient(49, 1, 1), ancient(50, 1, 1)]]);
      expect(spans('yesterday', ref)).toEqual([[ancient(50, 2, 28), ancient(50, 3, 1)]]);
    });

    it('should drop windows that fall outside the range of a Date', () => {
      const result = parseQueryTime('yesterday, last year and in May', OPEN_FROM);
      for (const window of result.windows) expect(window.from).toBeGreaterThanOrEqual(OPEN_FROM);
      expect(spans('yesterday', OPEN_FROM)).toEqual([]);
      expect(spans('tomorrow', OPEN_TO - 1)).toEqual([]);
    });
  });

  describe('bad and odd input', () => {
    it('should reject a reference time that is not a finite epoch', () => {
      for (const ref of [NaN, Infinity, -Infinity, 1e16, '2024-01-01' as unknown as number]) {
        let error: unknown;
        try {
          parseQueryTime('yesterday', ref);
        } catch (caught) {
          error = caught;
        }
        expect(isNeuroMemError(error, 'INVALID_INPUT')).toBe(true);
      }
    });

    it('should give nothing, and not throw, for empty, blank, stop-word and punctuation queries', () => {
      const nothing: QueryTime = { windows: [], asksWhen: false, order: null, previous: false, tense: null, relation: null, text: '' };
      expect(parseQueryTime('', REF)).toEqual(nothing);
      expect(parseQueryTime('   \n\t ', REF)).toEqual(nothing);
      expect(parseQueryTime('?!', REF)).toEqual(nothing);
      expect(parseQueryTime('the of and to a', REF)).toEqual({ ...nothing, text: 'the of and to a' });
    });

    it('should find no windows in Japanese, Cyrillic or Arabic text and keep it as the search text', () => {
      for (const query of ['先週何を食べましたか', 'что я ел на прошлой неделе в мае 2023', 'ماذا أكلت الأسبوع الماضي']) {
        expect(parseQueryTime(query, REF)).toEqual({ windows: [], asksWhen: false, order: null, previous: false, tense: null, relation: null, text: query });
      }
    });

    it('should read only the start of a 50 KB query, quickly, and keep the rest of its text', () => {
      const filler = 'and then we talked about the garden for a while '.repeat(1100);
      const query = `what did I eat last week ${filler} in May 2023 and yesterday`;
      expect(query.length).toBeGreaterThan(50_000);
      const started = performance.now();
      const result = parseQueryTime(query, REF);
      expect(performance.now() - started).toBeLessThan(100);
      // The dates past the first MAX_TIME_CHARS characters are not read.
      expect(result.windows).toEqual([{ from: day(2024, 3, 4), to: day(2024, 3, 11), text: 'last week' }]);
      expect(result.text.startsWith('what did I eat and then')).toBe(true);
      expect(result.text.endsWith('in May 2023 and yesterday')).toBe(true);
      expect(MAX_TIME_CHARS).toBe(2_000);
    });

    it('should give finite, ordered windows for many queries and references', () => {
      const queries = ['yesterday', 'last week', 'in May', 'between March and June', 'on Tuesday', 'last weekend', 'the past 3 days', '2 years ago', 'before May 2023', 'since 2020', 'March 31st'];
      const refs = [REF, JUST_AFTER_MIDNIGHT, Date.UTC(2024, 1, 29, 12), Date.UTC(2023, 11, 31, 23, 59, 59, 999), Date.UTC(1000, 0, 1), Date.UTC(9000, 11, 31, 23, 59)];
      for (const ref of refs) {
        for (const query of queries) {
          const { windows } = parseQueryTime(query, ref);
          expect(windows.length).toBe(1);
          for (const w of windows) expect(Number.isFinite(w.from) && Number.isFinite(w.to) && w.from < w.to).toBe(true);
        }
      }
    });
  });
});

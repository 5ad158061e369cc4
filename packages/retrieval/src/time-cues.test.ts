import { casual } from 'chrono-node/en';
import { mayNameTime } from './time-cues';

const reference = new Date(Date.UTC(2024, 4, 15));

describe('mayNameTime', () => {
  // Each phrase is one chrono reads (checked below), so the cue list cannot drift from chrono's.
  const dated = [
    'what did I do yesterday',
    'plans for tonight',
    'the day after tomorrow',
    'last night at the party',
    'this morning',
    'at noon',
    'around midnight',
    'on Tuesday',
    'this weekend',
    'in March',
    'Sept. 3rd',
    'since mid-June 2021',
    'three weeks ago',
    'a few days ago',
    'half an hour later',
    'a couple of years ago',
    'within 5 d',
    'next month',
    'past week',
    'last quarter',
    'end of the month',
    '2023-05-01',
    '5/12',
    'at 7pm',
  ];

  it.each(dated)('should flag %j, which chrono reads as a time', (text) => {
    expect(casual.parse(text, reference, { forwardDate: false }).length).toBeGreaterThan(0);
    expect(mayNameTime(text)).toBe(true);
  });

  it('should not flag text with no digit and none of the date, time or unit words', () => {
    for (const text of ['What is my job?', 'Which shift is Carmen working?', 'Where does she live', 'I adopted a beagle named Biscuit', '']) {
      expect(mayNameTime(text)).toBe(false);
      expect(casual.parse(text, reference, { forwardDate: false })).toEqual([]);
    }
  });
});

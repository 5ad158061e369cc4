import { OPEN_FROM, OPEN_TO, parseQueryTime, type QueryTime, type TimeWindow } from './query-time';
import { mentionsTime, orderFit, temporalFit } from './temporal-fit';

const DAY = 86_400_000;
const day = (year: number, month: number, date: number) => Date.UTC(year, month - 1, date);
const query = (...windows: Array<Omit<TimeWindow, 'text'>>): QueryTime => ({
  windows: windows.map((w) => ({ ...w, text: '' })),
  asksWhen: false,
  previous: false,
  tense: null,
  order: null,
  relation: null,
  text: '',
});

const yesterday = query({ from: day(2024, 3, 13), to: day(2024, 3, 14) });
const may2023 = query({ from: day(2023, 5, 1), to: day(2023, 6, 1) });

describe('temporalFit', () => {
  it('should be 1 for a memory inside a window, at its inclusive start and at its exclusive end', () => {
    expect(temporalFit({ eventTime: day(2024, 3, 13) + 12 * 3_600_000 }, yesterday)).toBe(1);
    expect(temporalFit({ eventTime: day(2024, 3, 13) }, yesterday)).toBe(1);
    expect(temporalFit({ eventTime: day(2024, 3, 14) }, yesterday)).toBe(1);
  });

  it('should decay smoothly with the distance outside the window', () => {
    const fits = [1, 2, 5, 30].map((days) => temporalFit({ eventTime: day(2024, 3, 14) + days * DAY }, yesterday));
    expect(fits[0]).toBeCloseTo(Math.exp(-1), 6);
    for (let i = 1; i < fits.length; i++) expect(fits[i]!).toBeLessThan(fits[i - 1]!);
    expect(fits[3]!).toBeLessThan(1e-6);
    // Before the window decays the same way as after it.
    expect(temporalFit({ eventTime: day(2024, 3, 12) }, yesterday)).toBeCloseTo(Math.exp(-1), 6);
  });

  it('should forgive the same distance more around a longer window', () => {
    const twoDaysAfterDay = temporalFit({ eventTime: day(2024, 3, 14) + 2 * DAY }, yesterday);
    const twoDaysAfterMonth = temporalFit({ eventTime: day(2023, 6, 1) + 2 * DAY }, may2023);
    expect(twoDaysAfterMonth).toBeGreaterThan(0.7);
    expect(twoDaysAfterMonth).toBeGreaterThan(twoDaysAfterDay);
  });

  it('should still tell near from far around an open window', () => {
    const beforeMay = query({ from: OPEN_FROM, to: day(2023, 5, 1) });
    expect(temporalFit({ eventTime: day(2020, 1, 1) }, beforeMay)).toBe(1);
    const dayLate = temporalFit({ eventTime: day(2023, 5, 2) }, beforeMay);
    const yearLate = temporalFit({ eventTime: day(2024, 5, 1) }, beforeMay);
    expect(dayLate).toBeGreaterThan(0.95);
    expect(yearLate).toBeLessThan(0.05);
    expect(temporalFit({ eventTime: day(1990, 1, 1) }, query({ from: day(2023, 6, 1), to: OPEN_TO }))).toBeLessThan(1e-6);
  });

  it('should count a date the memory mentions as well as its event time', () => {
    const saidLater = day(2024, 3, 1);
    expect(temporalFit({ eventTime: saidLater }, may2023)).toBeLessThan(0.01);
    expect(temporalFit({ eventTime: saidLater, mentioned: ['name:paris', 'date:2023-05-08'] }, may2023)).toBe(1);
    expect(temporalFit({ eventTime: saidLater, mentioned: ['month:2023-05'] }, may2023)).toBe(1);
    expect(temporalFit({ eventTime: saidLater, mentioned: ['week:2023-05-29'] }, may2023)).toBe(1);
  });

  it('should count a mention coarser than the window only in part', () => {
    const saidLater = day(2024, 3, 1);
    const fifthOfMay = query({ from: day(2023, 5, 5), to: day(2023, 5, 6) });
    const byYear = temporalFit({ eventTime: saidLater, mentioned: ['year:2023'] }, fifthOfMay);
    const byMonth = temporalFit({ eventTime: saidLater, mentioned: ['month:2023-05'] }, fifthOfMay);
    const byDay = temporalFit({ eventTime: saidLater, mentioned: ['date:2023-05-05'] }, fifthOfMay);
    expect(byYear).toBeGreaterThan(0);
    expect(byYear).toBeLessThan(byMonth);
    expect(byMonth).toBeLessThan(byDay);
    expect(byDay).toBe(1);
    expect(temporalFit({ eventTime: saidLater, mentioned: ['year:2023'] }, query({ from: day(2023, 1, 1), to: day(2024, 1, 1) }))).toBe(1);
  });

  it('should take the best of several windows', () => {
    expect(temporalFit({ eventTime: day(2023, 5, 10) }, query({ from: day(2019, 1, 1), to: day(2020, 1, 1) }, may2023.windows[0]!))).toBe(1);
  });

  it('should ignore keys that are not times or not valid dates', () => {
    const far = day(2030, 1, 1);
    for (const key of ['name:may', 'date:2023-02-30', 'month:2023-13', 'date:2023-05', 'year:2023-05', 'week:2023-05-08x', 'date:23-05-08']) {
      expect({ key, fit: temporalFit({ eventTime: far, mentioned: [key] }, may2023) }).toEqual({ key, fit: temporalFit({ eventTime: far }, may2023) });
    }
  });

  it('should be a neutral 0 when the query names no window', () => {
    expect(temporalFit({ eventTime: day(2024, 3, 13), mentioned: ['date:2024-03-13'] }, query())).toBe(0);
  });

  it('should match what parseQueryTime reads from a question', () => {
    const ref = Date.UTC(2024, 2, 14, 23, 30);
    const time = parseQueryTime('what did I eat yesterday?', ref);
    expect(temporalFit({ eventTime: Date.UTC(2024, 2, 13, 19) }, time)).toBe(1);
    expect(temporalFit({ eventTime: Date.UTC(2024, 2, 1) }, time)).toBeLessThan(1e-3);
  });

  it('should ignore an event time that is not a number', () => {
    expect(temporalFit({ eventTime: NaN }, may2023)).toBe(0);
    expect(temporalFit({ eventTime: NaN, mentioned: ['date:2023-05-08'] }, may2023)).toBe(1);
  });
});

describe('mentionsTime', () => {
  it('should be true when any key names a date, week, month or year', () => {
    expect(mentionsTime(['name:caroline', 'date:2024-03-13'])).toBe(true);
    expect(mentionsTime(['week:2024-03-11'])).toBe(true);
    expect(mentionsTime(['month:2024-03'])).toBe(true);
    expect(mentionsTime(['year:1987'])).toBe(true);
  });

  it('should be false without a valid time key', () => {
    expect(mentionsTime([])).toBe(false);
    expect(mentionsTime(undefined)).toBe(false);
    expect(mentionsTime(['name:may', 'number:2023', 'money:$20', 'date:2023-02-30'])).toBe(false);
  });
});

describe('orderFit', () => {
  const span = { min: day(2024, 1, 1), max: day(2024, 1, 11) };

  it('should score the preferred end of the span 1 and the other end 0', () => {
    expect(orderFit(span.max, span, 'latest')).toBe(1);
    expect(orderFit(span.min, span, 'latest')).toBe(0);
    expect(orderFit(span.min, span, 'earliest')).toBe(1);
    expect(orderFit(span.max, span, 'earliest')).toBe(0);
    expect(orderFit(day(2024, 1, 3), span, 'latest')).toBeCloseTo(0.2, 10);
  });

  it('should clamp times outside the span', () => {
    expect(orderFit(day(2025, 1, 1), span, 'latest')).toBe(1);
    expect(orderFit(day(2023, 1, 1), span, 'latest')).toBe(0);
  });

  it('should be 0.5 without a preference, for an empty span or for non-numbers', () => {
    expect(orderFit(span.max, span, null)).toBe(0.5);
    expect(orderFit(span.min, { min: span.min, max: span.min }, 'latest')).toBe(0.5);
    expect(orderFit(NaN, span, 'latest')).toBe(0.5);
    expect(orderFit(span.min, { min: Infinity, max: -Infinity }, 'earliest')).toBe(0.5);
  });
});

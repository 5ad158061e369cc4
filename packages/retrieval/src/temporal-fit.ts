import { DAY_MS as DAY, utc } from '@neuromem/core';
import type { QueryTime, TimeWindow } from './query-time';

const YEAR = 365 * DAY;

interface TimeRange {
  from: number;
  to: number;
}

/**
 * How well a memory's time matches the windows a query names, 0..1: 1 when its event time, or a date
 * its text mentions (`date:`, `week:`, `month:`, `year:` entity keys), overlaps a window, decaying
 * smoothly with the distance outside it (see `windowFit`); the best window and time count.
 *
 * Returns 0 when the query names no window. That 0 is neutral, not a bad fit: callers should check
 * `query.windows.length` and leave the feature out (or constant) for such queries rather than read 0
 * as "far from the asked time".
 */
export function temporalFit(memory: { eventTime: number; mentioned?: readonly string[] }, query: QueryTime): number {
  const windows = query.windows.filter((w) => w.from < w.to);
  if (windows.length === 0) return 0;
  const own: TimeRange[] = Number.isFinite(memory.eventTime) ? [{ from: memory.eventTime, to: memory.eventTime + 1 }] : [];
  const mentioned = (memory.mentioned ?? []).map(timeKeyRange).filter((range): range is TimeRange => range !== null);
  let best = 0;
  for (const window of windows) {
    for (const range of own) best = Math.max(best, windowFit(range, window));
    // A mention coarser than the window ("2023" against "on 5 May 2023") only partly pins it down.
    for (const range of mentioned) best = Math.max(best, windowFit(range, window) * Math.min(1, Math.sqrt(length(window) / (range.to - range.from))));
    if (best === 1) break;
  }
  return best;
}

/**
 * 1 when the range touches the window, else exp(-distance / scale). The scale grows with the window
 * (a quarter of its length, at least a day, capped at a quarter year for long and open windows), so a
 * memory two days off "yesterday" fits far worse than one two days off "May 2023", yet an open window
 * ("before May 2023") still tells near from far.
 */
function windowFit(range: TimeRange, window: TimeWindow): number {
  const distance = Math.max(0, window.from - range.to, range.from - window.to);
  const scale = Math.max(DAY, Math.min(length(window), YEAR) / 4);
  return Math.exp(-distance / scale);
}

const length = (window: TimeRange) => window.to - window.from;

/** True when any key names a time: a when-question's answer often sits in a memory that names one. */
export function mentionsTime(mentioned: readonly string[] | undefined): boolean {
  return (mentioned ?? []).some((key) => timeKeyRange(key) !== null);
}

/**
 * Where the memory sits in the candidates' time span, 0..1, 1 at the end the query prefers (the
 * latest for 'latest', the earliest for 'earliest'); 0.5 without a preference, for an empty span, or
 * for times that are not numbers.
 */
export function orderFit(eventTime: number, range: { min: number; max: number }, order: QueryTime['order']): number {
  if (order === null || !Number.isFinite(eventTime) || !Number.isFinite(range.min) || !Number.isFinite(range.max) || range.max <= range.min) return 0.5;
  const position = Math.min(1, Math.max(0, (eventTime - range.min) / (range.max - range.min)));
  return order === 'latest' ? position : 1 - position;
}

const TIME_KEY = /^(date|week|month|year):(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/;

/** The UTC range a time key names (`date:2023-05-08`, `week:2023-05-08`, `month:2023-05`, `year:2023`), else null. */
function timeKeyRange(key: string): TimeRange | null {
  const match = TIME_KEY.exec(key);
  if (!match) return null;
  const [, kind, y, m, d] = match;
  const year = Number(y);
  const month = m === undefined ? 1 : Number(m);
  const day = d === undefined ? 1 : Number(d);
  // Each kind has exactly its own fields; a day that rolls over ("2023-02-30") is not a date.
  const fields = { date: m !== undefined && d !== undefined, week: m !== undefined && d !== undefined, month: m !== undefined && d === undefined, year: m === undefined && d === undefined }[
    kind as 'date' | 'week' | 'month' | 'year'
  ];
  if (!fields || month < 1 || month > 12 || day < 1 || day > 31) return null;
  const from = utc(year, month, day);
  if (new Date(from).getUTCDate() !== day) return null;
  if (kind === 'date') return { from, to: from + DAY };
  if (kind === 'week') return { from, to: from + 7 * DAY };
  if (kind === 'month') return { from, to: utc(year, month + 1, 1) };
  return { from, to: utc(year + 1, 1, 1) };
}

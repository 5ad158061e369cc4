/** Calendar arithmetic in UTC, independent of the machine's timezone. */

export const DAY_MS = 86_400_000;

/** Midnight UTC of a calendar day; months and days may overflow. Not Date.UTC, which maps years 0..99 to 1900s. */
export function utc(year: number, month: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime();
}

export const startOfDay = (time: number) => Math.floor(time / DAY_MS) * DAY_MS;

/** Monday 00:00 UTC of the week holding `time`. */
export function mondayOf(time: number): number {
  const day = startOfDay(time);
  return day - ((new Date(day).getUTCDay() + 6) % 7) * DAY_MS;
}

/**
 * A Date whose local calendar fields are the UTC fields of `time`: handed to chrono as its reference,
 * every date it implies is a UTC date whatever the machine's timezone. Passing `timezone: 0` is not
 * enough: some of chrono's paths ("last night", "the day before yesterday", "this month") read the
 * reference's local fields directly, so near midnight they land on the machine's date. A local time
 * that does not exist (a DST gap) moves forward within the same day, so the date never shifts.
 */
export function wallClockOf(time: number): Date {
  const utcDate = new Date(time);
  const local = new Date(2000, 0, 1, utcDate.getUTCHours(), utcDate.getUTCMinutes(), utcDate.getUTCSeconds(), utcDate.getUTCMilliseconds());
  local.setFullYear(utcDate.getUTCFullYear(), utcDate.getUTCMonth(), utcDate.getUTCDate());
  return local;
}

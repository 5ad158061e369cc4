import { createErrorFactory, describeValue } from '@neuromem/core';

const fail = createErrorFactory('mem0');
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The metadata key Mem0 keeps a memory's expiration date under (`YYYY-MM-DD`). */
export const EXPIRATION_DATE = 'expiration_date';

/**
 * A `YYYY-MM-DD` calendar day that exists, returned as given. Stricter than `new Date()`, which
 * reads "12/31/2099" in the local time zone and rolls "2099-02-30" over to March, as Mem0 is.
 */
export function normalizeExpirationDate(value: unknown): string {
  const match = typeof value === 'string' ? DAY.exec(value) : null;
  if (match) {
    const day = new Date(`${value as string}T00:00:00Z`);
    if (day.getUTCFullYear() === Number(match[1]) && day.getUTCMonth() === Number(match[2]) - 1 && day.getUTCDate() === Number(match[3])) return value as string;
  }
  throw fail('INVALID_INPUT', `expirationDate must be a valid date in YYYY-MM-DD format, e.g. "2099-12-31", got ${describeValue(value)}.`, { details: { field: 'expirationDate' } });
}

/** Expired once the day is over (UTC): a memory expiring today is still shown. An unreadable stored value never expires. */
export function isExpiredOn(stored: unknown, now: number): boolean {
  if (typeof stored !== 'string' || !DAY.test(stored)) return false;
  return stored < new Date(now).toISOString().slice(0, 10);
}

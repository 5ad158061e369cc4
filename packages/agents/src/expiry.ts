import { createErrorFactory, parseTime, type JsonValue, type Metadata } from '@neuromem/core';

const fail = createErrorFactory('agents');

/**
 * The metadata key a memory's expiry is kept under (epoch ms): Mem0's `expirationDate`. An expired
 * memory is hidden from search at once and tombstoned (kept in history) by the forgetting agent.
 */
export const EXPIRES_AT = 'expiresAt';

/** When the memory expires (epoch ms), or undefined when it never does (or the value is not a time). */
export function expiryOf(metadata: Metadata): number | undefined {
  const value: JsonValue | undefined = metadata[EXPIRES_AT];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export const isExpired = (metadata: Metadata, now: number): boolean => {
  const at = expiryOf(metadata);
  return at !== undefined && at <= now;
};

/** A caller's expiry (a Date, ISO text or epoch ms) as epoch ms; `INVALID_INPUT` for anything else. */
export function parseExpiry(value: unknown, field = 'expirationDate'): number {
  if (value === null || (typeof value !== 'string' && typeof value !== 'number' && !(value instanceof Date))) {
    throw fail('INVALID_INPUT', `${field} must be a date (a Date, ISO 8601 text such as "2027-01-31" or epoch ms), got ${value === null ? 'null' : typeof value}.`, { details: { field } });
  }
  return parseTime(value, { field, module: 'agents' });
}

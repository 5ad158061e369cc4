import { createErrorFactory, describeValue } from '@neuromem/core';

const fail = createErrorFactory('mem0');

/**
 * A user, agent or run id as Mem0 3.x takes it: numbers become their string form, surrounding
 * whitespace is trimmed, and an empty id or one with whitespace inside is refused (with Mem0's
 * wording, which code may match on). Undefined and null mean "not given".
 */
export function entityId(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) {
    throw fail('INVALID_INPUT', `Invalid ${name}: it must be a string (or a number), got ${describeValue(value)}.`, { details: { field: name } });
  }
  const trimmed = String(value).trim();
  if (trimmed === '') throw fail('INVALID_INPUT', `Invalid ${name}: cannot be empty or whitespace-only. Provide a valid identifier.`, { details: { field: name } });
  if (/\s/.test(trimmed)) throw fail('INVALID_INPUT', `Invalid ${name}: cannot contain whitespace. Provide a valid identifier without spaces.`, { details: { field: name } });
  return trimmed;
}

import { createErrorFactory } from '@neuromem/core';

const fail = createErrorFactory('controller');

/**
 * The first check every shipped model file gets: it is an object of the expected `format`. A file
 * that is not fails here as `INVALID_INPUT`, naming what it should have been and the command that
 * remakes it; the caller then checks its own fields.
 */
export function modelDocument<T extends { format: string }>(value: unknown, expected: { format: T['format']; kind: string; source: string; remake: string }): Partial<T> {
  const document = value as Partial<T> | null;
  if (typeof document !== 'object' || document === null || document.format !== expected.format) {
    throw fail('INVALID_INPUT', `${expected.source} is not a NeuroMem ${expected.kind} model (expected format "${expected.format}"); ${expected.remake}.`);
  }
  return document;
}

import { NeuroMemError, validateText } from '@neuromem/core';

/** Checks a session's turns and the `from` index before any encoding, naming the bad field. */
export function validateTurns(turns: readonly string[], from: number | undefined): number {
  if (!Array.isArray(turns) || turns.length === 0) {
    throw new NeuroMemError('INVALID_INPUT', 'turns must be a non-empty array of strings (the session so far).', { module: 'embeddings', details: { field: 'turns' } });
  }
  turns.forEach((text, i) => validateText(text, { module: 'embeddings', field: `turns[${i}]` }));
  const start = from ?? 0;
  if (!Number.isInteger(start) || start < 0 || start > turns.length) {
    throw new NeuroMemError('INVALID_INPUT', `from must be an integer between 0 and ${turns.length}, got ${String(from)}.`, { module: 'embeddings', details: { field: 'from' } });
  }
  return start;
}

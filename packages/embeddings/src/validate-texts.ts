import { NeuroMemError, validateText } from '@neuromem/core';

/** Checks the whole batch first, so one bad text fails the call before any work is done. */
export function validateTexts(texts: readonly string[]): readonly string[] {
  if (!Array.isArray(texts)) {
    throw new NeuroMemError('INVALID_INPUT', `texts must be an array of strings, got ${texts === null ? 'null' : typeof texts}.`, { module: 'embeddings', details: { field: 'texts' } });
  }
  texts.forEach((text, i) => validateText(text, { module: 'embeddings', field: `texts[${i}]` }));
  return texts;
}

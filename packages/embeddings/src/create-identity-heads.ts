import { NeuroMemError, normalizeInPlace } from '@neuromem/core';
import { validateHeadInput } from './create-random-projection-heads';
import type { ScaleHeads } from './scale-heads';

/**
 * Heads that keep the encoder's vectors as they are at every scale (normalized copies) with uniform
 * salience: for an encoder whose space is already the one to search in, such as a sentence encoder
 * inside a hybrid. Cheaper than a square random rotation, which would keep the same cosines.
 */
export function createIdentityHeads(dimensions: number): ScaleHeads {
  const shape = { inputDimensions: dimensions, dims: { token: dimensions, turn: dimensions, session: dimensions } };
  if (!Number.isInteger(dimensions) || dimensions < 1) {
    throw new NeuroMemError('INVALID_INPUT', `dimensions must be a positive integer, got ${String(dimensions)}.`, { module: 'embeddings', details: { field: 'dimensions' } });
  }
  return {
    id: 'identity',
    ...shape,
    async project(scale, vectors) {
      validateHeadInput(shape, vectors, scale);
      return vectors.map((vector) => normalizeInPlace(Float32Array.from(vector)));
    },
    async salience(vectors) {
      validateHeadInput(shape, vectors);
      return vectors.map(() => 0);
    },
  };
}

import type { TextEncoder } from '@neuromem/core';
import { clauseSimilarities } from './clause-similarity';
import { createCompressor } from './create-compressor';
import { splitWords } from './words';

/** A small bag-of-words encoder: texts sharing words point the same way (enough to tell clauses apart). */
function bagOfWords(): TextEncoder & { calls: number } {
  const vocabulary = ['pet', 'dog', 'puppy', 'rain', 'weather', 'lisbon', 'flight'];
  const encoder = {
    specVersion: 'neuromem.text-encoder/v1' as const,
    id: 'test-bag',
    dimensions: vocabulary.length + 1,
    deterministic: true,
    calls: 0,
    async encode(texts: readonly string[]) {
      encoder.calls++;
      return texts.map((text) => {
        const vector = new Float32Array(vocabulary.length + 1);
        vector[vocabulary.length] = 0.1;
        for (const word of text.toLowerCase().split(/\W+/)) {
          const i = vocabulary.indexOf(word === 'puppy' || word === 'dog' ? 'pet' : word);
          if (i >= 0) vector[i]! += 1;
        }
        const norm = Math.hypot(...vector);
        return vector.map((x) => x / norm);
      });
    },
  };
  return encoder;
}

describe('clauseSimilarities', () => {
  it('should rate each clause by its closeness to the question, encoding everything in one call', async () => {
    const encoder = bagOfWords();
    const words = [splitWords('We adopted a puppy. The weather was awful.')];
    const similarity = await clauseSimilarities(encoder, 'Which pet do they have?', words);
    expect(encoder.calls).toBe(1);
    expect(similarity(0, 0)).toBeGreaterThan(similarity(0, 5));
    expect(await clauseSimilarities(encoder, '   ', words).then((s) => s(0, 0))).toBe(0);
  });

  it('should be asked by a compressor given an encoder, which still fits the budget', async () => {
    const encoder = bagOfWords();
    const compressor = createCompressor({ semantic: encoder });
    const items = [
      { memoryId: 'a', text: 'We adopted a puppy named Biscuit last spring, and the weather was awful all week long.', score: 0.9 },
      { memoryId: 'b', text: 'The flight to Lisbon was delayed by two hours because of the rain.', score: 0.4 },
    ];
    const context = await compressor.compress(items, { query: 'Which pet do they have?', tokenBudget: 12 });
    expect(context.tokens).toBeLessThanOrEqual(12);
    expect(context.text).not.toBe('');
    expect(encoder.calls).toBe(1);
  });
});

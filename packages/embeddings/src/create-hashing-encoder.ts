import { NeuroMemError, validateText, type TextEncoder } from '@neuromem/core';
import { createFeatureExtractor, type FeatureExtractor } from './extract-features';
import { createFeatureBag, type FeatureBag } from './feature-bag';
import { hashingEncoderId, resolveHashingOptions, type HashingEncoderOptions } from './hashing-encoder-options';

/**
 * A deterministic, offline `TextEncoder` built on signed feature hashing: words, adjacent word
 * pairs and character n-grams of each word are hashed into a fixed-size vector, then L2-normalized.
 * No model, no download, no network; it matches shared wording and word forms ("painted" ~
 * "painting"), not meaning ("car" is not near "automobile").
 */
export function createHashingEncoder(options?: HashingEncoderOptions): TextEncoder {
  const resolved = resolveHashingOptions(options);
  const { dimensions } = resolved;
  const extractor = createFeatureExtractor(resolved);
  // Scratch state shared by every call: safe because encoding one text never awaits.
  const bag = createFeatureBag();
  const accumulator = new Float64Array(dimensions);
  // Each step runs only if everything before it gave a zero vector: no words (only symbols),
  // zero weights (only stop words with stopWordWeight 0), or signed collisions cancelling out.
  const steps = [extractor.addWordFeatures, extractor.addTextNgrams, extractor.addWholeText];

  return {
    specVersion: 'neuromem.text-encoder/v1',
    id: hashingEncoderId(resolved),
    dimensions,
    deterministic: true,
    async encode(texts) {
      if (!Array.isArray(texts)) {
        throw new NeuroMemError('INVALID_INPUT', `texts must be an array of strings, got ${texts === null ? 'null' : typeof texts}.`, {
          module: 'embeddings',
          details: { field: 'texts' },
        });
      }
      // Check the whole batch first, so one bad text fails the call before any work is done.
      texts.forEach((text, i) => validateText(text, { module: 'embeddings', field: `texts[${i}]` }));
      return texts.map((text) => encodeOne(text, steps, bag, accumulator));
    },
  };
}

type FeatureStep = FeatureExtractor['addWordFeatures'];

function encodeOne(text: string, steps: readonly FeatureStep[], bag: FeatureBag, accumulator: Float64Array): Float32Array {
  // NFKC folds full-width letters, ligatures and composed/decomposed accents to one spelling.
  const normalized = text.normalize('NFKC').toLowerCase();
  accumulator.fill(0);
  let norm = 0;
  for (const step of steps) {
    step(normalized, bag);
    bag.drainInto(accumulator);
    norm = Math.sqrt(squaredNorm(accumulator));
    if (norm > 0) break;
  }
  const vector = new Float32Array(accumulator.length);
  for (let i = 0; i < vector.length; i++) vector[i] = (accumulator[i] as number) / norm;
  return vector;
}

function squaredNorm(vector: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += (vector[i] as number) * (vector[i] as number);
  return sum;
}

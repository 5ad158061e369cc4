import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cosineSimilarity } from '@neuromem/core';
import { createTempDir } from '@neuromem/core/testing';
import { createSemanticEncoder, createSifEncoder } from './create-semantic-encoder';
import { loadSemanticLexicon } from './semantic-lexicon';
import { loadSemanticModel, semanticModelFrom } from './semantic-model';
import { createSifWeighting } from './semantic-words';

const lexicon = loadSemanticLexicon();
const weighting = createSifWeighting(lexicon);

/** A model of the given hidden size for the shipped lexicon, every weight `fill` unless overridden. */
function modelJson(hidden: number, fill = 0, override: Record<string, unknown> = {}) {
  const d = lexicon.dimensions;
  const numbers = (n: number) => Array.from({ length: n }, () => fill);
  return {
    format: 'neuromem.semantic-model/v1',
    lexicon: lexicon.id,
    weighting: weighting.id,
    dimensions: d,
    hidden,
    attention: numbers(d),
    w1: numbers(hidden * d),
    b1: numbers(hidden),
    w2: numbers(d * hidden),
    b2: numbers(d),
    trainedOn: ['test'],
    ...override,
  };
}

describe('semantic models', () => {
  let dir: ReturnType<typeof createTempDir>;
  beforeEach(() => {
    dir = createTempDir();
  });
  afterEach(() => dir.remove());

  it('should equal plain SIF when every learned weight is zero', async () => {
    const zero = createSemanticEncoder({ model: semanticModelFrom(modelJson(4), 'zero') });
    const text = 'We adopted a beagle puppy last spring.';
    const [[a], [b]] = await Promise.all([zero.encode([text]), createSifEncoder().encode([text])]);
    expect(cosineSimilarity(a!, b!)).toBeCloseTo(1, 6);
    expect(zero.id).not.toBe(createSifEncoder().id);
  });

  it('should let attention shift weight between words', async () => {
    // Attention along "dog"'s direction: the dog word dominates a sentence that also names a car.
    const dog = new Float64Array(lexicon.dimensions);
    lexicon.addWord('dog', 1, dog);
    const attention = Array.from(dog, (x) => x * 20);
    const focused = createSemanticEncoder({ model: semanticModelFrom(modelJson(0, 0, { attention }), 'dog-attention') });
    const plain = createSifEncoder();
    const [sentence, animal] = ['my dog sat in the red car', 'puppy'];
    const similarity = async (encoder: typeof plain) => {
      const [x, y] = await encoder.encode([sentence, animal]);
      return cosineSimilarity(x!, y!);
    };
    expect(await similarity(focused)).toBeGreaterThan(await similarity(plain));
  });

  it('should refuse a model trained for another lexicon or weighting', () => {
    expect(() => createSemanticEncoder({ model: semanticModelFrom(modelJson(2, 0, { lexicon: 'other-lexicon' }), 'x') })).toThrow(expect.objectContaining({ code: 'DIMENSION_MISMATCH' }));
    expect(() => createSemanticEncoder({ smoothing: 0.01, model: semanticModelFrom(modelJson(2), 'x') })).toThrow(expect.objectContaining({ code: 'DIMENSION_MISMATCH' }));
  });

  it('should refuse wrong shapes, non-finite weights and unknown formats', () => {
    for (const bad of [modelJson(2, 0, { w1: [1, 2] }), modelJson(2, 0, { b2: modelJson(2).b2.map(() => Number.NaN) }), modelJson(2, 0, { format: 'v0' }), modelJson(2, 0, { hidden: -1 })]) {
      expect(() => semanticModelFrom(bad as Record<string, unknown>, 'bad')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    }
  });

  it('should refuse a missing or damaged file with STORAGE naming the training command', () => {
    const broken = join(dir.path, 'broken.json');
    writeFileSync(broken, '{"format": "neuromem.semantic-model/v1", "dimensions": 100');
    const truncated = join(dir.path, 'short.json');
    writeFileSync(truncated, JSON.stringify(modelJson(2, 0, { w2: [0] })));
    for (const path of [join(dir.path, 'missing.json'), broken, truncated]) {
      expect(() => loadSemanticModel(path)).toThrow(expect.objectContaining({ code: 'STORAGE', message: expect.stringContaining('tools/train/semantic-encoder/train.sh') }));
    }
  });
});

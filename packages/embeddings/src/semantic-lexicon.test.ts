import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTempDir } from '@neuromem/core/testing';
import { quantizeRows, writeLexiconFile, type LexiconData } from './lexicon-file';
import { DEFAULT_LEXICON_PATH, loadSemanticLexicon, semanticLexiconFrom } from './semantic-lexicon';
import { subwordBuckets } from './subword-ngrams';

/** Three 4-d words and an 8-row subword table in which every row is (0, 0, 0, 1). */
function tinyLexicon(): LexiconData {
  const words = quantizeRows(Float32Array.from([1, 0, 0, 0, 0, 1, 0, 0, 0.6, 0.8, 0, 0]), 4);
  const buckets = quantizeRows(
    Float32Array.from({ length: 32 }, (_, i) => (i % 4 === 3 ? 1 : 0)),
    4,
  );
  return {
    header: { dimensions: 4, ngrams: { min: 3, max: 5 }, source: { name: 'tiny', license: 'CC0', vocabulary: 10 }, commonComponents: [] },
    words: ['cat', 'dog', 'pet'],
    ranks: Uint32Array.from([3, 5, 9]),
    wordVectors: words.vectors,
    wordScales: words.scales,
    bucketVectors: buckets.vectors,
    bucketScales: buckets.scales,
  };
}

describe('semantic lexicon files', () => {
  let dir: ReturnType<typeof createTempDir>;
  beforeEach(() => {
    dir = createTempDir();
  });
  afterEach(() => dir.remove());

  it('should read back the words, ranks and vectors it wrote', () => {
    const lexicon = semanticLexiconFrom(writeLexiconFile(tinyLexicon()), 'tiny');
    expect(lexicon.size).toBe(3);
    expect(lexicon.rank('dog')).toBe(5);
    expect(lexicon.rank('horse')).toBeUndefined();
    const into = new Float64Array(4);
    expect(lexicon.addWord('pet', 2, into)).toBe('known');
    expect(Array.from(into, (x) => Number(x.toFixed(2)))).toEqual([1.2, 1.6, 0, 0]);
  });

  it('should give an unknown word the mean of its character n-gram rows', () => {
    const lexicon = semanticLexiconFrom(writeLexiconFile(tinyLexicon()), 'tiny');
    const into = new Float64Array(4);
    expect(lexicon.addWord('horse', 1, into)).toBe('subword');
    expect(Array.from(into, (x) => Number(x.toFixed(4)))).toEqual([0, 0, 0, 1]);
    // The same n-grams are used to train the table and to read it: "<horse>" has 3-, 4- and 5-grams.
    expect(subwordBuckets('horse', { min: 3, max: 5 }, 8)).toHaveLength(5 + 4 + 3);
    expect(subwordBuckets('a', { min: 3, max: 5 }, 8)).toHaveLength(1);
  });

  it('should refuse a damaged, truncated or foreign file with STORAGE naming the command that regenerates it', () => {
    const good = writeLexiconFile(tinyLexicon());
    const flipped = Buffer.from(good);
    flipped[flipped.length - 3]! ^= 0xff;
    for (const [bytes, why] of [
      [flipped, /checksum mismatch/],
      [good.subarray(0, good.length - 5), /payload bytes/],
      [Buffer.from('not a lexicon at all'), /not a NeuroMem lexicon/],
      [good.subarray(0, 20), /truncated header/],
    ] as const) {
      expect(() => semanticLexiconFrom(bytes, 'bad.nmlx')).toThrow(expect.objectContaining({ code: 'STORAGE', message: expect.stringMatching(why) }));
      expect(() => semanticLexiconFrom(bytes, 'bad.nmlx')).toThrow(/npm run build:lexicon/);
    }
  });

  it('should refuse a missing file with STORAGE', () => {
    const missing = join(dir.path, 'missing.nmlx');
    expect(() => loadSemanticLexicon(missing)).toThrow(expect.objectContaining({ code: 'STORAGE', message: expect.stringContaining('ENOENT') }));
  });

  it('should load a file once per path', () => {
    const file = join(dir.path, 'tiny.nmlx');
    writeFileSync(file, writeLexiconFile(tinyLexicon()));
    expect(loadSemanticLexicon(file)).toBe(loadSemanticLexicon(file));
  });

  it('should ship 50,000 GloVe words with their provenance, a subword fit and a common component', () => {
    const lexicon = loadSemanticLexicon(DEFAULT_LEXICON_PATH);
    expect(lexicon.size).toBe(50_000);
    expect(lexicon.dimensions).toBe(100);
    expect(lexicon.header.source).toMatchObject({ name: 'glove-6b-100d', vocabulary: 341_479, license: expect.stringContaining('PDDL') });
    expect(lexicon.header.subwordFit!.meanCosine).toBeGreaterThan(0.3);
    expect(lexicon.header.commonComponents).toHaveLength(1);
    expect(lexicon.rank('the')).toBeLessThan(lexicon.rank('beagle')!);
  });
});

import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTempDir } from '@neuromem/core/testing';
import { quantizeRows, writeLexiconFile, type LexiconData } from './lexicon-file';
import { pairLexicons } from './paired-lexicon';
import { DEFAULT_LEXICON_PATH, GLOVE_LEXICON_PATH, loadSemanticLexicon, semanticLexiconFrom } from './semantic-lexicon';
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

  it('should read a file the same wherever its bytes sit in memory (views in place, or an aligned copy)', () => {
    const file = writeLexiconFile(tinyLexicon());
    const shifted = new Uint8Array(file.length + 1).subarray(1);
    shifted.set(file);
    for (const bytes of [new Uint8Array(file), shifted]) {
      const lexicon = semanticLexiconFrom(bytes, 'tiny');
      const into = new Float64Array(4);
      expect(lexicon.addWord('dog', 1, into)).toBe('known');
      expect(Array.from(into, (x) => Number(x.toFixed(2)))).toEqual([0, 1, 0, 0]);
      expect(lexicon.rank('pet')).toBe(9);
    }
  });

  it('should refuse a file whose word list disagrees with its header, with STORAGE', () => {
    const file = writeLexiconFile(tinyLexicon());
    const payloadStart = 12 + file.readUInt32LE(8);
    // "cat\ndog\npet" becomes "cat dog\npet": two words where the header says three, checksum made to match.
    file[payloadStart + 3] = 0x20;
    const oldSum = JSON.parse(file.toString('utf8', 12, payloadStart)).sha256 as string;
    const newSum = createHash('sha256').update(file.subarray(payloadStart)).digest('hex');
    file.write(file.toString('latin1', 0, payloadStart).replace(oldSum, newSum), 0, 'latin1');
    expect(() => semanticLexiconFrom(file, 'bad.nmlx')).toThrow(expect.objectContaining({ code: 'STORAGE', message: expect.stringMatching(/word list/) }));
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
    const lexicon = loadSemanticLexicon(GLOVE_LEXICON_PATH);
    expect(lexicon.size).toBe(50_000);
    expect(lexicon.dimensions).toBe(100);
    expect(lexicon.header.source).toMatchObject({ name: 'glove-6b-100d', vocabulary: 341_479, license: expect.stringContaining('PDDL') });
    expect(lexicon.header.subwordFit!.meanCosine).toBeGreaterThan(0.3);
    expect(lexicon.header.commonComponents).toHaveLength(1);
    expect(lexicon.rank('the')).toBeLessThan(lexicon.rank('beagle')!);
    // Memories written with the GloVe lexicon alone record this id: it must not change.
    expect(lexicon.id).toBe('glove-6b-100d-50000:94846f02bc5a');
  });

  it("should ship as default the GloVe words paired with the teacher's view of them, 200-d, both licenses named", () => {
    const lexicon = loadSemanticLexicon();
    expect(lexicon.dimensions).toBe(200);
    expect(lexicon.id).toMatch(/^glove-6b-100d-50000:94846f02bc5a\+use-lite-100d-50000:[0-9a-f]{12}$/);
    expect(lexicon.header.source.license).toMatch(/PDDL.*Apache-2\.0/);
    expect(lexicon.header.commonComponents[0]).toHaveLength(200);
    expect(loadSemanticLexicon(DEFAULT_LEXICON_PATH)).toBe(lexicon);
    // The teacher half knows what the words mean alike: a beagle is nearer a dog than a sofa.
    const vector = (word: string) => {
      const into = new Float64Array(200);
      lexicon.addWord(word, 1, into);
      return into;
    };
    const cosine = (a: Float64Array, b: Float64Array) => a.reduce((sum, x, i) => sum + x * b[i]!, 0) / Math.hypot(...a) / Math.hypot(...b);
    expect(cosine(vector('beagle'), vector('dog'))).toBeGreaterThan(cosine(vector('beagle'), vector('sofa')) + 0.2);
  });
});

/** The teacher half of `tinyLexicon`: the same words and ranks, 2-d rows, said to extend it. */
function tinyExtension(baseId: string): LexiconData {
  const base = tinyLexicon();
  const words = quantizeRows(Float32Array.from([0, 1, 1, 0, 0.6, 0.8]), 2);
  const buckets = quantizeRows(
    Float32Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? 1 : 0)),
    2,
  );
  const pairedWith = { file: 'tiny.nmlx', id: baseId, commonComponents: [[1, 0, 0, 0, 0, 0]], subwordFit: { heldOutWords: 3, meanCosine: 0.4 } };
  return {
    ...base,
    header: { ...base.header, dimensions: 2, source: { name: 'tiny-teacher', license: 'Apache-2.0', vocabulary: 10 }, pairedWith },
    wordVectors: words.vectors,
    wordScales: words.scales,
    bucketVectors: buckets.vectors,
    bucketScales: buckets.scales,
  };
}

describe('paired lexicons', () => {
  let dir: ReturnType<typeof createTempDir>;
  beforeEach(() => {
    dir = createTempDir();
  });
  afterEach(() => dir.remove());
  const round = (values: Float64Array) => Array.from(values, (x) => Number(x.toFixed(3)));
  const half = Number(Math.SQRT1_2.toFixed(3)); // each half of a pair is scaled by 1/√2

  it("should put a word's base row beside its extension row, each half scaled by 1/√2, with the base's ranks", () => {
    const base = semanticLexiconFrom(writeLexiconFile(tinyLexicon()), 'tiny');
    const pair = pairLexicons(base, semanticLexiconFrom(writeLexiconFile(tinyExtension(base.id)), 'teacher'));
    expect(pair.dimensions).toBe(6);
    expect(pair.id).toMatch(/^tiny-3:[0-9a-f]{12}\+tiny-teacher-3:[0-9a-f]{12}$/);
    expect(pair.rank('dog')).toBe(5);
    expect(pair.header.commonComponents).toEqual([[1, 0, 0, 0, 0, 0]]);
    expect(pair.header.subwordFit?.meanCosine).toBe(0.4);
    const into = new Float64Array(6);
    expect(pair.addWord('cat', 1, into)).toBe('known');
    expect(round(into)).toEqual([half, 0, 0, 0, 0, half]);
    // Unknown words take each half's own subword guess.
    const unknown = new Float64Array(6);
    expect(pair.addWord('horse', 1, unknown)).toBe('subword');
    expect(round(unknown)).toEqual([0, 0, 0, half, half, 0]);
  });

  it('should load a file that extends another with its base from the same folder, and the base alone as before', () => {
    const base = writeLexiconFile(tinyLexicon());
    writeFileSync(join(dir.path, 'tiny.nmlx'), base);
    const baseId = semanticLexiconFrom(base, 'tiny').id;
    writeFileSync(join(dir.path, 'teacher.nmlx'), writeLexiconFile(tinyExtension(baseId)));
    const pair = loadSemanticLexicon(join(dir.path, 'teacher.nmlx'));
    expect(pair.dimensions).toBe(6);
    expect(loadSemanticLexicon(join(dir.path, 'tiny.nmlx')).id).toBe(baseId);
  });

  it('should refuse an extension built for another base, or one that extends itself, with STORAGE', () => {
    writeFileSync(join(dir.path, 'tiny.nmlx'), writeLexiconFile(tinyLexicon()));
    writeFileSync(join(dir.path, 'stale.nmlx'), writeLexiconFile(tinyExtension('tiny-3:000000000000')));
    expect(() => loadSemanticLexicon(join(dir.path, 'stale.nmlx'))).toThrow(
      expect.objectContaining({ code: 'STORAGE', message: expect.stringMatching(/does not extend tiny-3:.*build:lexicon -- --teacher/) }),
    );
    const selfish = tinyExtension('x');
    selfish.header.pairedWith!.file = 'selfish.nmlx';
    writeFileSync(join(dir.path, 'selfish.nmlx'), writeLexiconFile(selfish));
    expect(() => loadSemanticLexicon(join(dir.path, 'selfish.nmlx'))).toThrow(expect.objectContaining({ code: 'STORAGE', message: expect.stringContaining('extends itself') }));
  });
});

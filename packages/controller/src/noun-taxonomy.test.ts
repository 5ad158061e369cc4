import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { defaultNounTaxonomy, loadNounTaxonomy, parseNounTaxonomy } from './noun-taxonomy';
import { encodeNounTaxonomy, type NounTaxonomySource } from './noun-taxonomy-file';

/** 0 entity; 1 animal < 0; 2 dog < 1; 3 hot dog < 0 (a second sense of "dog"). Words sorted. */
const SMALL: NounTaxonomySource = {
  parents: [[], [0], [1], [0]],
  descendants: [3, 1, 0, 0],
  words: [
    { word: 'animal', senses: [1], mostlyNoun: true },
    { word: 'dog', senses: [2, 3], mostlyNoun: true },
    { word: 'entity', senses: [0], mostlyNoun: true },
    { word: 'walk', senses: [0], mostlyNoun: false },
  ],
};

describe('the noun taxonomy (WordNet 3.0 nouns)', () => {
  const taxonomy = defaultNounTaxonomy();
  const isKindOf = (word: string, broader: string) => taxonomy.senses(broader).some((sense) => taxonomy.closure(word).has(sense));

  it('should know every noun synset and place a beagle under dog and animal, not a cat under dog', () => {
    expect(taxonomy.size).toBe(82_115);
    expect(isKindOf('beagle', 'dog')).toBe(true);
    expect(isKindOf('beagle', 'animal')).toBe(true);
    expect(isKindOf('mum', 'parent')).toBe(true);
    expect(isKindOf('penicillin', 'medicine')).toBe(true);
    expect(isKindOf('salmon', 'fish')).toBe(true);
    expect(isKindOf('cat', 'dog')).toBe(false);
    expect(isKindOf('sister', 'brother')).toBe(false);
  });

  it('should read plurals, regular and irregular, as their nouns', () => {
    expect(taxonomy.lemma('puppies')).toBe('puppy');
    expect(taxonomy.lemma('boxes')).toBe('box');
    expect(taxonomy.lemma('children')).toBe('children');
    expect(isKindOf('children', 'person')).toBe(true);
    expect(isKindOf('puppies', 'dog')).toBe(true);
  });

  it('should tell words used mostly as nouns from words used mostly as verbs', () => {
    expect(taxonomy.mostlyNoun('dog')).toBe(true);
    expect(taxonomy.mostlyNoun('brother')).toBe(true);
    expect(taxonomy.mostlyNoun('dogs')).toBe(true);
    // WordNet knows each as a noun too ("a drive in the country"), but they are asked as verbs.
    expect(taxonomy.mostlyNoun('drive')).toBe(false);
    expect(taxonomy.mostlyNoun('driving')).toBe(false);
    expect(taxonomy.mostlyNoun('get')).toBe(false);
    expect(taxonomy.mostlyNoun('quickly')).toBe(false);
  });

  it('should know nothing of words that are not nouns', () => {
    expect(taxonomy.lemma('quickly')).toBeUndefined();
    expect(taxonomy.senses('the')).toEqual([]);
    expect(taxonomy.closure('xqzzy').size).toBe(0);
  });

  it('should rate narrow senses above broad ones, within 0..1', () => {
    const [dog] = taxonomy.senses('dog');
    const [animal] = taxonomy.senses('animal');
    const [entity] = taxonomy.senses('entity');
    expect(taxonomy.specificity(dog!)).toBeGreaterThan(taxonomy.specificity(animal!));
    expect(taxonomy.specificity(animal!)).toBeGreaterThan(taxonomy.specificity(entity!));
    expect(taxonomy.specificity(entity!)).toBeCloseTo(0, 2);
    expect(taxonomy.specificity(taxonomy.senses('beagle')[0]!)).toBe(1);
    expect(taxonomy.specificity(-1)).toBe(0);
    expect(taxonomy.specificity(Number.NaN)).toBe(0);
  });

  it('should reject a file that is not a taxonomy with INVALID_INPUT, naming the command that remakes it', () => {
    const directory = mkdtempSync(join(tmpdir(), 'neuromem-taxonomy-'));
    const wrong = join(directory, 'wrong.bin.gz');
    writeFileSync(wrong, gzipSync('hello\nworld\n'));
    expect(() => loadNounTaxonomy(wrong)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringContaining('build-noun-taxonomy') }));
    expect(() => loadNounTaxonomy(join(directory, 'missing.bin.gz'))).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    writeFileSync(wrong, 'not gzip');
    expect(() => loadNounTaxonomy(wrong)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    // The text format of earlier releases.
    writeFileSync(wrong, gzipSync('neuromem.noun-taxonomy/v2\t0\t0\n'));
    expect(() => loadNounTaxonomy(wrong)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringContaining('text format of earlier releases') }));
  });

  it('should read a small hierarchy, taking the first senses asked for', () => {
    const file = encodeNounTaxonomy(SMALL);
    const small = parseNounTaxonomy(file, { senses: 1 });
    expect(small.size).toBe(4);
    expect([...small.closure('dog')].sort()).toEqual([0, 1, 2]);
    expect([...parseNounTaxonomy(file).closure('dogs')].sort()).toEqual([0, 1, 2, 3]);
    expect(small.lemma('cat')).toBeUndefined();
    // Before the first word and after the last, and a word that is a prefix of another.
    expect(small.lemma('aardvark')).toBeUndefined();
    expect(small.lemma('zebra')).toBeUndefined();
    expect(small.lemma('do')).toBeUndefined();
    expect(small.mostlyNoun('walk')).toBe(false);
    expect(small.mostlyNoun('animal')).toBe(true);
    expect(small.specificity(0)).toBeLessThan(small.specificity(1));
    expect(small.specificity(2)).toBe(1);
  });

  it('should read the file from any byte offset (a Buffer from a pool)', () => {
    const file = encodeNounTaxonomy(SMALL);
    const shifted = new Uint8Array(file.byteLength + 1);
    shifted.set(file, 1);
    expect([...parseNounTaxonomy(shifted.subarray(1)).closure('dog')].sort()).toEqual([0, 1, 2, 3]);
  });
});

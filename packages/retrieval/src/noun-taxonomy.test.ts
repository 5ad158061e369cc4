import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { defaultNounTaxonomy, loadNounTaxonomy, parseNounTaxonomy } from './noun-taxonomy';

describe('the noun taxonomy (WordNet 3.0 nouns)', () => {
  const taxonomy = defaultNounTaxonomy();
  const isKindOf = (word: string, broader: string) => taxonomy.senses(broader).some((sense) => taxonomy.closure(word).has(sense));

  it('should know every noun synset and place a beagle under dog and animal', () => {
    expect(taxonomy.size).toBe(82_115);
    expect(isKindOf('beagle', 'dog')).toBe(true);
    expect(isKindOf('beagle', 'animal')).toBe(true);
    expect(isKindOf('mum', 'parent')).toBe(true);
    expect(isKindOf('hockey', 'sport')).toBe(true);
    expect(isKindOf('beagle', 'furniture')).toBe(false);
  });

  it('should read plurals, regular and irregular, as their nouns', () => {
    expect(taxonomy.lemma('puppies')).toBe('puppy');
    expect(taxonomy.lemma('boxes')).toBe('box');
    expect(taxonomy.lemma('children')).toBe('children');
    expect(isKindOf('children', 'person')).toBe(true);
    expect(isKindOf('puppies', 'dog')).toBe(true);
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
  });

  it('should reject a file that is not a taxonomy with INVALID_INPUT', () => {
    const directory = mkdtempSync(join(tmpdir(), 'neuromem-taxonomy-'));
    const wrong = join(directory, 'wrong.txt.gz');
    writeFileSync(wrong, gzipSync('hello\nworld\n'));
    expect(() => loadNounTaxonomy(wrong)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => loadNounTaxonomy(join(directory, 'missing.txt.gz'))).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    writeFileSync(wrong, 'not gzip');
    expect(() => loadNounTaxonomy(wrong)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => parseNounTaxonomy('neuromem.noun-taxonomy/v1\t5\t0\n')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('should read a small hand-written hierarchy, taking the first senses asked for', () => {
    // 0 entity; 1 animal < 0; 2 dog < 1; 3 hot dog < 0 (a second sense of "dog").
    const text = ['neuromem.noun-taxonomy/v1\t4\t3', '\t3', '0\t1', '1\t0', '0\t0', 'animal\t1', 'dog\t2,3', 'entity\t0'].join('\n');
    const small = parseNounTaxonomy(text, { senses: 1 });
    expect([...small.closure('dog')].sort()).toEqual([0, 1, 2]);
    expect([...parseNounTaxonomy(text).closure('dogs')].sort()).toEqual([0, 1, 2, 3]);
  });
});

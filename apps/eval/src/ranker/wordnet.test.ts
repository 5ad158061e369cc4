import { rmSync } from 'node:fs';
import { loadWordNet } from './wordnet';
import { writeWordNetFixture } from './wordnet-fixture';

describe('loadWordNet', () => {
  let directory: string;
  beforeAll(() => (directory = writeWordNetFixture()));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('should offer synonyms first, then the words of broader synsets', () => {
    const wordnet = loadWordNet(directory);
    expect(wordnet.alternatives('puppy')).toEqual(['pup', 'dog', 'domestic dog']);
    expect(wordnet.alternatives('beagle')).toEqual(['dog', 'domestic dog']);
    expect(wordnet.alternatives('buy')).toEqual(['purchase', 'acquire']);
  });

  it('should find the base form of an inflected word by the exception lists and suffix rules', () => {
    const wordnet = loadWordNet(directory);
    expect(wordnet.alternatives('bought')).toEqual(['purchase', 'acquire']);
    expect(wordnet.alternatives('puppies')).toEqual(['pup', 'dog', 'domestic dog']);
    expect(wordnet.alternatives('Beagles')).toEqual(['dog', 'domestic dog']);
  });

  it('should give nothing for a word it does not know, or one with no other words', () => {
    const wordnet = loadWordNet(directory);
    expect(wordnet.alternatives('zebra')).toEqual([]);
    expect(wordnet.alternatives('mice')).toEqual([]);
  });

  it('should name how to install WordNet when its files are missing', () => {
    expect(() => loadWordNet('/nonexistent/wordnet')).toThrow(expect.objectContaining({ code: 'NOT_FOUND', message: expect.stringContaining('wordnet-base') }));
  });
});

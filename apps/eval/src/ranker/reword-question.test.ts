import { rmSync } from 'node:fs';
import { rewordQuestion } from './reword-question';
import { loadWordNet, type WordNet } from './wordnet';
import { writeWordNetFixture } from './wordnet-fixture';

/** Closeness by a fixed table (1 for anything not listed), so each test says which alternative wins. */
const closenessOf =
  (table: Record<string, number>) =>
  (_word: string, alternative: string): number =>
    table[alternative] ?? 1;

describe('rewordQuestion', () => {
  let directory: string;
  let wordnet: WordNet;
  beforeAll(() => {
    directory = writeWordNetFixture();
    wordnet = loadWordNet(directory);
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('should say the words shared with the evidence otherwise, by the closest alternative', () => {
    const closeness = closenessOf({ pup: 0.5, dog: 0.8, 'domestic dog': 0.6, purchase: 0.9, acquire: 0.4 });
    expect(rewordQuestion('When did Maya buy the puppy?', ['We are buying puppies next week.'], wordnet, closeness)).toBe('When did Maya purchase the dog?');
  });

  it('should keep names, function words and the words the evidence does not share', () => {
    // "Beagle" is a name here (capitalized after the first word); "puppy" is not in the evidence.
    expect(rewordQuestion('Did Beagle buy a puppy?', ['Beagle is buying a kitten.'], wordnet, closenessOf({}))).toBe('Did Beagle purchase a puppy?');
  });

  it('should never bring in a word the evidence or the question already has', () => {
    // "dog" is in the evidence, so "beagle" can only become "domestic dog"... whose "dog" is shared too: dropped.
    expect(rewordQuestion('Which beagle is hers?', ['Her beagle is the dog on the left.'], wordnet, closenessOf({}))).toBe('Which is hers?');
  });

  it('should drop a shared word whose alternatives are all too far in meaning', () => {
    expect(rewordQuestion('What did she buy?', ['She buys shoes.'], wordnet, closenessOf({ purchase: 0.1, acquire: 0.2 }))).toBe('What did she?');
  });

  it('should give undefined when the question shares no word with its evidence', () => {
    expect(rewordQuestion('What pet does Maya have?', ['We got a beagle.'], wordnet, closenessOf({}))).toBeUndefined();
  });
});

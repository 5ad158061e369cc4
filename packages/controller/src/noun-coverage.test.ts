import { createNounCoverage } from './noun-coverage';
import { defaultNounTaxonomy } from './noun-taxonomy';

describe('createNounCoverage', () => {
  const taxonomy = defaultNounTaxonomy();

  it('should find what a question asks about in a memory that names it or a kind of it', () => {
    const dog = createNounCoverage('How old is my dog?', taxonomy)!;
    expect(dog.nouns).toEqual(['dog']);
    expect(dog.cover('My dog turned three.')).toEqual([1]);
    const [beagle] = dog.cover('I adopted a beagle called Biscuit.');
    expect(beagle).toBeGreaterThan(0.3);
    expect(beagle).toBeLessThan(1);
  });

  it('should not take a near concept for the one asked about', () => {
    // Word vectors put these side by side; WordNet does not put one under the other.
    expect(createNounCoverage('How old is my dog?', taxonomy)!.cover('My cat Luna is three.')).toEqual([0]);
    expect(createNounCoverage("What is my brother's name?", taxonomy)!.cover('My sister Meera is getting married.')).toEqual([0]);
  });

  it('should give one number per noun, in the question order, and leave verbs out', () => {
    const coverage = createNounCoverage('Which fish does my teacher drive to lessons?', taxonomy)!;
    expect(coverage.nouns).toEqual(['fish', 'teacher', 'lesson']);
    const [fish, teacher, lesson] = coverage.cover('I caught a salmon; my lessons are on Tuesday.');
    expect(fish).toBeGreaterThan(0);
    expect(teacher).toBe(0);
    expect(lesson).toBe(1);
  });

  it('should have nothing to say of a question without a noun', () => {
    expect(createNounCoverage('Where did I grow up?', taxonomy)).toBeUndefined();
    expect(createNounCoverage('', taxonomy)).toBeUndefined();
  });
});

import { broaderTermsScorer } from './broader-terms';
import { defaultNounTaxonomy } from './noun-taxonomy';

describe('broaderTermsScorer', () => {
  const taxonomy = defaultNounTaxonomy();

  it('should score a memory that names a kind of what the question asks about, and not one that does not', () => {
    const score = broaderTermsScorer('What animal joined the household?', taxonomy)!;
    expect(score('We finally got a puppy, a little beagle called Biscuit.')).toBeGreaterThan(0);
    expect(score('Work moved me to the night shift in the emergency department.')).toBe(0);
  });

  it('should score a narrower question word higher than a broader one', () => {
    const memory = 'I adopted a beagle last spring.';
    expect(broaderTermsScorer('Which dog did she adopt?', taxonomy)!(memory)).toBeGreaterThan(broaderTermsScorer('Which animal did she adopt?', taxonomy)!(memory));
  });

  it('should leave a word both say to the lexical factors', () => {
    expect(broaderTermsScorer('What sport does he play?', taxonomy)!('Sport is not my thing, he says.')).toBe(0);
    expect(broaderTermsScorer('Which dogs?', taxonomy)!('The dog barked.')).toBe(0);
  });

  it('should average over the question nouns, within 0..1', () => {
    const one = broaderTermsScorer('Which sport?', taxonomy)!('Youssef made the junior hockey team.');
    const two = broaderTermsScorer('Which sport at the museum?', taxonomy)!('Youssef made the junior hockey team.');
    expect(one).toBeGreaterThan(0);
    expect(one).toBeLessThanOrEqual(1);
    expect(two).toBeCloseTo(one / 2, 6);
  });

  it('should have nothing to score for a question without nouns', () => {
    expect(broaderTermsScorer('When did it happen?', taxonomy)).toBeUndefined();
    expect(broaderTermsScorer('', taxonomy)).toBeUndefined();
  });
});

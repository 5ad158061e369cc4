import { normalizeAnswer } from './normalize-answer';
import { locomoF1, multiAnswerF1, tokenF1 } from './token-f1';

describe('normalizeAnswer', () => {
  it('should lower-case, drop ASCII punctuation and collapse white space', () => {
    expect(normalizeAnswer('  Hello,   World!  (again)\t')).toBe('hello world again');
  });

  it('should drop a, an, the and also "and", as LoCoMo does, but only as whole words', () => {
    expect(normalizeAnswer('The cat and a dog ate an apple')).toBe('cat dog ate apple');
    expect(normalizeAnswer('Theater, Andes, banana')).toBe('theater andes banana');
  });

  it('should treat accented letters as word characters like Python regex does', () => {
    expect(normalizeAnswer('café the éthe')).toBe('café éthe');
  });

  it('should keep non-ASCII punctuation, which Python string.punctuation does not list', () => {
    expect(normalizeAnswer('“Becoming Nicole” — a memoir')).toBe('“becoming nicole” — memoir');
  });
});

describe('tokenF1', () => {
  it('should give 1 for the same answer up to case, articles and punctuation', () => {
    expect(tokenF1('The Eiffel Tower.', 'eiffel tower')).toBe(1);
  });

  it('should give the harmonic mean of token precision and recall for a partial answer', () => {
    // predicted: {went, to, paris, last} 4 tokens; gold: {paris} 1 token; overlap 1 -> P 1/4, R 1.
    expect(tokenF1('went to Paris last', 'Paris')).toBeCloseTo((2 * 0.25 * 1) / 1.25, 10);
    // overlap {sweden}: P 1/2, R 1/3.
    expect(tokenF1('Sweden trip', 'home country Sweden')).toBeCloseTo((2 * (1 / 2) * (1 / 3)) / (1 / 2 + 1 / 3), 10);
  });

  it('should count repeated tokens only as often as the gold answer has them', () => {
    expect(tokenF1('dog dog dog', 'dog')).toBeCloseTo((2 * (1 / 3) * 1) / (1 / 3 + 1), 10);
  });

  it('should match inflections through the stemmer but keep years intact', () => {
    expect(tokenF1('running races', 'runs race')).toBe(1);
    expect(tokenF1('2023', '2023')).toBe(1);
    expect(tokenF1('May 2023', 'May 2022')).toBe(0.5);
  });

  it('should give 0 when either side is empty or only articles', () => {
    expect(tokenF1('', 'Paris')).toBe(0);
    expect(tokenF1('Paris', '')).toBe(0);
    expect(tokenF1('the', 'a')).toBe(0);
    expect(tokenF1('London', 'Paris')).toBe(0);
  });
});

describe('multiAnswerF1', () => {
  it('should credit each gold item with its best predicted item, in any order', () => {
    expect(multiAnswerF1('pottery, painting', 'Painting, pottery')).toBe(1);
    expect(multiAnswerF1('painting', 'painting, pottery')).toBe(0.5);
    expect(multiAnswerF1('painting, pottery, swimming', 'painting')).toBe(1);
  });
});

describe('locomoF1', () => {
  it('should split multi-hop answers on commas and score the rest as one answer', () => {
    expect(locomoF1('pottery, painting', 'painting, pottery', 1)).toBe(1);
    // Not split: the commas vanish in normalization and the tokens are compared as one bag.
    expect(locomoF1('pottery, painting', 'painting, pottery', 4)).toBe(1);
    expect(locomoF1('painting', 'painting, pottery', 1)).toBe(0.5);
    expect(locomoF1('painting', 'painting, pottery', 4)).toBeCloseTo(2 / 3, 10);
  });

  it('should score open-domain answers against the first ";" alternative only', () => {
    expect(locomoF1('Liberal', 'Liberal; because she supports LGBTQ rights', 3)).toBe(1);
    expect(locomoF1('Liberal', 'Liberal; because she supports LGBTQ rights', 4)).toBeLessThan(1);
  });

  it('should give adversarial answers 1 only when they decline', () => {
    expect(locomoF1('Not mentioned in the conversation', 'anything', 5)).toBe(1);
    expect(locomoF1('No information available.', 'anything', 5)).toBe(1);
    expect(locomoF1('She went to Paris', 'anything', 5)).toBe(0);
  });
});

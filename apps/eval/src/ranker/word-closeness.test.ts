import { wordCloseness } from './word-closeness';

describe('wordCloseness', () => {
  it('should find a word closer to a near synonym than to an unrelated word, and phrases by their summed words', () => {
    const closeness = wordCloseness();
    expect(closeness('puppy', 'puppy')).toBeCloseTo(1, 5);
    expect(closeness('puppy', 'dog')).toBeGreaterThan(closeness('puppy', 'spreadsheet'));
    expect(closeness('purchase', 'buy')).toBeGreaterThan(0.35);
    expect(closeness('school', 'educational institution')).toBeGreaterThan(closeness('school', 'train'));
  });
});

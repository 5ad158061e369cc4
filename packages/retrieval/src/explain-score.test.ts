import { emptyFeatures } from './features';
import { explainScore } from './explain-score';

describe('explainScore', () => {
  it('should list the factors that moved the score most, with value and signed contribution', () => {
    const factors = emptyFeatures();
    const contributions = emptyFeatures();
    factors.lexical = 0.82;
    contributions.lexical = 1.31;
    factors.speakerNamed = 1;
    contributions.speakerNamed = 0.44;
    factors.recency = 0.1;
    contributions.recency = -0.05;
    factors.length = 0.5;
    contributions.length = -0.9;
    expect(explainScore({ factors, contributions, logit: 0.8 }, { top: 3 })).toBe('lexical 0.82 (+1.31) · length 0.50 (−0.90) · speakerNamed 1 (+0.44)');
    expect(explainScore({ factors, contributions, logit: 0.8, restates: 'm1' }, { top: 1 })).toBe('lexical 0.82 (+1.31) · restates m1');
  });

  it('should say nothing for results without a breakdown', () => {
    expect(explainScore(undefined)).toBe('');
  });
});

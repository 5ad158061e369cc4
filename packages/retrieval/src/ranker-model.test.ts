import { emptyFeatures } from './features';
import { DEFAULT_RANKER } from './default-ranker';
import { HAND_SET_RANKER, parseRankerModel, scoreWithRanker } from './ranker-model';

describe('ranker models', () => {
  it('should score as the sigmoid of bias plus the sum of contributions', () => {
    const features = emptyFeatures();
    features.turnSimilarity = 0.6;
    features.graph = 1;
    const { score, contributions } = scoreWithRanker(HAND_SET_RANKER, features);
    expect(contributions.turnSimilarity).toBeCloseTo(0.48);
    expect(contributions.graph).toBeCloseTo(0.1);
    expect(contributions.lexical).toBe(0);
    expect(score).toBeCloseTo(1 / (1 + Math.exp(-0.58)));
  });

  it('should load the shipped ranker, fitted on every factor', () => {
    expect(DEFAULT_RANKER.format).toBe('neuromem.ranker/v1');
    expect(DEFAULT_RANKER.features.length).toBeGreaterThan(4);
    expect(DEFAULT_RANKER.fittedOn).toMatchObject({ loss: 'listwise softmax cross-entropy' });
  });

  it('should reject broken model files with a typed error', () => {
    const valid = { ...HAND_SET_RANKER };
    expect(() => parseRankerModel(null)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => parseRankerModel({ ...valid, format: 'other' })).toThrow(/neuromem.ranker\/v1/);
    expect(() => parseRankerModel({ ...valid, features: ['turnSimilarity', 'shoeSize', 'recency', 'importance'] })).toThrow(/shoeSize/);
    expect(() => parseRankerModel({ ...valid, weights: [1, 2] })).toThrow(/weights must hold 4/);
    expect(() => parseRankerModel({ ...valid, mean: [0, Number.NaN, 0, 0] })).toThrow(/mean/);
    expect(() => parseRankerModel({ ...valid, scale: [1, 0, 1, 1] })).toThrow(/scale must be positive/);
    expect(() => parseRankerModel({ ...valid, bias: Infinity })).toThrow(/bias/);
  });
});

import { FEATURES, emptyFeatures } from './features';
import { DEFAULT_RANKER } from './default-ranker';
import { HAND_SET_RANKER, logitOf, parseRankerModel, scoreWithRanker, type RankerModel } from './ranker-model';

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

  it('should load the shipped ranker, fitted on every factor but wordMatch (which only the relevance gate reads) with a hidden layer', () => {
    expect(DEFAULT_RANKER.format).toBe('neuromem.ranker/v2');
    expect(DEFAULT_RANKER.features).toEqual(FEATURES.filter((feature) => feature !== 'wordMatch'));
    expect(DEFAULT_RANKER.hidden!.output.length).toBeGreaterThan(0);
    expect(DEFAULT_RANKER.fittedOn).toMatchObject({ loss: 'listwise softmax cross-entropy' });
  });

  it('should reject broken model files with a typed error', () => {
    const valid = { ...HAND_SET_RANKER };
    expect(() => parseRankerModel(null)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => parseRankerModel({ ...valid, format: 'other' })).toThrow(/neuromem.ranker\/v1/);
    expect(() => parseRankerModel({ ...valid, hidden: WITH_HIDDEN.hidden })).toThrow(/only format "neuromem.ranker\/v2"/);
    expect(() => parseRankerModel({ ...valid, features: ['turnSimilarity', 'shoeSize', 'recency', 'importance'] })).toThrow(/shoeSize/);
    expect(() => parseRankerModel({ ...valid, weights: [1, 2] })).toThrow(/weights must hold 4/);
    expect(() => parseRankerModel({ ...valid, mean: [0, Number.NaN, 0, 0] })).toThrow(/mean/);
    expect(() => parseRankerModel({ ...valid, scale: [1, 0, 1, 1] })).toThrow(/scale must be positive/);
    expect(() => parseRankerModel({ ...valid, bias: Infinity })).toThrow(/bias/);
  });

  describe('with a hidden layer (v2)', () => {
    it('should add each unit as output · tanh(bias + weights · standardized features)', () => {
      const features = emptyFeatures();
      features.lexical = 1;
      features.semanticSimilarity = 0.5;
      // z = (1 - 0.5) / 0.5 = 1 and (0.5 - 0) / 1 = 0.5
      const linear = 0.2 + 1 * 1 + 2 * 0.5;
      const hidden = 3 * Math.tanh(0.1 + 1 * 1 - 1 * 0.5) + -1 * Math.tanh(0 + 0.5 * 1 + 0 * 0.5);
      expect(logitOf(WITH_HIDDEN, features)).toBeCloseTo(linear + hidden, 10);
      expect(scoreWithRanker(WITH_HIDDEN, features).logit).toBeCloseTo(linear + hidden, 10);
      expect(scoreWithRanker(WITH_HIDDEN, features).score).toBeCloseTo(1 / (1 + Math.exp(-(linear + hidden))), 10);
    });

    it("should split each unit's output among the factors by their share of its input", () => {
      const features = emptyFeatures();
      features.lexical = 1;
      features.semanticSimilarity = 0.5;
      const { contributions } = scoreWithRanker(WITH_HIDDEN, features);
      const unit1 = 3 * Math.tanh(0.6);
      const unit2 = -1 * Math.tanh(0.5);
      expect(contributions.lexical).toBeCloseTo(1 + (unit1 * 1) / 0.6 + unit2, 10);
      expect(contributions.semanticSimilarity).toBeCloseTo(1 + (unit1 * -0.5) / 0.6, 10);
      expect(contributions.turnSimilarity).toBe(0);
    });

    it('should round-trip through JSON and reject hidden layers of the wrong shape', () => {
      expect(parseRankerModel(JSON.parse(JSON.stringify(WITH_HIDDEN)))).toEqual(WITH_HIDDEN);
      const broken = (hidden: unknown) => () => parseRankerModel({ ...WITH_HIDDEN, hidden });
      expect(broken(undefined)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringMatching(/hidden must hold weights/) }));
      expect(broken({ ...WITH_HIDDEN.hidden, weights: [[1], [1, 2]] })).toThrow(/rows must hold 2 finite numbers/);
      expect(broken({ ...WITH_HIDDEN.hidden, weights: [[1, Number.NaN]], bias: [0], output: [1] })).toThrow(/rows must hold 2/);
      expect(broken({ ...WITH_HIDDEN.hidden, output: [1] })).toThrow(/bias and .output must hold 2/);
    });
  });
});

/** Two features, two hidden units: small enough to check by hand. */
const WITH_HIDDEN: RankerModel = {
  format: 'neuromem.ranker/v2',
  features: ['lexical', 'semanticSimilarity'],
  mean: [0.5, 0],
  scale: [0.5, 1],
  weights: [1, 2],
  bias: 0.2,
  hidden: {
    weights: [
      [1, -1],
      [0.5, 0],
    ],
    bias: [0.1, 0],
    output: [3, -1],
  },
};

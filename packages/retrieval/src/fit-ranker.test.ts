import { emptyFeatures, type FeatureVector } from './features';
import { fitRanker, type RankingExample } from './fit-ranker';
import { scoreWithRanker } from './ranker-model';

/** A tiny seeded generator, so the synthetic data is the same on every run. */
function random(seed: number) {
  let state = seed;
  return () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

/** Relevant candidates have higher `lexical`; `length` is noise; `speakerNamed` helps a little. */
function syntheticQueries(n: number, seed: number): RankingExample[] {
  const next = random(seed);
  return Array.from({ length: n }, () => {
    const candidates: FeatureVector[] = [];
    const relevant: boolean[] = [];
    for (let i = 0; i < 30; i++) {
      const isRelevant = i < 2;
      const f = emptyFeatures();
      f.lexical = (isRelevant ? 0.5 : 0) + next() * 0.6;
      f.speakerNamed = next() < (isRelevant ? 0.7 : 0.4) ? 1 : 0;
      f.length = next();
      candidates.push(f);
      relevant.push(isRelevant);
    }
    return { candidates, relevant };
  });
}

const recallAt = (examples: RankingExample[], score: (f: FeatureVector) => number, k: number) =>
  examples.reduce((sum, { candidates, relevant }) => {
    const top = candidates
      .map((f, i) => ({ i, s: score(f) }))
      .sort((a, b) => b.s - a.s)
      .slice(0, k);
    return sum + top.filter(({ i }) => relevant[i]).length / relevant.filter(Boolean).length;
  }, 0) / examples.length;

describe('fitRanker', () => {
  it('should learn to weigh the informative factors and ignore noise', () => {
    const model = fitRanker(syntheticQueries(200, 1), { features: ['lexical', 'speakerNamed', 'length'] });
    const weight = (name: string) => model.weights[model.features.indexOf(name as never)]!;
    expect(weight('lexical')).toBeGreaterThan(1);
    expect(weight('speakerNamed')).toBeGreaterThan(0.1);
    expect(Math.abs(weight('length'))).toBeLessThan(weight('speakerNamed'));
  });

  it('should rank held-out queries better than a single factor alone', () => {
    const model = fitRanker(syntheticQueries(200, 2), { features: ['lexical', 'speakerNamed', 'length'] });
    const heldOut = syntheticQueries(200, 3);
    const fitted = recallAt(heldOut, (f) => scoreWithRanker(model, f).score, 2);
    const lengthOnly = recallAt(heldOut, (f) => f.length, 2);
    expect(fitted).toBeGreaterThan(0.8);
    expect(fitted).toBeGreaterThan(lengthOnly + 0.5);
  });

  it('should calibrate scores so relevant candidates get higher probabilities on average', () => {
    const examples = syntheticQueries(100, 4);
    const model = fitRanker(examples, { features: ['lexical'] });
    const scores = examples.flatMap(({ candidates, relevant }) => candidates.map((f, i) => ({ p: scoreWithRanker(model, f).score, y: relevant[i] })));
    const mean = (ys: boolean) => scores.filter((s) => s.y === ys).reduce((a, s) => a + s.p, 0) / scores.filter((s) => s.y === ys).length;
    expect(mean(true)).toBeGreaterThan(mean(false) + 0.2);
    // About 2 in 30 candidates are relevant, and the mean probability should say so.
    expect(scores.reduce((a, s) => a + s.p, 0) / scores.length).toBeCloseTo(2 / 30, 1);
  });

  it('should refuse examples with nothing to learn from', () => {
    const f = emptyFeatures();
    expect(() => fitRanker([])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => fitRanker([{ candidates: [f, f], relevant: [false, false] }])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  describe('with a hidden layer', () => {
    /** Relevant when exactly one of two factors is high: no weighted sum of the two can tell. */
    function eitherButNotBoth(n: number, seed: number): RankingExample[] {
      const next = random(seed);
      return Array.from({ length: n }, () => {
        const candidates: FeatureVector[] = [];
        const relevant: boolean[] = [];
        for (let i = 0; i < 20; i++) {
          const f = emptyFeatures();
          f.lexical = next();
          f.semanticSimilarity = next();
          candidates.push(f);
          relevant.push(f.lexical > 0.5 !== f.semanticSimilarity > 0.5);
        }
        return { candidates, relevant };
      });
    }

    it('should learn an interaction that a linear ranker cannot', () => {
      const features = ['lexical', 'semanticSimilarity'] as const;
      const training = eitherButNotBoth(150, 5);
      const heldOut = eitherButNotBoth(150, 6);
      const linear = fitRanker(training, { features: [...features] });
      const hidden = fitRanker(training, { features: [...features], hidden: 8 });
      expect(hidden.format).toBe('neuromem.ranker/v2');
      expect(hidden.hidden!.output).toHaveLength(8);
      expect(hidden.fittedOn).toMatchObject({ hidden: 8 });
      const precisionAt5 = (model: typeof linear) => recallAt(heldOut, (f) => scoreWithRanker(model, f).logit, 5);
      expect(precisionAt5(hidden)).toBeGreaterThan(precisionAt5(linear) + 0.15);
    });

    it('should give the same model for the same data and seed, another for another seed', () => {
      const training = eitherButNotBoth(30, 7);
      const fit = (seed: number) => fitRanker(training, { features: ['lexical', 'semanticSimilarity'], hidden: 4, steps: 20, seed });
      expect(fit(3)).toEqual(fit(3));
      expect(fit(3).hidden).not.toEqual(fit(4).hidden);
    });

    it('should refuse a hidden size that is not a whole number from 0 to 256', () => {
      const training = eitherButNotBoth(5, 8);
      for (const hidden of [-1, 1.5, Number.NaN, 1000]) expect(() => fitRanker(training, { hidden })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    });
  });
});

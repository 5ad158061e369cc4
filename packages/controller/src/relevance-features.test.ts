import { defaultNounTaxonomy } from './noun-taxonomy';
import { CALIBRATED_LIST, QUESTION_FEATURES, questionFeatures, resultFeatures } from './relevance-features';

const result = (text: string, logit: number, turnSimilarity = 0.3) => ({ text, logit, factors: { turnSimilarity, semanticSimilarity: 0.2 } });

describe('resultFeatures', () => {
  it("should measure how much of the question's wording each result and the whole list hold", () => {
    const [first, second] = resultFeatures('Where does my sister live now?', [result('My sister lives in Lisbon.', -1), result('She moved there in May.', -3)]);
    // Content words of the question: sister, live (stop words such as "where", "does", "my", "now" left out).
    expect(first).toMatchObject({ coverage: 1, topCoverage: 1, unionCoverage: 1, rank: 0, logitGap: 0 });
    expect(second).toMatchObject({ coverage: 0, topCoverage: 1, rank: Math.log1p(1), logitGap: 2 });
  });

  it('should read list-wide features from the first results only, so asking for more results changes no score', () => {
    const list = Array.from({ length: CALIBRATED_LIST }, (_, i) => result(`nothing relevant ${i}`, -i));
    const longer = [...list, result('my sister lives in Lisbon', 5, 0.9)];
    expect(resultFeatures('sister lives', longer).slice(0, CALIBRATED_LIST)).toEqual(resultFeatures('sister lives', list));
  });

  it("should rank results by logit, so a list put in another order keeps each result's features", () => {
    const [older, newer] = resultFeatures('sister lives', [result('my sister lives in Porto', -1), result('my sister lives in Lisbon now', -0.5)]);
    expect(older).toMatchObject({ rank: Math.log1p(1), logitGap: 0.5 });
    expect(newer).toMatchObject({ rank: 0, logitGap: 0 });
  });

  it('should give finite features for a question without content words, NaN factors and an empty list', () => {
    const [row] = resultFeatures('what is it?', [{ text: 'anything', logit: Number.NaN, factors: { turnSimilarity: Number.NaN } }]);
    expect(Object.values(row!).every(Number.isFinite)).toBe(true);
    expect(resultFeatures('anything', [])).toEqual([]);
    expect(Object.values(questionFeatures([], [])).every(Number.isFinite)).toBe(true);
  });

  it('should describe a list by its best probability and its best similarities', () => {
    const rows = resultFeatures('sister', [result('my sister', -1, 0.2), result('a brother', -2, 0.6)]);
    const features = questionFeatures(rows, [0.3, 0.1]);
    expect(features).toMatchObject({
      bestRelevance: Math.log(0.3),
      topTurnSimilarity: 0.6,
      topSemanticSimilarity: 0.2,
      topCoverage: 1,
      unionCoverage: 1,
      statementCoverage: 1,
      topStatementSimilarity: 0.6,
      listRelevance: Math.log(0.4),
      candidates: Math.log1p(2),
    });
    // Each also at the list's size: one slope per size, not just a shift.
    expect(features.bestRelevanceAtSize).toBeCloseTo(Math.log(0.3) * Math.log1p(2), 12);
    expect(features.topCoverageAtSize).toBeCloseTo(Math.log1p(2), 12);
    expect(Object.keys(features).sort()).toEqual([...QUESTION_FEATURES].sort());
  });

  it('should tell a list chosen among a few memories from one chosen among hundreds, counting at least the list', () => {
    const rows = resultFeatures('sister', [result('my sister', -1, 0.2), result('a brother', -2, 0.6)]);
    expect(questionFeatures(rows, [0.3, 0.1], 12).candidates).toBeCloseTo(Math.log(13), 12);
    expect(questionFeatures(rows, [0.3, 0.1], 300).candidates).toBeCloseTo(Math.log(301), 12);
    expect(questionFeatures(rows, [0.3, 0.1], 1).candidates).toBeCloseTo(Math.log(3), 12);
    expect(questionFeatures(rows, [0.3, 0.1], Number.NaN).candidates).toBeCloseTo(Math.log(3), 12);
  });

  it('should tell a list expected to hold several answers from one with a single likely answer', () => {
    const rows = resultFeatures(
      'sister',
      Array.from({ length: CALIBRATED_LIST + 2 }, (_, i) => result(`my sister ${i}`, -i, 0.5)),
    );
    const one = questionFeatures(rows, [0.4, ...Array.from({ length: CALIBRATED_LIST + 1 }, () => 0.01)]);
    const several = questionFeatures(rows, [0.4, 0.35, 0.3, ...Array.from({ length: CALIBRATED_LIST - 1 }, () => 0.01)]);
    expect(several.bestRelevance).toBe(one.bestRelevance);
    expect(several.listRelevance).toBeGreaterThan(one.listRelevance + 0.5);
    // Only the first results count, as for every list feature.
    expect(one.listRelevance).toBeCloseTo(Math.log(0.4 + 0.01 * (CALIBRATED_LIST - 1)), 10);
  });

  it('should not count a question kept as a memory as evidence the list holds the answer', () => {
    // A chat keeps its user's questions: the same question asked again finds it, word for word.
    const echo = { text: 'Where does my sister live?', logit: 0, factors: { turnSimilarity: 0.95, questionEcho: 0.95 } };
    const rows = resultFeatures('Where does my sister live now?', [echo, result('We talked about the weather.', -2, 0.1)]);
    expect(rows[0]).toMatchObject({ unionCoverage: 1, statementCoverage: 0 });
    expect(questionFeatures(rows, [0.2, 0.1])).toMatchObject({ topTurnSimilarity: 0.95, topStatementSimilarity: 0.1, statementCoverage: 0 });
  });

  describe('the noun features (WordNet)', () => {
    const taxonomy = defaultNounTaxonomy();

    it('should tell a memory that names what is asked, or a kind of it, from one that names only something near it', () => {
      const [beagle, cat] = resultFeatures('How old is my dog?', [result('I adopted a beagle last spring.', -1), result('My cat is three.', -2)], { taxonomy });
      expect(beagle!.nounCoverage).toBeGreaterThan(0.3);
      expect(cat!.nounCoverage).toBe(0);
      // The list names a kind of dog somewhere.
      expect(cat!.unionNounCoverage).toBe(beagle!.nounCoverage);
      const [sister] = resultFeatures("What is my brother's name?", [result('My sister Meera is getting married.', -1)], { taxonomy });
      expect(sister).toMatchObject({ nounCoverage: 0, unionNounCoverage: 0 });
    });

    it('should have nothing to tell without a taxonomy or without a noun in the question', () => {
      expect(resultFeatures('How old is my dog?', [result('My dog is three.', -1)])[0]).toMatchObject({ nounCoverage: 0.5, unionNounCoverage: 0.5 });
      expect(resultFeatures('Where did I grow up?', [result('My dog is three.', -1)], { taxonomy })[0]).toMatchObject({ nounCoverage: 0.5, unionNounCoverage: 0.5 });
    });

    it('should not count a question kept as a memory as naming what it asks', () => {
      const echo = { text: 'How old is my dog?', logit: 0, factors: { turnSimilarity: 0.95, questionEcho: 0.95 } };
      const [row] = resultFeatures('How old is my dog?', [echo], { taxonomy });
      expect(row).toMatchObject({ nounCoverage: 1, unionNounCoverage: 0 });
    });

    it('should give the list its best and union coverage, and again for questions about their asker only', () => {
      const mine = questionFeatures(resultFeatures('How old is my dog?', [result('My dog is three.', -1)], { taxonomy }), [0.4]);
      expect(mine).toMatchObject({ firstPerson: 1, topNounCoverage: 1, unionNounCoverage: 1, topNounCoverageAtFirstPerson: 1, unionNounCoverageAtFirstPerson: 1 });
      const theirs = questionFeatures(resultFeatures("How old is Maria's dog?", [result('Maria has a dog.', -1)], { taxonomy }), [0.4]);
      expect(theirs).toMatchObject({ firstPerson: 0, topNounCoverage: 1, topNounCoverageAtFirstPerson: 0, unionNounCoverageAtFirstPerson: 0 });
    });
  });
});

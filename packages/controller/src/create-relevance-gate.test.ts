import { createRandom } from '@neuromem/core/testing';
import { createRelevanceGate } from './create-relevance-gate';
import { defaultRelevance } from './default-relevance';
import { fitRelevance, type RelevanceExample } from './fit-relevance';
import { defaultNounTaxonomy } from './noun-taxonomy';
import { NOUN_FEATURES, QUESTION_FEATURES, RESULT_FEATURES, resultFeatures } from './relevance-features';

/**
 * Made-up queries whose answer, when there is one, is the first result and holds the question's
 * words; unanswerable queries get results that hold none of them.
 */
function queries(count: number, seed: number): RelevanceExample[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, (_, q) => {
    const answerable = q % 2 === 0;
    const texts = Array.from({ length: 10 }, (_, i) => (answerable && i === 0 ? 'the beagle is named biscuit' : `filler words number ${Math.floor(random() * 1000)}`));
    const features = resultFeatures(
      'what is the beagle named?',
      texts.map((text, i) => ({ text, logit: (answerable && i === 0 ? 1 : -2) - i * 0.1 + random() * 0.5, factors: { turnSimilarity: random() * 0.3, semanticSimilarity: random() * 0.3 } })),
    );
    return { answerable, results: features.map((f, i) => ({ features: f, useful: answerable && i === 0 })) };
  });
}

describe('createRelevanceGate', () => {
  const model = fitRelevance(queries(400, 1), { gate: 0.5 });
  const gate = createRelevanceGate(model);
  const results = (texts: string[]) => texts.map((text, i) => ({ text, logit: -i, factors: { turnSimilarity: 0.2, semanticSimilarity: 0.2 } }));

  it('should say a list holding the answer is relevant, and give its answer the highest probability', () => {
    const judged = gate.judge('what is the beagle named?', results(['the beagle is named biscuit', 'filler words number 7', 'filler words number 9']));
    expect(judged.relevant).toBe(true);
    expect(judged.answerable).toBeGreaterThan(0.5);
    expect(judged.scores[0]).toBeGreaterThan(Math.max(...judged.scores.slice(1)));
    judged.scores.forEach((score) => expect(score >= 0 && score <= 1).toBe(true));
  });

  it('should say nothing is relevant when no result holds what was asked, or when there are no results', () => {
    const judged = gate.judge('what is the beagle named?', results(['filler words number 1', 'filler words number 2']));
    expect(judged.relevant).toBe(false);
    expect(judged.answerable).toBeLessThan(0.5);
    expect(gate.judge('what is the beagle named?', [])).toEqual({ scores: [], answerable: 0, relevant: false });
  });

  it('should read how many memories the list was chosen from, when the fit learned what that says', () => {
    // The same middling list answers in a memory of a dozen memories and not in one of hundreds.
    const random = createRandom(3);
    const middling = () =>
      resultFeatures(
        'what is the beagle named?',
        Array.from({ length: 10 }, (_, i) => ({
          text: i === 0 ? 'my beagle chews shoes' : `filler words number ${i}`,
          logit: -1.5 - i * 0.1 + random() * 0.2,
          factors: { turnSimilarity: 0.2, semanticSimilarity: 0.2 },
        })),
      );
    const examples: RelevanceExample[] = Array.from({ length: 200 }, (_, q) => {
      const candidates = q % 2 === 0 ? 8 + (q % 10) : 200 + q;
      return { candidates, answerable: candidates < 100, results: middling().map((features, i) => ({ features, useful: candidates < 100 && i === 0 })) };
    });
    const sized = createRelevanceGate(fitRelevance([...examples, ...queries(100, 4)], { gate: 0.5 }));
    const list = results(['my beagle chews shoes', 'filler words number 1', 'filler words number 2']);
    const small = sized.judge('what is the beagle named?', list, { candidates: 12 });
    const large = sized.judge('what is the beagle named?', list, { candidates: 400 });
    expect(small.answerable).toBeGreaterThan(large.answerable);
    expect(small.scores).toEqual(large.scores); // each result's own probability does not depend on it
    // Without a count, the list alone is counted: as small as a memory gets.
    expect(sized.judge('what is the beagle named?', list).answerable).toBeCloseTo(sized.judge('what is the beagle named?', list, { candidates: 3 }).answerable, 12);
  });

  it('should refuse to fit without both answerable and unanswerable queries', () => {
    expect(() => fitRelevance(queries(10, 2).filter((q) => q.answerable))).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => fitRelevance(queries(10, 2), { gate: Number.NaN })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    // A query's weight in the answerability fit must be a finite number above 0.
    for (const weight of [Number.NaN, 0, -1, Number.POSITIVE_INFINITY]) {
      expect(() => fitRelevance(queries(10, 2).map((q, i) => (i === 0 ? { ...q, weight } : q)))).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    }
  });

  it('should read what a question asks about through the taxonomy it is given, when its model reads the noun features', async () => {
    // Lists alike in every score; only whether a kind of dog was ever named tells them apart.
    const taxonomy = defaultNounTaxonomy();
    const random = createRandom(7);
    const list = (animal: string) =>
      Array.from({ length: 5 }, (_, i) => ({
        text: i === 0 ? `we walked the ${animal} today` : `filler words number ${i}`,
        logit: -i + random() * 0.2,
        factors: { turnSimilarity: 0.3, semanticSimilarity: 0.3 },
      }));
    const examples: RelevanceExample[] = Array.from({ length: 200 }, (_, q) => {
      const answerable = q % 2 === 0;
      const features = resultFeatures('how old is my dog?', list(answerable ? 'beagle' : 'cat'), { taxonomy });
      return { answerable, results: features.map((f, i) => ({ features: f, useful: answerable && i === 0 })) };
    });
    const nouns = createRelevanceGate(fitRelevance(examples, { gate: 0.5 }), { taxonomy });
    await expect(nouns.ready()).resolves.toBeUndefined();
    expect(nouns.judge('how old is my dog?', list('beagle')).relevant).toBe(true);
    expect(nouns.judge('how old is my dog?', list('cat')).relevant).toBe(false);
  });

  it('should read the shipped taxonomy in the background for a model that reads the noun features, and be ready once it is', async () => {
    const shipped = createRelevanceGate(defaultRelevance());
    await shipped.ready();
    const judged = shipped.judge('how old is my dog?', results(['we walked the beagle today', 'filler words number 7']));
    expect(judged.answerable).toBeGreaterThan(0);
    expect(judged.answerable).toBeLessThan(1);
    // A model without them never needs it: judged without a taxonomy, its noun features stay at 0.5.
    const without = fitRelevance(queries(200, 3), {
      resultFeatures: RESULT_FEATURES.filter((f) => !(NOUN_FEATURES as readonly string[]).includes(f)),
      questionFeatures: QUESTION_FEATURES.filter((f) => !(NOUN_FEATURES as readonly string[]).includes(f)),
    });
    await expect(createRelevanceGate(without).ready()).resolves.toBeUndefined();
  });
});

import type { FeatureBag } from './feature-bag';
import { createFeatureExtractor } from './extract-features';
import { resolveHashingOptions } from './hashing-encoder-options';

/** A bag that records every feature it is given, in order. */
function recordingBag(): FeatureBag & { added: Array<[number, number]> } {
  const added: Array<[number, number]> = [];
  return { added, add: (hash, weight) => void added.push([hash, weight]), drainInto: () => undefined };
}

const featuresOf = (extract: (bag: FeatureBag) => void) => {
  const bag = recordingBag();
  extract(bag);
  return bag.added;
};

describe('createFeatureExtractor', () => {
  const TEXT = 'the lake at sunrise, and the lakes we walked to on 3 may: ok 🍣';

  it('should add the same features in the same order whether its words were seen before or not', () => {
    const options = resolveHashingOptions({});
    const fresh = createFeatureExtractor(options);
    const first = featuresOf((bag) => fresh.addWordFeatures(TEXT, bag));
    // The same words again, in another text first, then in this one.
    const seen = createFeatureExtractor(options);
    seen.addWordFeatures('we walked to the lakes at sunrise', recordingBag());
    expect(featuresOf((bag) => seen.addWordFeatures(TEXT, bag))).toEqual(first);
    expect(featuresOf((bag) => fresh.addWordFeatures(TEXT, bag))).toEqual(first);
    expect(first.length).toBeGreaterThan(30);
  });

  it('should weigh a seen word by the term weight of each call, not of the first', () => {
    const extractor = createFeatureExtractor(resolveHashingOptions({}));
    const plain = featuresOf((bag) => extractor.addWordFeatures('sunrise', bag));
    const doubled = featuresOf((bag) => extractor.addWordFeatures('sunrise', bag, () => 2));
    expect(doubled.map(([hash]) => hash)).toEqual(plain.map(([hash]) => hash));
    doubled.forEach(([, weight], i) => expect(weight).toBeCloseTo(2 * plain[i]![1], 12));
    // A weight of 0 adds the term at weight 0 and no n-grams, as before it was seen.
    expect(featuresOf((bag) => extractor.addWordFeatures('sunrise', bag, () => 0))).toEqual([[plain[0]![0], 0]]);
  });

  it('should give a word too long to keep the same features each time, computed afresh', () => {
    const extractor = createFeatureExtractor(resolveHashingOptions({}));
    const token = `id${'7f3a9c'.repeat(40)}`;
    const first = featuresOf((bag) => extractor.addWordFeatures(`see ${token} now`, bag));
    expect(featuresOf((bag) => extractor.addWordFeatures(`see ${token} now`, bag))).toEqual(first);
    expect(first.length).toBeGreaterThan(600);
  });

  it("should give a word's token features alone as it gives them inside a text", () => {
    const extractor = createFeatureExtractor(resolveHashingOptions({}));
    const alone = featuresOf((bag) => extractor.addWord('sunrise', bag));
    const inText = featuresOf((bag) => extractor.addWordFeatures('sunrise', bag));
    expect(alone).toEqual(inText);
  });
});

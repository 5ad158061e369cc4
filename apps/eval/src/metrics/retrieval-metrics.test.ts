import { firstDistinct, mean, ndcgAtK, percentile, recallAtK, reciprocalRank, sessionRecallAtK } from './retrieval-metrics';

describe('retrieval metrics', () => {
  const ranked = ['D1:1', 'D2:4', 'D1:1', 'D3:2', 'D2:5'];

  it('should count only the first k distinct turns', () => {
    expect(firstDistinct(ranked, 3)).toEqual(['D1:1', 'D2:4', 'D3:2']);
    expect(recallAtK(ranked, ['D3:2'], 2)).toBe(0);
    expect(recallAtK(ranked, ['D3:2'], 3)).toBe(1);
  });

  it('should give partial recall when only some evidence is retrieved', () => {
    expect(recallAtK(ranked, ['D1:1', 'D9:9'], 5)).toBe(0.5);
    expect(recallAtK(ranked, ['D1:1', 'D1:1'], 5)).toBe(1);
    expect(recallAtK([], ['D1:1'], 10)).toBe(0);
  });

  it('should refuse a question without evidence instead of scoring it', () => {
    expect(() => recallAtK(ranked, [], 5)).toThrow(RangeError);
  });

  it('should score sessions hit by the top-k turns', () => {
    const sessionOf = (id: string) => Number(/^D(\d+):/.exec(id)?.[1]);
    expect(sessionRecallAtK(ranked, ['D1:7', 'D3:9'], 2, sessionOf)).toBe(0.5);
    expect(sessionRecallAtK(ranked, ['D1:7', 'D3:9'], 3, sessionOf)).toBe(1);
    expect(sessionRecallAtK(ranked, ['D2:1', 'D2:2'], 5, sessionOf)).toBe(1);
  });

  it('should compute binary NDCG against the ideal ranking', () => {
    expect(ndcgAtK(['a', 'b'], ['a'], 10)).toBe(1);
    expect(ndcgAtK(['b', 'a'], ['a'], 10)).toBeCloseTo(1 / Math.log2(3), 10);
    expect(ndcgAtK(['b', 'a', 'c'], ['a', 'c'], 10)).toBeCloseTo((1 / Math.log2(3) + 1 / Math.log2(4)) / (1 + 1 / Math.log2(3)), 10);
    expect(ndcgAtK(['x'], ['a'], 10)).toBe(0);
  });

  it('should take the reciprocal rank of the first evidence turn', () => {
    expect(reciprocalRank(ranked, ['D3:2'])).toBeCloseTo(1 / 3, 10);
    expect(reciprocalRank(ranked, ['nope'])).toBe(0);
  });

  it('should take nearest-rank percentiles and means', () => {
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
    expect(percentile([], 50)).toBe(0);
    expect(mean([1, 2, 3])).toBe(2);
    expect(mean([])).toBe(0);
  });
});

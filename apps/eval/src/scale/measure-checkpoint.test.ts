import { splitByVisit } from './measure-checkpoint';

describe('splitByVisit', () => {
  it("should count a search as its user's first unless that user was searched before (warm-up included)", () => {
    const queries = ['a', 'b', 'a', 'c', 'b', 'c'].map((userId) => ({ userId, text: 'q' }));
    const split = splitByVisit(queries, [10, 20, 1, 30, 2, 3], new Set(['c']));
    expect(split.first).toEqual({ p50: 10, p95: 20, p99: 20, n: 2 });
    expect(split.later).toEqual({ p50: 2, p95: 30, p99: 30, n: 4 });
  });

  it('should report no latency, not zero, for a side without searches', () => {
    const split = splitByVisit([{ userId: 'a', text: 'q' }], [5], new Set(['a']));
    expect(split.first.n).toBe(0);
    expect(split.first.p50).toBeNaN();
    expect(split.later).toEqual({ p50: 5, p95: 5, p99: 5, n: 1 });
  });
});

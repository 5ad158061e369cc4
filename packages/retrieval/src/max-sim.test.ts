import { maxSim } from './max-sim';

const v = (...xs: number[]) => Float32Array.from(xs);

describe('maxSim', () => {
  it('should average each query token best match', () => {
    expect(maxSim([v(1, 0), v(0, 1)], [v(1, 0), v(0.6, 0.8)])).toBeCloseTo((1 + 0.8) / 2);
  });
  it('should reward a memory that covers every query token over one that repeats one', () => {
    const query = [v(1, 0), v(0, 1)];
    expect(maxSim(query, [v(1, 0), v(0, 1)])).toBeGreaterThan(maxSim(query, [v(1, 0), v(1, 0), v(1, 0)]));
  });
  it('should be 0 when either side has no tokens', () => {
    expect(maxSim([], [v(1, 0)])).toBe(0);
    expect(maxSim([v(1, 0)], [])).toBe(0);
  });
});

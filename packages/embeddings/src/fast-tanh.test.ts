import { fastTanh } from './fast-tanh';

describe('fastTanh', () => {
  it('should stay within 3e-7 of Math.tanh from -20 to 20', () => {
    let worst = 0;
    for (let x = -20; x <= 20; x += 1e-3) worst = Math.max(worst, Math.abs(fastTanh(x) - Math.tanh(x)));
    expect(worst).toBeLessThan(3e-7);
  });

  it('should be odd, 0 at 0, and go to ±1 at the extremes', () => {
    expect(fastTanh(0)).toBe(0);
    for (const x of [0.1, 1, 3.7, 12]) expect(fastTanh(-x)).toBe(-fastTanh(x));
    expect(fastTanh(Infinity)).toBeCloseTo(1, 6);
    expect(fastTanh(-1e300)).toBeCloseTo(-1, 6);
  });

  it('should keep NaN as NaN', () => {
    expect(fastTanh(Number.NaN)).toBeNaN();
  });
});

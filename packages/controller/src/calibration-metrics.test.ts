import { expectedCalibrationError, reliabilityTable, rocAuc } from './calibration-metrics';

describe('calibration metrics', () => {
  it('should give an AUC of 1 when every positive outscores every negative, 0 when reversed, 0.5 for ties', () => {
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [true, true, false, false])).toBe(1);
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [true, true, false, false])).toBe(0);
    expect(rocAuc([0.5, 0.5], [true, false])).toBe(0.5);
    expect(rocAuc([0.3, 0.1], [true, true])).toBeNaN();
  });

  it('should measure the gap between what was predicted and what happened, bin by bin', () => {
    // 0.25 predicted four times, right once: calibrated. 0.95 predicted twice, right once: off by 0.45.
    const probabilities = [0.25, 0.25, 0.25, 0.25, 0.95, 0.95];
    const labels = [true, false, false, false, true, false];
    expect(reliabilityTable(probabilities, labels)).toEqual([
      { from: 0.2, to: 0.3, count: 4, predicted: 0.25, observed: 0.25 },
      { from: 0.9, to: 1, count: 2, predicted: 0.95, observed: 0.5 },
    ]);
    expect(expectedCalibrationError(probabilities, labels)).toBeCloseTo((2 / 6) * 0.45, 10);
    expect(expectedCalibrationError([], [])).toBe(0);
  });
});

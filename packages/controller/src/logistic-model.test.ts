import { createRandom } from '@neuromem/core/testing';
import { expectedCalibrationError } from './calibration-metrics';
import { fitLogistic, parseLogistic, predictLogistic } from './logistic-model';

/** Examples drawn from a known logistic model: P(y) = sigmoid(-1 + 2a - b). */
function sample(count: number, seed: number) {
  const random = createRandom(seed);
  return Array.from({ length: count }, () => {
    const x = { a: random() * 4 - 2, b: random() * 4 - 2 };
    return { x, y: random() < 1 / (1 + Math.exp(-(-1 + 2 * x.a - x.b))) };
  });
}

describe('fitLogistic', () => {
  it('should recover the weights of the model that drew the data, and give probabilities that match frequencies', () => {
    const model = fitLogistic(sample(20_000, 1), ['a', 'b'], 0);
    // Back from standardized units to the raw ones.
    const [wa, wb] = model.weights.map((w, i) => w / model.scale[i]!);
    expect(wa).toBeCloseTo(2, 0);
    expect(wb).toBeCloseTo(-1, 0);
    const test = sample(20_000, 2);
    const probabilities = test.map((example) => predictLogistic(model, example.x));
    expect(
      expectedCalibrationError(
        probabilities,
        test.map((example) => example.y),
      ),
    ).toBeLessThan(0.02);
  });

  it('should shrink weights toward 0 as the penalty grows, and give the same model for the same data', () => {
    const data = sample(2000, 3);
    const loose = fitLogistic(data, ['a', 'b'], 0);
    const tight = fitLogistic(data, ['a', 'b'], 1);
    expect(Math.abs(tight.weights[0]!)).toBeLessThan(Math.abs(loose.weights[0]!));
    expect(fitLogistic(data, ['a', 'b'], 0)).toEqual(loose);
  });

  it('should count an example of weight 2 as that example twice, and weigh a less trusted source less', () => {
    const data = sample(400, 4);
    const doubled = fitLogistic([...data, ...data.slice(0, 100)], ['a', 'b'], 0.01);
    const weighted = fitLogistic(
      data.map((example, i) => (i < 100 ? { ...example, weight: 2 } : example)),
      ['a', 'b'],
      0.01,
    );
    weighted.weights.forEach((w, i) => expect(w).toBeCloseTo(doubled.weights[i]!, 9));
    expect(weighted.bias).toBeCloseTo(doubled.bias, 9);
    // Negatives from a second source, counted at a tenth, pull the bias down less than at full weight.
    const negatives = sample(400, 5).map((example) => ({ ...example, y: false }));
    const full = fitLogistic([...data, ...negatives], ['a', 'b'], 0.01);
    const tenth = fitLogistic([...data, ...negatives.map((example) => ({ ...example, weight: 0.1 }))], ['a', 'b'], 0.01);
    expect(predictLogistic(tenth, { a: 1, b: 0 })).toBeGreaterThan(predictLogistic(full, { a: 1, b: 0 }));
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('should refuse an example weight of %p', (weight) => {
    const data = sample(50, 6);
    expect(() => fitLogistic([...data, { ...data[0]!, weight }], ['a', 'b'], 0)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('should refuse data of one class: there is no boundary to fit', () => {
    expect(() => fitLogistic([{ x: { a: 1 }, y: true }], ['a'], 0)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

describe('parseLogistic', () => {
  const good = { features: ['a'], mean: [0], scale: [1], weights: [1], bias: 0 };
  it.each([
    ['not an object', null],
    ['an unknown feature', { ...good, features: ['z'] }],
    ['a weight that is not finite', { ...good, weights: [Number.NaN] }],
    ['a scale of 0', { ...good, scale: [0] }],
    ['one mean too many', { ...good, mean: [0, 1] }],
  ])('should refuse %s, naming the command that remakes the model', (_name, value) => {
    expect(() => parseLogistic(value, ['a'], 'part', 'run `remake`')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringContaining('remake') }));
  });
});

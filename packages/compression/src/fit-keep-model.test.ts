import { CLAUSE_FEATURES } from './clause-features';
import { fitKeepModel, type KeepExample } from './fit-keep-model';
import { keepProbability, parseKeepModel } from './keep-model';

const feature = (name: (typeof CLAUSE_FEATURES)[number]) => CLAUSE_FEATURES.indexOf(name);

/** Fillers are dropped, numbers kept, everything else is a coin flip. */
function examples(): KeepExample[] {
  const out: KeepExample[] = [];
  for (let i = 0; i < 400; i++) {
    const features = CLAUSE_FEATURES.map(() => 0);
    const kind = i % 4;
    if (kind === 0) features[feature('max:filler')] = 1;
    if (kind === 1) features[feature('max:number')] = 1;
    out.push({ features, keep: kind === 1 || (kind >= 2 && i % 8 < 4) });
  }
  return out;
}

describe('fitKeepModel', () => {
  it('should learn to keep numbers and drop fillers', () => {
    const model = fitKeepModel(examples());
    const only = (name: (typeof CLAUSE_FEATURES)[number]) => CLAUSE_FEATURES.map((_, j) => (j === feature(name) ? 1 : 0));
    expect(keepProbability(model, only('max:number'))).toBeGreaterThan(0.8);
    expect(keepProbability(model, only('max:filler'))).toBeLessThan(0.2);
    expect(parseKeepModel(JSON.parse(JSON.stringify(model)))).toEqual(model);
  });

  it('should refuse examples of one class only or with the wrong number of features', () => {
    const zeros = CLAUSE_FEATURES.map(() => 0);
    expect(() => fitKeepModel([{ features: zeros, keep: true }])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() =>
      fitKeepModel([
        { features: [1], keep: true },
        { features: [0], keep: false },
      ]),
    ).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => parseKeepModel({ format: 'neuromem.keep-model/v2', features: ['x'] })).toThrow(/other features/);
  });
});

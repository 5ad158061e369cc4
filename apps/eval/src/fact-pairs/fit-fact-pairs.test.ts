import { fitFactPairsOn } from './fit-fact-pairs';

describe('fitFactPairsOn', () => {
  it.each([0, -0.5, Number.NaN])('should refuse a negative weight of %p before reading anything', async (negativeWeight) => {
    await expect(fitFactPairsOn('no-such-file.json', ['updates-01'], { negatives: 'no-such-locomo.json', negativeWeight })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

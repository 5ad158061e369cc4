import { CLAUSE_FEATURES, clauseFeatures } from './clause-features';
import { clauseCandidates } from './clause-candidates';
import { KEEP_FEATURES } from './keep-features';
import { splitWords } from './words';

const at = (name: (typeof CLAUSE_FEATURES)[number]) => CLAUSE_FEATURES.indexOf(name);

describe('clauseFeatures', () => {
  it("should hold the mean and the maximum of its words' features, its cost and its place", () => {
    const rows = [KEEP_FEATURES.map(() => 0), KEEP_FEATURES.map((_, j) => (j === KEEP_FEATURES.indexOf('number') ? 1 : 0))];
    const features = clauseFeatures(rows, { cost: 3, index: 1, count: 3 });
    expect(features).toHaveLength(CLAUSE_FEATURES.length);
    expect(features[at('mean:number')]).toBe(0.5);
    expect(features[at('max:number')]).toBe(1);
    expect(features[at('tokens')]).toBeCloseTo(Math.log(4));
    expect(features[at('clausePosition')]).toBe(0.5);
    expect(features[at('firstClause')]).toBe(0);
  });
});

describe('clauseCandidates', () => {
  it('should give every clause of every memory, with a date cue where the question asks when', () => {
    const memories = ['Hey Sam! We moved to Denver on 3 March 2021, and I love it.', 'Sounds fun!'].map(splitWords);
    const candidates = clauseCandidates(memories, 'When did they move to Denver?', [0.9, 0.2], (text) => text.length);
    expect(candidates.map(({ item, from, to }) => [item, from, to])).toEqual([
      [0, 0, 2],
      [0, 2, 10],
      [0, 10, 14],
      [1, 0, 2],
    ]);
    expect(candidates[1]!.features[at('max:timeCue')]).toBe(1);
    expect(candidates[1]!.features[at('max:inQuery')]).toBe(1);
    expect(candidates[2]!.features[at('max:timeCue')]).toBe(0);
    expect(candidates[1]!.cost).toBe('We moved to Denver on 3 March 2021,'.replaceAll(' ', '').length);
  });
});

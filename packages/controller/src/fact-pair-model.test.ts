import type { MemoryRecord } from '@neuromem/core';
import { factPairFeatures } from './fact-pair-features';
import { bestF1Threshold, createSameFactJudge, fitFactPairs, parseFactPairModel } from './fact-pair-model';
import { defaultFactLinks, REMAKE_LINKS } from './default-fact-links';
import { defaultFactPairs } from './default-fact-pairs';

const DAY = 86_400_000;
let n = 0;
const statement = (text: string, day: number, options: { role?: string; session?: string; vector?: number[] } = {}) => ({
  record: { id: `m${n++}`, text, hash: text, role: options.role ?? 'Sam', eventTime: day * DAY, scope: { userId: 'u', ...(options.session ? { sessionId: options.session } : {}) } } as MemoryRecord,
  vector: Float32Array.from(options.vector ?? [1, 0, 0, 0]),
});

describe('the fact-pair features', () => {
  it('should read shared words, speaker, session, time gap and questions of a pair', () => {
    const older = statement('I work at the bakery on Mill Street', 0, { session: 's1', vector: [1, 0, 1, 0] });
    const newer = statement('I quit the bakery and work at the bank now', 200, { session: 's5', vector: [1, 0, 0, 1] });
    const f = factPairFeatures(older, newer, [2, 4]);
    expect(f.sharedWords).toBeCloseTo(2 / 4); // work, bakery of {work, bakeri, mill, street}
    expect(f.sameSpeaker).toBe(1);
    expect(f.sameSession).toBe(0);
    expect(f.gap).toBeCloseTo(Math.log1p(200) / Math.log1p(365));
    expect(f.cosine).toBeCloseTo(0.5);
    expect(f.semantic).toBeCloseTo(0); // the semantic part [2, 4) of each is orthogonal
    expect(f.question).toBe(0);
    expect(factPairFeatures(older, statement('Do you still work there?', 201, { role: 'Ana' }), undefined)).toMatchObject({ question: 1, sameSpeaker: 0, semantic: 0 });
  });
});

describe('the fact-pair model', () => {
  it('should learn from labelled pairs to tell statements of one fact from unrelated ones', () => {
    const pairs = Array.from({ length: 40 }, (_, i) => {
      const same = i % 2 === 0;
      const older = statement(`I live in town ${i}`, i, { vector: [1, 0, 0, 0] });
      const newer = statement(same ? `I moved from town ${i} to the coast` : `the match ended two nil ${i}`, i + 90, { vector: same ? [0.9, 0.3, 0, 0] : [0, 0, 1, 0] });
      return { older, newer, same };
    });
    const model = fitFactPairs(pairs, { note: { data: 'synthetic' } });
    const judge = createSameFactJudge(model, undefined);
    expect(judge(pairs[0]!.older, pairs[0]!.newer)).toBeGreaterThanOrEqual(0.5);
    expect(judge(pairs[1]!.older, pairs[1]!.newer)).toBeLessThan(0.5);
    expect(model.fittedOn).toMatchObject({ pairs: 40, same: 20, data: 'synthetic' });
  });

  it('should take the cut-off with the best F1 for its threshold', () => {
    expect(bestF1Threshold([0.9, 0.3, 0.25, 0.1], [true, true, false, false])).toBe(0.3);
    expect(bestF1Threshold([0.9, 0.8, 0.2], [true, false, true])).toBe(0.2);
    // A negative counted a tenth barely costs the lower cut-off; counted whole it does.
    expect(bestF1Threshold([0.9, 0.8, 0.2], [true, false, true], [1, 0.1, 1])).toBe(0.2);
    expect(bestF1Threshold([0.9, 0.5, 0.4, 0.2], [true, false, false, true], [1, 1, 1, 1])).toBe(0.9);
    expect(bestF1Threshold([0.9, 0.5, 0.4, 0.2], [true, false, false, true], [1, 0.1, 0.1, 1])).toBe(0.2);
  });

  it('should ship a model that reads back, and refuse a file that is not one, naming the command that remakes it', () => {
    expect(defaultFactPairs().format).toBe('neuromem.fact-pairs/v1');
    expect(defaultFactLinks().format).toBe('neuromem.fact-pairs/v1');
    expect(defaultFactLinks().fittedOn).toMatchObject({ negatives: 'locomo10-dev.json', negativeWeight: 0.05 });
    // A broken link model names the command that makes a link model, not the search's.
    expect(() => parseFactPairModel({ ...defaultFactLinks(), threshold: 2 }, 'default-fact-links.json', REMAKE_LINKS)).toThrow(/--negatives/);
    expect(() => parseFactPairModel({ format: 'other' })).toThrow(/fit-fact-pairs/);
    expect(() => parseFactPairModel({ ...defaultFactPairs(), model: { ...defaultFactPairs().model, weights: [Number.NaN] } })).toThrow();
  });
});

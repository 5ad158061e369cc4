import type { MemoryRecord } from '@neuromem/core';
import { defaultFactChanges, REMAKE_CHANGES } from './default-fact-changes';
import { fitFactChanges } from './fact-change-model';
import { createSameFactJudge, parseFactPairModel } from './fact-pair-model';

const DAY = 86_400_000;
let n = 0;
const statement = (text: string, day: number, vector: number[]) => ({
  record: { id: `m${n++}`, text, hash: text, role: 'Sam', eventTime: day * DAY, scope: { userId: 'u' } } as MemoryRecord,
  vector: Float32Array.from(vector),
});

describe('the change model', () => {
  // Statements of one fact: the same value said again soon in the same words, or a new value months later.
  const pairs = Array.from({ length: 40 }, (_, i) => {
    const changed = i % 2 === 0;
    const older = statement(`I work at the bakery on street ${i}`, i, [1, 0, 0, 0]);
    const newer = changed ? statement(`I left that job and drive a bus ${i}`, i + 200, [0.5, 0.8, 0.3, 0]) : statement(`still at the bakery on street ${i}`, i + 3, [0.98, 0.1, 0, 0]);
    return { older, newer, changed };
  });

  it('should learn to tell a changed value from the same value said again, as a probability', () => {
    const model = fitFactChanges(pairs, { note: { data: 'synthetic' } });
    const judge = createSameFactJudge(model, undefined, { threshold: 0.5 });
    expect(judge(pairs[0]!.older, pairs[0]!.newer)).toBeGreaterThan(0.5);
    expect(judge(pairs[1]!.older, pairs[1]!.newer)).toBeLessThan(0.5);
    expect(model.fittedOn).toMatchObject({ pairs: 40, changed: 20, data: 'synthetic' });
    expect(model.fittedOn).not.toHaveProperty('same');
  });

  it('should refuse to fit pairs of one kind only, with a typed error', () => {
    expect(() => fitFactChanges(pairs.filter((pair) => pair.changed))).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => fitFactChanges([])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('should ship a model that reads back, and name the command that remakes a broken one', () => {
    const shipped = defaultFactChanges();
    expect(shipped.format).toBe('neuromem.fact-pairs/v1');
    expect(shipped.fittedOn).toMatchObject({ data: 'updates-v1.json', conversations: ['updates-01', 'updates-02', 'updates-03', 'updates-04', 'updates-05'] });
    expect(() => parseFactPairModel({ ...shipped, threshold: 0 }, 'default-fact-changes.json', REMAKE_CHANGES)).toThrow(/--changes-out/);
  });
});

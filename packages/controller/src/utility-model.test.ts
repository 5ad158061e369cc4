import { DAY_MS } from '@neuromem/core';
import { defaultUtility } from './default-utility';
import { fitUtility, parseUtilityModel, utilityFeatures, utilityOf } from './utility-model';

const NOW = Date.UTC(2024, 5, 1);
const memory = (importance: number, ageDays: number, accessCount = 0, idleDays: number | null = null) => ({
  importance,
  eventTime: NOW - ageDays * DAY_MS,
  accessCount,
  lastAccessedAt: idleDays === null ? null : NOW - idleDays * DAY_MS,
});

describe('the forgetting utility', () => {
  it('should read importance, and age, accesses and idle time as log1p of days or counts', () => {
    expect(utilityFeatures(memory(0.7, 9, 3, 1), NOW)).toEqual({ importance: 0.7, age: Math.log1p(9), accesses: Math.log1p(3), idle: Math.log1p(1) });
    // Never returned: idle since it happened; a time after "now" counts as 0 days.
    expect(utilityFeatures(memory(0.2, 4), NOW).idle).toBeCloseTo(Math.log1p(4), 12);
    expect(utilityFeatures(memory(0.2, -5), NOW).age).toBe(0);
  });

  it('should learn from labelled memories that the ones used lately are needed again', () => {
    const examples = Array.from({ length: 200 }, (_, i) => {
      const used = i % 2 === 0;
      return { memory: memory(0.5, 30 + (i % 7), used ? 4 : 0, used ? 1 : null), now: NOW, needed: used ? i % 10 !== 0 : i % 10 === 1 };
    });
    const model = fitUtility(examples);
    expect(utilityOf(model, memory(0.5, 30, 4, 1), NOW)).toBeGreaterThan(utilityOf(model, memory(0.5, 30), NOW) + 0.3);
  });

  it('should ship a model that prefers important, recently used memories, and refuse a broken one naming the command that remakes it', () => {
    const { model } = defaultUtility();
    expect(utilityOf(model, memory(0.8, 30, 3, 2), NOW)).toBeGreaterThan(utilityOf(model, memory(0.8, 30), NOW));
    expect(utilityOf(model, memory(0.8, 30), NOW)).toBeGreaterThan(utilityOf(model, memory(0.1, 30), NOW));
    for (const broken of [
      null,
      {},
      { format: 'neuromem.utility/v1', model: { features: ['mood'], mean: [0], scale: [1], weights: [1], bias: 0 } },
      { format: 'neuromem.utility/v1', model: { ...model, weights: [Number.NaN, 0, 0, 0] } },
    ]) {
      expect(() => parseUtilityModel(broken)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringContaining('neuromem-eval tiers') }));
    }
  });
});

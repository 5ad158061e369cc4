import type { Embedder, MemoryRecord } from '@neuromem/core';
import { factJudges } from './fact-judges';

const embedder = { parts: undefined } as unknown as Embedder;
const DAY = 86_400_000;
const statement = (id: string, text: string, day: number, vector: number[]) => ({
  record: { id, text, hash: id, role: 'Kwame', eventTime: day * DAY, scope: { userId: 'u', sessionId: `s${day}` } } as MemoryRecord,
  vector: Float32Array.from(vector),
});

describe('factJudges', () => {
  it('should give retrieval a change judge beside the same-fact judges by default, and none without fact pairs', () => {
    const judges = factJudges(undefined, embedder);
    expect(typeof judges.changed).toBe('function');
    const coach = statement('a', 'I drive the airport coach now, three runs a day.', 0, [1, 0, 0, 0]);
    const instructor = statement('b', 'I passed the instructor exam and teach people to drive now.', 300, [0.6, 0.8, 0, 0]);
    const p = judges.changed!(coach, instructor);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1);
    expect(factJudges(false, embedder)).not.toHaveProperty('changed');
  });
});

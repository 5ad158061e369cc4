import type { MemoryRecord } from '@neuromem/core';
import { withoutCrowding } from './without-crowding';

const turn = (id: string) => ({ id, kind: 'episodic' }) as MemoryRecord;
const fact = (id: string) => ({ id, kind: 'semantic' }) as MemoryRecord;
const ids = (records: readonly MemoryRecord[]) => records.map((record) => record.id);
const same = (record: MemoryRecord) => record;

describe('withoutCrowding', () => {
  it('should keep the first k turns and the facts ranked among them, so facts never take a turn’s place', () => {
    const hits = [fact('f1'), turn('t1'), turn('t2'), fact('f2'), turn('t3'), fact('f3'), turn('t4')];
    expect(ids(withoutCrowding(hits, 3, same))).toEqual(['f1', 't1', 't2', 'f2', 't3', 'f3']);
    expect(ids(withoutCrowding(hits, 1, same))).toEqual(['f1', 't1']);
  });

  it('should keep everything when fewer than k turns were found, and nothing but facts for k = 0', () => {
    const hits = [turn('t1'), fact('f1')];
    expect(ids(withoutCrowding(hits, 5, same))).toEqual(['t1', 'f1']);
    expect(ids(withoutCrowding([fact('f1'), turn('t1')], 0, same))).toEqual(['f1']);
    expect(withoutCrowding([], 3, same)).toEqual([]);
  });

  it('should read the record of each item, such as a text hit', () => {
    const hits = [
      { record: fact('f1'), score: 3 },
      { record: turn('t1'), score: 2 },
      { record: turn('t2'), score: 1 },
    ];
    expect(withoutCrowding(hits, 1, (hit) => hit.record).map((hit) => hit.score)).toEqual([3, 2]);
  });
});

import type { MemoryRecord } from '@neuromem/core';
import { firstCandidates } from './first-candidates';

const turn = (id: string) => ({ id, kind: 'episodic' }) as MemoryRecord;
const fact = (id: string) => ({ id, kind: 'semantic' }) as MemoryRecord;
const ids = (records: readonly MemoryRecord[]) => records.map((record) => record.id);
const same = (record: MemoryRecord) => record;
const isFact = (record: MemoryRecord) => record.kind === 'semantic';

describe('firstCandidates', () => {
  it('should keep the first k memories that are not set aside, so a fact never takes a turn’s place', () => {
    const hits = [fact('f1'), turn('t1'), turn('t2'), fact('f2'), turn('t3'), fact('f3'), turn('t4')];
    expect(ids(firstCandidates(hits, 3, same, isFact))).toEqual(['t1', 't2', 't3']);
    expect(ids(firstCandidates(hits, 1, same, isFact))).toEqual(['t1']);
  });

  it('should keep everything found when fewer than k are, nothing for k = 0, and every kind when nothing is set aside', () => {
    expect(ids(firstCandidates([turn('t1'), fact('f1')], 5, same, isFact))).toEqual(['t1']);
    expect(firstCandidates([fact('f1'), turn('t1')], 0, same, isFact)).toEqual([]);
    expect(firstCandidates([], 3, same, isFact)).toEqual([]);
    expect(ids(firstCandidates([fact('f1'), turn('t1'), turn('t2')], 2, same, undefined))).toEqual(['f1', 't1']);
  });

  it('should read the record of each item, such as a text hit', () => {
    const hits = [
      { record: fact('f1'), score: 3 },
      { record: turn('t1'), score: 2 },
      { record: turn('t2'), score: 1 },
    ];
    expect(firstCandidates(hits, 1, (hit) => hit.record, isFact).map((hit) => hit.score)).toEqual([2]);
  });
});

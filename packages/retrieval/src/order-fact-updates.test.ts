import type { MemoryRecord } from '@neuromem/core';
import { CHANGED_AT, orderFactUpdates, restatementJudge, type SameFactJudge } from './order-fact-updates';

const statement = (id: string, eventTime: number, vector: number[], role = 'Sam') => ({
  record: { id, text: id, role, eventTime, scope: { userId: 'u' } } as MemoryRecord,
  vector: Float32Array.from(vector),
});

// Sam's home over three years, then a note about lunch that is about nothing of the kind.
const bristol = statement('lives in Bristol', 1, [1, 0, 0]);
const leeds = statement('moved to Leeds', 2, [0.6, 0.8, 0]);
const leedsAgain = statement('Leeds is home now', 3, [0.61, 0.79, 0]);
const lunch = statement('had soup for lunch', 4, [0, 0, 1]);
const homes = new Set(['lives in Bristol', 'moved to Leeds', 'Leeds is home now']);
const sameHome: SameFactJudge = (older, newer) => (homes.has(older.record.id) && homes.has(newer.record.id) ? 0.9 : 0.1);
const ids = (entries: ReadonlyArray<{ entry: { record: MemoryRecord } }>) => entries.map(({ entry }) => entry.record.id);

describe('orderFactUpdates', () => {
  const head = [bristol, lunch, leeds, leedsAgain];

  it('should put the newest statement of a fact first by default, in the places the fact held, and leave the rest where they were', () => {
    const ordered = orderFactUpdates(head, { stance: 'latest', judge: sameHome });
    expect(ids(ordered)).toEqual(['Leeds is home now', 'had soup for lunch', 'moved to Leeds', 'lives in Bristol']);
    expect(ordered[0]!.restates).toBe('lives in Bristol');
    expect(ordered[1]!.restates).toBeUndefined();
  });

  it('should put the oldest statement of a fact first when the query asks what used to be', () => {
    expect(ids(orderFactUpdates(head, { stance: 'previous', judge: sameHome }))).toEqual(['lives in Bristol', 'had soup for lunch', 'moved to Leeds', 'Leeds is home now']);
  });

  it('should group statements a sleep linked as the same fact even when the judge would not', () => {
    const never: SameFactJudge = () => 0;
    expect(ids(orderFactUpdates([bristol, leeds], { stance: 'latest', judge: never }))).toEqual(['lives in Bristol', 'moved to Leeds']);
    expect(ids(orderFactUpdates([bristol, leeds], { stance: 'latest', judge: never, linked: new Set(['moved to Leeds>lives in Bristol']) }))).toEqual(['moved to Leeds', 'lives in Bristol']);
  });

  it('should, with `within`, let only statements that answer nearly as well as the best trade places', () => {
    const scored = (entry: typeof bristol, logit: number) => ({ ...entry, logit });
    // Leeds answers as well as Bristol; the restatement scores far below them.
    const ranked = [scored(bristol, -1), scored(leeds, -1.5), scored(lunch, -2), scored(leedsAgain, -4)];
    expect(ids(orderFactUpdates(ranked, { stance: 'latest', judge: sameHome, within: 1 }))).toEqual(['moved to Leeds', 'lives in Bristol', 'had soup for lunch', 'Leeds is home now']);
    expect(ids(orderFactUpdates(ranked, { stance: 'latest', judge: sameHome }))).toEqual(['Leeds is home now', 'moved to Leeds', 'had soup for lunch', 'lives in Bristol']);
    // Too far below the best, nothing moves; a sleep's link still holds.
    const far = [scored(bristol, 0), scored(leeds, -3)];
    expect(ids(orderFactUpdates(far, { stance: 'latest', judge: sameHome, within: 1 }))).toEqual(['lives in Bristol', 'moved to Leeds']);
    expect(ids(orderFactUpdates(far, { stance: 'latest', judge: sameHome, within: 1, linked: new Set(['moved to Leeds>lives in Bristol']) }))).toEqual(['moved to Leeds', 'lives in Bristol']);
  });

  it('should, with a change judge, bring a changed value up from further below the best, the further the surer the judge', () => {
    const scored = (entry: typeof bristol, logit: number) => ({ ...entry, logit });
    const changedHome: SameFactJudge = (older, newer) => (older.record.id === 'lives in Bristol' && newer.record.id === 'moved to Leeds' ? 0.9 : 0.1);
    // 1.8 logits below Bristol: past `within` (1), inside 1 + ln(0.9 / 0.1) = 3.2.
    const ranked = [scored(bristol, 0), scored(lunch, -1), scored(leeds, -1.8)];
    expect(ids(orderFactUpdates(ranked, { stance: 'latest', judge: sameHome, within: 1 }))).toEqual(['lives in Bristol', 'had soup for lunch', 'moved to Leeds']);
    const ordered = orderFactUpdates(ranked, { stance: 'latest', judge: sameHome, within: 1, changed: changedHome });
    expect(ids(ordered)).toEqual(['moved to Leeds', 'had soup for lunch', 'lives in Bristol']);
    expect(ordered[0]!.restates).toBe('lives in Bristol');
    // Beyond that reach, or with a judge less sure of the fact, it stays where the ranker put it.
    const farther = [scored(bristol, 0), scored(lunch, -1), scored(leeds, -3.5)];
    expect(ids(orderFactUpdates(farther, { stance: 'latest', judge: sameHome, within: 1, changed: changedHome }))).toEqual(['lives in Bristol', 'had soup for lunch', 'moved to Leeds']);
    const unsure: SameFactJudge = (older, newer) => (sameHome(older, newer) > 0.5 ? 0.6 : 0.1);
    expect(ids(orderFactUpdates(ranked, { stance: 'latest', judge: unsure, within: 1, changed: changedHome }))).toEqual(['lives in Bristol', 'had soup for lunch', 'moved to Leeds']);
  });

  it('should not bring a restatement up from below the window: it repeats the value it follows', () => {
    const scored = (entry: typeof bristol, logit: number) => ({ ...entry, logit });
    const restated: SameFactJudge = () => CHANGED_AT - 0.01;
    const ranked = [scored(leeds, 0), scored(lunch, -1), scored(leedsAgain, -1.8)];
    expect(ids(orderFactUpdates(ranked, { stance: 'latest', judge: sameHome, within: 1, changed: restated }))).toEqual(['moved to Leeds', 'had soup for lunch', 'Leeds is home now']);
    // Within the window it still comes first, as without a change judge.
    const near = [scored(leeds, 0), scored(leedsAgain, -0.5)];
    expect(ids(orderFactUpdates(near, { stance: 'latest', judge: sameHome, within: 1, changed: restated }))).toEqual(['Leeds is home now', 'moved to Leeds']);
  });

  it('should refuse a window that is negative or not a number, before moving anything', () => {
    for (const within of [-1, Number.NaN, Number.POSITIVE_INFINITY, '1' as unknown as number]) {
      expect(() => orderFactUpdates(head, { stance: 'latest', judge: sameHome, within })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    }
    expect(ids(head.map((entry) => ({ entry })))).toEqual(['lives in Bristol', 'had soup for lunch', 'moved to Leeds', 'Leeds is home now']);
  });

  it('should by default take only near-identical statements of one speaker for the same fact', () => {
    expect(restatementJudge(leeds, leedsAgain)).toBe(1);
    expect(restatementJudge(bristol, leeds)).toBe(0);
    expect(restatementJudge(leeds, { ...leedsAgain, record: { ...leedsAgain.record, role: 'Priya' } })).toBe(0);
  });
});

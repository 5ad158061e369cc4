import { adaptationEarned, emptyTrackRecord, judgeAdaptation, recordJudgement, TRUST_Z } from './track-record';

describe('the track record of a user adaptation', () => {
  it('should say better when the adjustments lift the judged memory (index 0) past others, worse when they sink it', () => {
    const logits = [1, 2, 3, 0];
    expect(judgeAdaptation(logits, [2.5, 0, 0, 0])).toBe('better');
    expect(judgeAdaptation([3, 2, 1], [-2, 0, 0])).toBe('worse');
    // Adjustments that move other memories only count through the judged one's rank.
    expect(judgeAdaptation(logits, [0, 0, 0, 5])).toBe('worse');
    expect(judgeAdaptation(logits, [0, 0.1, 0.1, 0])).toBe('same');
  });

  it('should not count a judged memory that stays out of the first ten either way', () => {
    const logits = [0, ...Array.from({ length: 30 }, (_, i) => 1 + i)];
    const adjustments = [5, ...Array.from({ length: 30 }, () => 0)];
    // From 30th to 25th: nothing a user is shown changed.
    expect(judgeAdaptation(logits, adjustments)).toBe('same');
    // From 30th to 9th: it now is.
    expect(judgeAdaptation(logits, [22.5, ...adjustments.slice(1)])).toBe('better');
  });

  it('should decay older judgements as each new one is recorded', () => {
    let record = emptyTrackRecord();
    record = recordJudgement(record, 'better', 0.5);
    record = recordJudgement(record, 'worse', 0.5);
    record = recordJudgement(record, 'same', 0.5);
    expect(record).toEqual({ better: 0.25, worse: 0.5 });
  });

  it('should trust an adaptation only once it is ahead by TRUST_Z standard deviations of a sign test', () => {
    expect(adaptationEarned(emptyTrackRecord())).toBe(false);
    // As often behind as ahead: chance, whatever the number of judgements.
    expect(adaptationEarned({ better: 40, worse: 40 })).toBe(false);
    expect(adaptationEarned({ better: 3, worse: 0 })).toBe(3 >= TRUST_Z * Math.sqrt(3));
    expect(adaptationEarned({ better: 30, worse: 10 })).toBe(true);
    expect(adaptationEarned({ better: 12, worse: 8 })).toBe(false);
  });
});

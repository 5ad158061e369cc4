import type { MemoryRecord } from '@neuromem/core';
import { emptyFeatures } from './features';
import { rankCandidates } from './rank-candidates';
import { restatementJudge } from './order-fact-updates';
import { HAND_SET_RANKER } from './ranker-model';

const record = (id: string, eventTime: number, role: string | null = 'Caroline'): MemoryRecord => ({
  id,
  version: 1,
  text: id,
  kind: 'episodic',
  scale: 'turn',
  scope: { userId: 'u' },
  role,
  eventTime,
  createdAt: eventTime,
  validFrom: eventTime,
  validTo: null,
  importance: 0.5,
  accessCount: 0,
  lastAccessedAt: null,
  source: null,
  metadata: {},
  hash: id,
});
const candidate = (id: string, eventTime: number, similarity: number, vector: number[], role?: string) => {
  const features = emptyFeatures();
  features.turnSimilarity = similarity;
  return { record: record(id, eventTime, role), features, vector: Float32Array.from(vector) };
};

describe('rankCandidates', () => {
  it('should order candidates by score, best first', () => {
    const ranked = rankCandidates([candidate('low', 1, 0.2, [1, 0]), candidate('high', 2, 0.9, [0, 1])], HAND_SET_RANKER);
    expect(ranked.map((r) => r.record.id)).toEqual(['high', 'low']);
    expect(ranked[0]!.score).toBeGreaterThan(ranked[1]!.score);
  });

  it("should give a newer restatement of the same speaker the older one's place and keep both", () => {
    const ranked = rankCandidates(
      [candidate('old job: teacher', 1, 0.9, [1, 0, 0]), candidate('unrelated', 3, 0.5, [0, 1, 0]), candidate('new job: counselor', 2, 0.4, [0.99, 0.1, 0])],
      HAND_SET_RANKER,
      undefined,
      undefined,
      { stance: 'latest', judge: restatementJudge },
    );
    expect(ranked.map((r) => r.record.id)).toEqual(['new job: counselor', 'unrelated', 'old job: teacher']);
    expect(ranked[0]!.restates).toBe('old job: teacher');
  });

  it('should not treat another speaker saying something similar as a restatement', () => {
    const ranked = rankCandidates([candidate('mine', 1, 0.9, [1, 0]), candidate('theirs', 2, 0.4, [1, 0], 'Melanie')], HAND_SET_RANKER, undefined, undefined, {
      stance: 'latest',
      judge: restatementJudge,
    });
    expect(ranked.map((r) => r.record.id)).toEqual(['mine', 'theirs']);
    expect(ranked[1]!.restates).toBeUndefined();
  });

  it('should bring a version a sleep linked into the head, above the older statement it updates', () => {
    const filler = Array.from({ length: 10 }, (_, i) => candidate(`filler ${i}`, 100 + i, 0.8 - i * 0.01, [0, 1, 0]));
    const old = candidate('lives in Bristol', 1, 0.95, [1, 0, 0]);
    const moved = candidate('first week in Leeds', 50, 0.1, [0, 0, 1]);
    const never = () => 0;
    const plain = rankCandidates([old, ...filler, moved], HAND_SET_RANKER, 10, undefined, { stance: 'latest', judge: never });
    expect(plain.map((r) => r.record.id)).not.toContain('first week in Leeds');
    const linked = rankCandidates([old, ...filler, moved], HAND_SET_RANKER, 12, undefined, { stance: 'latest', judge: never, linked: new Set(['first week in Leeds>lives in Bristol']) });
    expect(linked[0]!.record.id).toBe('first week in Leeds');
    expect(linked[0]!.restates).toBe('lives in Bristol');
    // The older statement takes the newer one's place, just below the head: kept, not hidden.
    expect(linked[10]!.record.id).toBe('lives in Bristol');
  });
});

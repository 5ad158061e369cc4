/**
 * How a user's adaptation did on their own judgements, each scored before it was learned from
 * (prequential): `better` counts useful memories the adapted ranking put higher than the global one
 * did, `worse` those it put lower. Both decay with the weights, so the record speaks of the
 * adaptation as it is now, not as it was a hundred judgements ago.
 */
export interface TrackRecord {
  better: number;
  worse: number;
}

export const emptyTrackRecord = (): TrackRecord => ({ better: 0, worse: 0 });

/**
 * How far ahead the adaptation must be, in standard deviations of a sign test, before a user's
 * searches use it: ahead by chance as often as behind, an adaptation learned from a user without
 * a pattern reaches it about one time in twenty. Users with a habit get there within a few
 * judgements (session 55, `neuromem-eval adapt`; see the package README).
 */
export const TRUST_Z = 1.64;

/**
 * A judged memory's rank only counts where a user would see it: moving it from 300th to 200th
 * changes nothing they are shown.
 */
const SHOWN = 10;

/**
 * Whether the adapted ranking did better or worse than the global one for one useful memory: its
 * rank among the query's candidates by the global logits and by the global logits plus the
 * adaptation's adjustments (index 0 is the judged memory). `same` when neither rank is among the
 * first results or they are equal.
 */
export function judgeAdaptation(globalLogits: readonly number[], adjustments: readonly number[]): 'better' | 'worse' | 'same' {
  const rankBy = (score: (i: number) => number) => {
    const own = score(0);
    let above = 0;
    for (let i = 1; i < globalLogits.length; i++) if (score(i) > own) above++;
    return above;
  };
  const global = rankBy((i) => globalLogits[i]!);
  const adapted = rankBy((i) => globalLogits[i]! + (adjustments[i] ?? 0));
  if (Math.min(global, adapted) >= SHOWN || global === adapted) return 'same';
  return adapted < global ? 'better' : 'worse';
}

/** The record after one more judgement, the older ones decayed. */
export function recordJudgement(record: TrackRecord, outcome: 'better' | 'worse' | 'same', decay: number): TrackRecord {
  const keep = 1 - decay;
  return {
    better: round(record.better * keep + (outcome === 'better' ? 1 : 0)),
    worse: round(record.worse * keep + (outcome === 'worse' ? 1 : 0)),
  };
}

/**
 * Whether the adaptation has earned its place in the user's searches: ahead of the global ranking
 * by at least `TRUST_Z` standard deviations of a sign test over its decayed record. Before that,
 * the user's searches rank as the global model does (the adaptation keeps learning meanwhile).
 */
export function adaptationEarned(record: TrackRecord, z = TRUST_Z): boolean {
  const judged = record.better + record.worse;
  return judged > 0 && record.better - record.worse >= z * Math.sqrt(judged);
}

const round = (x: number) => Math.round(x * 1e5) / 1e5;

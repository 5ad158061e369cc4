import { entryOf, type Moment, type UserAdaptation } from './user-adaptation';

/**
 * What a user prefers beyond what their questions say, as log ratios of what they found useful to
 * what their searches brought: when (`timeAffinities`, against the memories shown) and about what
 * (`wordAffinityOf`, against every candidate ranked). Both are near 0 for a user without such a
 * habit, since those memories are what their questions bring anyway.
 */

/** Kernel width as a share of the span of the shown memories' times. */
const TIME_BANDWIDTH = 1 / 12;
/** Useful memories' worth of belief that the useful times follow the shown ones (shrinks a ratio made of few judgements toward 0). */
const TIME_PRIOR_WEIGHT = 10;
/** Largest magnitude of one time affinity. */
const MAX_TIME_AFFINITY = 3;

/**
 * Per candidate, the log ratio of two densities at its time: the times of the memories this user
 * found useful, and the times of the memories searches showed them (what their questions bring
 * anyway). A user who asks about recent things gets positive values for recent memories and
 * negative for old ones, shaped like their own habit rather than a straight line through time; a
 * user without a habit gets values near 0. The useful density is shrunk toward the shown one by
 * `TIME_PRIOR_WEIGHT`, so a few judgements move it little, and both leave out the candidate's own
 * judgements: that a memory was useful before says nothing about the time of others (re-finding
 * it is what `access` weighs). Epanechnikov kernels of `TIME_BANDWIDTH` of the shown times' span.
 */
export function timeAffinities(usefulTimes: readonly Moment[], seenTimes: readonly Moment[], candidates: ReadonlyArray<{ id?: string | undefined; eventTime: number }>): number[] {
  if (usefulTimes.length === 0 || seenTimes.length === 0) return candidates.map(() => 0);
  let first = Infinity;
  let last = -Infinity;
  for (const { eventTime } of seenTimes) {
    first = Math.min(first, eventTime);
    last = Math.max(last, eventTime);
  }
  const width = (last - first) * TIME_BANDWIDTH;
  if (!(width > 0)) return candidates.map(() => 0);
  const density = (at: number, moments: readonly Moment[], except: string | undefined) => {
    let sum = 0;
    let count = 0;
    for (const { memoryId, eventTime } of moments) {
      if (memoryId === except) continue;
      count++;
      const u = (at - eventTime) / width;
      if (u > -1 && u < 1) sum += 1 - u * u;
    }
    return { sum, count };
  };
  return candidates.map(({ id, eventTime: at }) => {
    const seen = density(at, seenTimes, id);
    const useful = density(at, usefulTimes, id);
    if (seen.count === 0 || useful.count === 0) return 0;
    // Both as densities with a floor of half a kernel's worth, so an empty stretch of time is not -Infinity.
    const shown = (seen.sum + 0.5) / (seen.count + 0.5);
    const liked = (useful.sum + TIME_PRIOR_WEIGHT * shown) / (useful.count + TIME_PRIOR_WEIGHT);
    return Math.max(-MAX_TIME_AFFINITY, Math.min(MAX_TIME_AFFINITY, Math.log(liked / shown)));
  });
}

/** Shown memories' worth of belief that a word is as likely in a useful memory as in a shown one. */
const WORD_PRIOR_WEIGHT = 5;
/**
 * Standard errors below its estimate a word's useful share is read at. Chosen on the simulated users
 * of `neuromem-eval adapt` (LoCoMo dev) with `SUBJECT_PRIOR`: without it, a fixed weight on the
 * affinity cost users with no habit 0.025 recall@5 (session 48), since their chance subjects got it too.
 */
const WORD_CONFIDENCE = 1.5;

/**
 * The strongest subject a memory shares with what this user found useful: over its words (other
 * than the query's), the largest log ratio of how often useful memories held the word to how often
 * the candidates of their judged searches did, the useful share taken at its lower confidence bound
 * (`WORD_CONFIDENCE`; judgements of a memory already judged count as one, `independentShare`), so a
 * word that chance made look useful says nothing. A word counts from its second useful judgement: one
 * memory's rare words (said once, found useful once) are that memory, not a subject, and with a
 * tiny base rate they outranked every subject word. A subject the user keeps asking about stands out from what
 * every search brings; words said everywhere ("really", "great") come out near 0. The largest, not
 * the mean: a memory is about a subject when it says one of its words, whatever else it says. The
 * memory's own judgements are left out (`own`: how often it was judged useful and how often shown),
 * since that it was useful before says nothing about others like it. `independent` is
 * `independentShare` of the useful judgements, the same for every candidate of a query.
 */
export function wordAffinityOf(state: UserAdaptation, held: ReadonlySet<string>, asked: ReadonlySet<string>, own: { useful: number; seen: number }, independent: number): number {
  const seen = state.seenWords;
  const useful = state.interests;
  const usefulCount = useful.memories - own.useful;
  const seenCount = seen.memories - own.seen;
  if (usefulCount <= 0 || seenCount <= 0) return 0;
  let strongest = 0;
  for (const stem of held) {
    if (asked.has(stem)) continue;
    const shown = (Math.max(0, (entryOf(seen.words, stem) ?? 0) - own.seen) + 0.5) / (seenCount + 1);
    const liked = (Math.max(0, (entryOf(useful.words, stem) ?? 0) - own.useful - 1) + WORD_PRIOR_WEIGHT * shown) / (usefulCount + WORD_PRIOR_WEIGHT);
    // Among a memory's many words one is found useful more often than shown by chance alone: only a
    // share that stands out beyond its uncertainty makes a subject.
    const lower = liked - WORD_CONFIDENCE * Math.sqrt((liked * (1 - liked)) / ((usefulCount + WORD_PRIOR_WEIGHT) * independent));
    if (lower > shown) strongest = Math.max(strongest, Math.log(lower / shown));
  }
  return strongest;
}

/**
 * The share of recent useful judgements that name a memory not named before among them: how many
 * independent observations of the user's subjects the judgements are. The same memory found useful
 * four times says what it is about once, and in a small memory, where a user comes back to the same
 * memories again and again, counting each time made chance words look like subjects. From the
 * judgements' counts by memory (`countsById`), which a query's candidates share.
 */
export function independentShare(usefulCounts: ReadonlyMap<string, number>, judgements: number): number {
  return judgements === 0 ? 1 : usefulCounts.size / judgements;
}

/** How often each memory appears in a list of judgements. */
export function countsById(moments: readonly Moment[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { memoryId } of moments) counts.set(memoryId, (counts.get(memoryId) ?? 0) + 1);
  return counts;
}

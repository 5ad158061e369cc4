import { cosineSimilarity, ENGLISH_STOP_WORDS, stemWord } from '@neuromem/core';
import { ADAPTATION_LIMITS, entryOf, type UserAdaptation } from './user-adaptation';

/** One ranked memory as the per-user model reads it. */
export interface AdaptationCandidate {
  /** The memory's id (a memory's own past usefulness is not evidence about others like it). */
  id?: string;
  text: string;
  eventTime: number;
  /** The ranker's factors for this query. */
  factors: Readonly<Record<string, number>>;
  /** The memory's vector at the search scale, when known (for the profile). */
  vector?: Float32Array | undefined;
}

/** A vocabulary entry counts once it was seen this often, and holds for at least this share of the askings. */
const MEANING_MIN_COUNT = 2;
const MEANING_MIN_SHARE = 0.5;
/** Words a query grows by at most, so a learned vocabulary cannot drown what was asked. */
const MAX_EXPANSION = 8;

const WORD = /[\p{L}\p{N}]+/gu;
/** A cosine this close to 1 is the same memory (vectors are stored at reduced precision). */
const SAME_MEMORY = 0.99;

/** The content words of a text (stop words and one-letter words left out): each as written, lower-case, and its stem. */
export function contentWords(text: string): Array<{ word: string; stem: string }> {
  const seen = new Set<string>();
  const words: Array<{ word: string; stem: string }> = [];
  for (const [raw] of text.normalize('NFKC').toLowerCase().matchAll(WORD)) {
    if (raw.length < 2 || ENGLISH_STOP_WORDS.has(raw)) continue;
    const stem = stemWord(raw);
    if (seen.has(stem)) continue;
    seen.add(stem);
    words.push({ word: raw, stem });
  }
  return words;
}

/** The memory words a query word means for this user: learned often enough, and most of the times it was asked. */
export function meaningsOf(state: UserAdaptation, stem: string): Array<{ stem: string; word: string; strength: number }> {
  const entry = entryOf(state.vocabulary, stem);
  if (!entry) return [];
  return Object.entries(entry.means)
    .filter(([, m]) => m.count >= MEANING_MIN_COUNT && m.count / entry.asked >= MEANING_MIN_SHARE)
    .map(([meaning, m]) => ({ stem: meaning, word: m.word, strength: m.count / (entry.asked + 1) }))
    .sort((a, b) => b.strength - a.strength);
}

/**
 * The query with the memory words its words mean for this user appended ("the pup" -> "... beagle"),
 * so candidates that hold the user's meaning are found at all; unchanged without learned meanings.
 */
export function expandQuery(state: UserAdaptation, query: string): string {
  const asked = contentWords(query);
  const present = new Set(asked.map((w) => w.stem));
  const added: string[] = [];
  for (const { stem } of asked) {
    for (const meaning of meaningsOf(state, stem).slice(0, 3)) {
      if (present.has(meaning.stem) || added.length >= MAX_EXPANSION) continue;
      present.add(meaning.stem);
      added.push(meaning.word);
    }
  }
  return added.length === 0 ? query : `${query} ${added.join(' ')}`;
}

/** What the per-user model reads of each candidate: the ranker's factors and the personal features. */
export function personalFeatures(state: UserAdaptation, query: string, candidates: readonly AdaptationCandidate[]): Array<Record<string, number>> {
  const asked = contentWords(query);
  const askedStems = new Set(asked.map((w) => w.stem));
  const meanings = asked.map(({ stem }) => meaningsOf(state, stem));
  const learned = meanings.filter((m) => m.length > 0).length;
  const profile = state.profile?.vectors.map((v) => Float32Array.from(v)) ?? [];
  const times = candidates.map((c) => c.eventTime);
  const oldest = Math.min(...times);
  const span = Math.max(...times) - oldest;
  const affinity = timeAffinities(state.usefulTimes ?? [], state.seenTimes ?? [], candidates);
  const usefulCounts = countsById(state.usefulTimes ?? []);
  const seenCounts = countsById(state.seenTimes ?? []);
  const rows = candidates.map((candidate, index) => {
    const features: Record<string, number> = { ...candidate.factors };
    const vector = candidate.vector;
    // A memory's own vector in the profile does not count: re-finding it is what `access` weighs;
    // this feature is about other memories like those the user found useful.
    features.profile = vector
      ? Math.max(
          0,
          ...profile
            .filter((p) => p.length === vector.length)
            .map((p) => cosineSimilarity(vector, p))
            .filter((c) => c < SAME_MEMORY),
        )
      : 0;
    // The memory's words, read once for both the vocabulary and the interests.
    const held = new Set(contentWords(candidate.text).map((w) => w.stem));
    if (learned > 0) {
      features.vocabulary = meanings.reduce((sum, m) => sum + Math.max(0, ...m.filter((meaning) => held.has(meaning.stem)).map((meaning) => meaning.strength)), 0) / meanings.length;
    } else features.vocabulary = 0;
    features.newer = span > 0 ? (candidate.eventTime - oldest) / span : 0.5;
    features.interest = interestOf(state.interests, held, askedStems);
    features.timeAffinity = affinity[index]!;
    const own = candidate.id === undefined ? { useful: 0, seen: 0 } : { useful: usefulCounts.get(candidate.id) ?? 0, seen: seenCounts.get(candidate.id) ?? 0 };
    features.wordAffinity = wordAffinityOf(state, held, askedStems, own);
    return features;
  });
  // Like the ranker's relative factors: what counts is how a memory compares with this query's other
  // candidates, on a 0..1 scale whatever the spread of raw cosines and shares.
  for (const name of ['profile', 'interest']) {
    const values = rows.map((row) => row[name]!);
    const low = Math.min(...values);
    const range = Math.max(...values) - low;
    for (const row of rows) row[name] = range > 0 ? (row[name]! - low) / range : 0;
  }
  return rows;
}

/**
 * Logits a memory gains per unit of `vocabulary` on top of any learned weight. A word the user has
 * used again and again for what a memory says is evidence by itself; the query expansion alone leaves
 * it to the global ranker, which may weigh one added word little beside the meaning of the rest.
 * Chosen on the simulated users of `neuromem-eval adapt` (0, 1, 2: vocabulary gain at 100
 * interactions +0.115, +0.140, +0.145; the other patterns unchanged).
 */
export const VOCABULARY_PRIOR = 1;

/** The residual logit of one feature row before centring: Σ weight · value, with the vocabulary prior. */
function rawAdjustmentOf(state: UserAdaptation, features: Readonly<Record<string, number>>): number {
  let sum = VOCABULARY_PRIOR * (features.vocabulary ?? 0);
  for (const [name, weight] of Object.entries(state.weights)) {
    const value = features[name];
    if (value !== undefined && Number.isFinite(value)) sum += weight * value;
  }
  return sum;
}

/**
 * What the adaptation adds to each of one query's candidates (their feature rows, in order): the
 * residual logit minus the median of the candidates' residuals, capped. Only differences between
 * candidates change a ranking. A part every candidate shares (weights on importance and length,
 * when all the candidates are long and important) would otherwise use up the cap and leave most
 * candidates at the bound, the differences between them gone (session 47: simulated users' searches
 * had most of their first results at +3). It would also shift the logits the relevance model reads.
 */
export function adjustmentsOf(state: UserAdaptation, rows: ReadonlyArray<Readonly<Record<string, number>>>): number[] {
  const raw = rows.map((features) => rawAdjustmentOf(state, features));
  const sorted = [...raw].sort((a, b) => a - b);
  const middle = sorted.length === 0 ? 0 : (sorted[(sorted.length - 1) >> 1]! + sorted[sorted.length >> 1]!) / 2;
  const cap = ADAPTATION_LIMITS.maxAdjustment;
  return raw.map((value) => Math.max(-cap, Math.min(cap, value - middle)));
}

/** What the user's adaptation adds to each candidate's logit, in order (all 0 for an empty adaptation). */
export function personalAdjustments(state: UserAdaptation, query: string, candidates: readonly AdaptationCandidate[]): number[] {
  if (Object.keys(state.weights).length === 0 && Object.keys(state.vocabulary).length === 0) return candidates.map(() => 0);
  return adjustmentsOf(state, personalFeatures(state, query, candidates));
}

/** Kernel width as a share of the candidates' time span. */
const TIME_BANDWIDTH = 1 / 12;
/** Candidates' worth of belief that the user's times follow the candidates' (shrinks a ratio made of few judgements toward 0). */
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
export function timeAffinities(
  usefulTimes: NonNullable<UserAdaptation['usefulTimes']>,
  seenTimes: NonNullable<UserAdaptation['seenTimes']>,
  candidates: ReadonlyArray<Pick<AdaptationCandidate, 'id' | 'eventTime'>>,
): number[] {
  if (usefulTimes.length === 0 || seenTimes.length === 0) return candidates.map(() => 0);
  let first = Infinity;
  let last = -Infinity;
  for (const { eventTime } of seenTimes) {
    first = Math.min(first, eventTime);
    last = Math.max(last, eventTime);
  }
  const width = (last - first) * TIME_BANDWIDTH;
  if (!(width > 0)) return candidates.map(() => 0);
  const density = (at: number, moments: NonNullable<UserAdaptation['usefulTimes']>, except: string | undefined) => {
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
 * The strongest subject a memory shares with what this user found useful: over its words (other
 * than the query's), the largest log ratio of how often useful memories held the word to how often
 * the memories their searches showed did. A subject the user keeps asking about stands out from what
 * every search brings; words said everywhere ("really", "great") come out near 0. The largest, not
 * the mean: a memory is about a subject when it says one of its words, whatever else it says. The
 * memory's own judgements are left out (`own`: how often it was judged useful and how often shown),
 * since that it was useful before says nothing about others like it.
 */
function wordAffinityOf(state: UserAdaptation, held: ReadonlySet<string>, asked: ReadonlySet<string>, own: { useful: number; seen: number }): number {
  const seen = state.seenWords;
  const useful = state.interests;
  const usefulCount = useful.memories - own.useful;
  const seenCount = (seen?.memories ?? 0) - own.seen;
  if (!seen || usefulCount <= 0 || seenCount <= 0) return 0;
  let strongest = 0;
  for (const stem of held) {
    if (asked.has(stem)) continue;
    const shown = (Math.max(0, (entryOf(seen.words, stem) ?? 0) - own.seen) + 0.5) / (seenCount + 1);
    const liked = (Math.max(0, (entryOf(useful.words, stem) ?? 0) - own.useful) + WORD_PRIOR_WEIGHT * shown) / (usefulCount + WORD_PRIOR_WEIGHT);
    strongest = Math.max(strongest, Math.log(liked / shown));
  }
  return strongest;
}

/** How often each memory appears in a list of judgements. */
function countsById(moments: NonNullable<UserAdaptation['usefulTimes']>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { memoryId } of moments) counts.set(memoryId, (counts.get(memoryId) ?? 0) + 1);
  return counts;
}

/** Mean share of useful memories that held each of the memory's words (stems); the query's own words do not count (every candidate holds them). */
function interestOf(interests: UserAdaptation['interests'], held: ReadonlySet<string>, asked: ReadonlySet<string>): number {
  if (interests.memories === 0) return 0;
  const words = [...held].filter((stem) => !asked.has(stem));
  if (words.length === 0) return 0;
  return words.reduce((sum, stem) => sum + (entryOf(interests.words, stem) ?? 0), 0) / (words.length * interests.memories);
}

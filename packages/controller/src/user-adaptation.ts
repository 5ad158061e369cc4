import { createErrorFactory } from '@neuromem/core';
import { emptyTrackRecord, type TrackRecord } from './track-record';

const fail = createErrorFactory('controller');

/**
 * What one user's feedback has taught, on top of the global ranker (its prior: an empty adaptation
 * ranks exactly as the global model does). Plain JSON, so any store with the `userState`
 * capability keeps it beside the user's memories.
 */
export interface UserAdaptation {
  format: 'neuromem.adaptation/v1';
  /** Feedback events learned from. */
  interactions: number;
  /**
   * Residual weights added to the global ranker's logit, one per adapted feature (`ADAPTED_FEATURES`).
   * Absent = 0. Each stays within ±`ADAPTATION_LIMITS.maxWeight`.
   */
  weights: Record<string, number>;
  /**
   * The vectors of the last memories this user found useful (at most `ADAPTATION_LIMITS.profileSize`,
   * newest last): what they ask about. Kept one by one, not averaged, because interests are several.
   */
  profile: { vectors: number[][] } | null;
  /**
   * The user's own words for what their memories say: for a query word (stemmed) that the useful
   * memory did not contain, how often it was asked (`asked`) and, per memory word (stem -> the
   * word as written and a count), how often that word was in the useful memory instead.
   */
  vocabulary: Record<string, { asked: number; means: Record<string, { word: string; count: number }> }>;
  /** What the user's useful memories talk about: how many there were, and per word (stem) how many held it. */
  interests: WordCounts;
  /**
   * When the last memories this user found useful happened (their ids and event times in ms, at most
   * `ADAPTATION_LIMITS.usefulTimes`, newest last).
   */
  usefulTimes: Moment[];
  /**
   * When the memories shown with each judgement happened (the judged one and the first results beside
   * it; at most `ADAPTATION_LIMITS.seenTimes`, newest last): what searches bring, against which the
   * useful times say what this user prefers.
   */
  seenTimes: Moment[];
  /**
   * What the memories ranked for each judged query say (every candidate, the judged one and the
   * results shown beside it included): how many there were, and per word (stem) how many held it.
   * Against `interests`, the subjects this user asks about more than their searches bring.
   */
  seenWords: WordCounts;
  /**
   * How the adaptation ranked each useful memory against the global model, judged before learning
   * from it (`judgeAdaptation`): a user's searches use the adaptation only once it is ahead
   * (`adaptationEarned`). A document written before it was kept reads as an empty record.
   */
  trackRecord: TrackRecord;
}

/** A judged or shown memory and when it happened. */
export interface Moment {
  memoryId: string;
  eventTime: number;
}

/** How many texts were counted, and per word (stem) how many held it. */
export interface WordCounts {
  memories: number;
  words: Record<string, number>;
}

/** Features the per-user model reads beside the ranker's factors. */
export const PERSONAL_FEATURES = [
  /** The memory's best cosine with the other memories in the user's profile, scaled 0..1 among the query's candidates. */
  'profile',
  /** Share of the query's words whose learned meanings (the user's vocabulary) the memory holds. */
  'vocabulary',
  /** Where the memory's time falls among this query's candidates: 0 the oldest, 1 the newest. */
  'newer',
  /**
   * Mean over the memory's words (other than the query's) of the share of the user's useful memories
   * that held them (their subjects), scaled 0..1 among the query's candidates.
   */
  'interest',
  /**
   * How much likelier this user found memories from around this memory's time useful than their
   * searches showed such memories: the log ratio of the two time densities (`timeAffinities`), near
   * 0 for a user without a habit in time.
   */
  'timeAffinity',
  /**
   * The largest log ratio, over the memory's words (not the query's), of how often the user's useful
   * memories held the word to how often the memories their searches showed did: their subjects.
   */
  'wordAffinity',
] as const;
export type PersonalFeature = (typeof PERSONAL_FEATURES)[number];

/**
 * The features a user's weights are learned on: the personal ones and the ranker's factors that say
 * what a memory is rather than how well it matches (its time, importance, use, length). The match
 * factors (similarities, lexical scores, graph) keep the global model's weights, fitted on thousands
 * of questions: a hundred judgements of one user, each of which ranks a few near-equal matches, taught
 * them noise (on simulated users without a pattern, recall@5 fell when they were adapted too).
 */
export const ADAPTED_FEATURES = [...PERSONAL_FEATURES, 'recency', 'timeOrder', 'importance', 'length', 'questionEcho'] as const;

/**
 * Bounds that keep a flood of adversarial or contradictory feedback from taking a user's ranking
 * anywhere: every weight is capped, the total adjustment of one memory is capped, and the learned
 * vocabulary is capped in size.
 */
export const ADAPTATION_LIMITS = {
  /** Largest magnitude of one residual weight. */
  maxWeight: 2,
  /** Largest magnitude of the adjustment added to one memory's logit. */
  maxAdjustment: 3,
  /** Query words whose meanings are kept (the least asked go first). */
  vocabularyWords: 300,
  /** Words the interests keep (the rarest go first). */
  interestWords: 500,
  /** Meanings kept per query word (the least seen go first). */
  meaningsPerWord: 24,
  /** Useful memories the profile keeps (the oldest go first). */
  profileSize: 16,
  /** Useful memories whose times are kept (the oldest go first). */
  usefulTimes: 64,
  /** Shown memories whose times are kept (the oldest go first). */
  seenTimes: 320,
  /** Words the shown memories' counts keep (the rarest go first). */
  seenWords: 3000,
} as const;

export function emptyAdaptation(): UserAdaptation {
  return {
    format: 'neuromem.adaptation/v1',
    interactions: 0,
    weights: {},
    profile: null,
    vocabulary: {},
    interests: { memories: 0, words: {} },
    usefulTimes: [],
    seenTimes: [],
    seenWords: { memories: 0, words: {} },
    trackRecord: emptyTrackRecord(),
  };
}

const REMAKE = 'reset it with memory.resetAdaptation(userId)';

/**
 * Checks an adaptation read back from a store; a damaged document fails here, not as NaN scores later.
 * A document written before the times and shown words were kept reads as one without them.
 */
export function parseAdaptation(value: unknown, source = 'user adaptation'): UserAdaptation {
  const state = value as Partial<UserAdaptation> | null;
  if (typeof state !== 'object' || state === null || state.format !== 'neuromem.adaptation/v1') {
    throw fail('INVALID_INPUT', `${source} is not a NeuroMem user adaptation (expected format "neuromem.adaptation/v1"); ${REMAKE}.`);
  }
  const { interactions, weights, profile, vocabulary, interests, usefulTimes, seenTimes, seenWords, trackRecord } = state;
  if (!Number.isSafeInteger(interactions) || interactions! < 0) throw fail('INVALID_INPUT', `${source}.interactions must be a count; ${REMAKE}.`);
  if (!isRecord(weights) || !Object.values(weights).every((w) => typeof w === 'number' && Math.abs(w) <= ADAPTATION_LIMITS.maxWeight)) {
    throw fail('INVALID_INPUT', `${source}.weights must map names to numbers within ±${ADAPTATION_LIMITS.maxWeight}; ${REMAKE}.`);
  }
  const isVector = (v: unknown) => Array.isArray(v) && v.length > 0 && v.every(Number.isFinite);
  if (profile !== null && !(isRecord(profile) && Array.isArray(profile.vectors) && profile.vectors.length <= ADAPTATION_LIMITS.profileSize && profile.vectors.every(isVector))) {
    throw fail('INVALID_INPUT', `${source}.profile must be null or { vectors: number[][] } with at most ${ADAPTATION_LIMITS.profileSize} vectors; ${REMAKE}.`);
  }
  const wellFormedWord = (entry: unknown) => {
    const { asked, means } = (entry ?? {}) as UserAdaptation['vocabulary'][string];
    return Number.isSafeInteger(asked) && asked > 0 && isRecord(means) && Object.values(means).every((m) => isRecord(m) && typeof m.word === 'string' && Number.isSafeInteger(m.count) && m.count > 0);
  };
  if (!isRecord(vocabulary) || !Object.values(vocabulary).every(wellFormedWord)) throw fail('INVALID_INPUT', `${source}.vocabulary is malformed; ${REMAKE}.`);
  if (!isWordCounts(interests)) throw fail('INVALID_INPUT', `${source}.interests must be { memories, words } with counts; ${REMAKE}.`);
  if (seenWords !== undefined && !isWordCounts(seenWords)) throw fail('INVALID_INPUT', `${source}.seenWords must be { memories, words } with counts; ${REMAKE}.`);
  const isMoments = (moments: unknown, limit: number) =>
    moments === undefined || (Array.isArray(moments) && moments.length <= limit && moments.every((m) => isRecord(m) && typeof m.memoryId === 'string' && Number.isFinite(m.eventTime)));
  if (!isMoments(usefulTimes, ADAPTATION_LIMITS.usefulTimes) || !isMoments(seenTimes, ADAPTATION_LIMITS.seenTimes)) {
    throw fail(
      'INVALID_INPUT',
      `${source}.usefulTimes and .seenTimes must be lists of { memoryId, eventTime } with finite times (at most ${ADAPTATION_LIMITS.usefulTimes} and ${ADAPTATION_LIMITS.seenTimes}); ${REMAKE}.`,
    );
  }
  const tally = (n: unknown) => typeof n === 'number' && Number.isFinite(n) && n >= 0;
  if (trackRecord !== undefined && !(isRecord(trackRecord) && tally(trackRecord.better) && tally(trackRecord.worse))) {
    throw fail('INVALID_INPUT', `${source}.trackRecord must be { better, worse } with finite counts >= 0; ${REMAKE}.`);
  }
  return {
    format: 'neuromem.adaptation/v1',
    interactions: interactions!,
    weights: { ...weights },
    profile: profile === null ? null : { vectors: profile!.vectors.map((v) => [...v]) },
    vocabulary: structuredClone(vocabulary),
    interests: copyCounts(interests),
    usefulTimes: moments(usefulTimes),
    seenTimes: moments(seenTimes),
    seenWords: seenWords === undefined ? { memories: 0, words: {} } : copyCounts(seenWords),
    trackRecord: trackRecord === undefined ? emptyTrackRecord() : { better: trackRecord.better, worse: trackRecord.worse },
  };
}

/**
 * A word's entry in one of the adaptation's records, own properties only: a user may well type
 * "constructor", which every object inherits.
 */
export const entryOf = <T>(record: Readonly<Record<string, T>>, key: string): T | undefined => (Object.hasOwn(record, key) ? record[key] : undefined);

const moments = (list: readonly Moment[] | undefined): Moment[] => (list ?? []).map(({ memoryId, eventTime }) => ({ memoryId, eventTime }));

const count = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;

/** `{ memories, words }` where every word was held by no more texts than were counted. */
const isWordCounts = (value: unknown): value is WordCounts =>
  isRecord(value) && count(value.memories) && isRecord(value.words) && Object.values(value.words).every((n) => count(n) && (n as number) <= (value.memories as number));

const copyCounts = (counts: WordCounts): WordCounts => ({ memories: counts.memories, words: { ...counts.words } });

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

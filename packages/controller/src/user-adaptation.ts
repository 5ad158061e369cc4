import { createErrorFactory } from '@neuromem/core';

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
   * Residual weights added to the global ranker's logit: one per ranker factor and per personal
   * feature (`PERSONAL_FEATURES`). Absent = 0. Each stays within ±`ADAPTATION_LIMITS.maxWeight`.
   */
  weights: Record<string, number>;
  /** The running mean of the vectors of memories this user found useful: what they ask about. */
  profile: { vector: number[]; count: number } | null;
  /**
   * The user's own words for what their memories say: for a query word (stemmed) that the useful
   * memory did not contain, how often it was asked (`asked`) and, per memory word (stem -> the
   * word as written and a count), how often that word was in the useful memory instead.
   */
  vocabulary: Record<string, { asked: number; means: Record<string, { word: string; count: number }> }>;
}

/** Features the per-user model reads beside the ranker's factors. */
export const PERSONAL_FEATURES = [
  /** Cosine of the memory's vector and the user's profile (0 without either). */
  'profile',
  /** Share of the query's words whose learned meanings (the user's vocabulary) the memory holds. */
  'vocabulary',
  /** Where the memory's time falls among this query's candidates: 0 the oldest, 1 the newest. */
  'newer',
] as const;
export type PersonalFeature = (typeof PERSONAL_FEATURES)[number];

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
  /** Meanings kept per query word (the least seen go first). */
  meaningsPerWord: 24,
  /** Memories after which the profile becomes a moving average (recent interests weigh more). */
  profileWindow: 50,
} as const;

export function emptyAdaptation(): UserAdaptation {
  return { format: 'neuromem.adaptation/v1', interactions: 0, weights: {}, profile: null, vocabulary: {} };
}

const REMAKE = 'reset it with memory.resetAdaptation(userId)';

/** Checks an adaptation read back from a store; a damaged document fails here, not as NaN scores later. */
export function parseAdaptation(value: unknown, source = 'user adaptation'): UserAdaptation {
  const state = value as Partial<UserAdaptation> | null;
  if (typeof state !== 'object' || state === null || state.format !== 'neuromem.adaptation/v1') {
    throw fail('INVALID_INPUT', `${source} is not a NeuroMem user adaptation (expected format "neuromem.adaptation/v1"); ${REMAKE}.`);
  }
  const { interactions, weights, profile, vocabulary } = state;
  if (!Number.isSafeInteger(interactions) || interactions! < 0) throw fail('INVALID_INPUT', `${source}.interactions must be a count; ${REMAKE}.`);
  if (!isRecord(weights) || !Object.values(weights).every((w) => typeof w === 'number' && Math.abs(w) <= ADAPTATION_LIMITS.maxWeight)) {
    throw fail('INVALID_INPUT', `${source}.weights must map names to numbers within ±${ADAPTATION_LIMITS.maxWeight}; ${REMAKE}.`);
  }
  if (profile !== null && !(isRecord(profile) && Array.isArray(profile.vector) && profile.vector.every(Number.isFinite) && Number.isSafeInteger(profile.count) && profile.count > 0)) {
    throw fail('INVALID_INPUT', `${source}.profile must be null or { vector: number[], count }; ${REMAKE}.`);
  }
  const wellFormedWord = (entry: unknown) => {
    const { asked, means } = (entry ?? {}) as UserAdaptation['vocabulary'][string];
    return Number.isSafeInteger(asked) && asked > 0 && isRecord(means) && Object.values(means).every((m) => isRecord(m) && typeof m.word === 'string' && Number.isSafeInteger(m.count) && m.count > 0);
  };
  if (!isRecord(vocabulary) || !Object.values(vocabulary).every(wellFormedWord)) throw fail('INVALID_INPUT', `${source}.vocabulary is malformed; ${REMAKE}.`);
  return {
    format: 'neuromem.adaptation/v1',
    interactions: interactions!,
    weights: { ...weights },
    profile: profile === null ? null : { vector: [...profile!.vector], count: profile!.count },
    vocabulary: structuredClone(vocabulary),
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

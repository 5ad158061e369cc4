import { createErrorFactory, createLruCache, createSerialQueue, supports, type MemoryStore, type Scope } from '@neuromem/core';
import {
  adaptationEarned,
  emptyAdaptation,
  expandQuery,
  learnFromFeedback,
  parseAdaptation,
  personalAdjustments,
  type FeedbackEvent,
  type LearningOptions,
  type UserAdaptation,
} from '@neuromem/controller';
import { CALIBRATED_LIST } from '@neuromem/controller';
import type { Personalization, RankedMemory, Retriever } from '@neuromem/retrieval';

const fail = createErrorFactory('neuromem');

/** Users whose adaptation stays in memory (each up to a few hundred KB, most far less). */
const CACHED_USERS = 10_000;

/** The key a user's adaptation is kept under in a store with the `userState` capability. */
export const ADAPTATION_KEY = 'neuromem.adaptation';

/**
 * Each user's adaptation of the global ranking (Module 3's online learning): loaded on a user's
 * first search, learned from their feedback one event at a time, and kept in the store beside
 * their memories when it can keep user state (in this process only when it cannot).
 */
export function createUserAdaptations(store: MemoryStore, options: LearningOptions = {}) {
  const persisted = supports(store, 'userState') ? store : undefined;
  // Read once per user, then kept: every search of that user reads it. Bounded, so a server with
  // many users does not grow without end; without user state in the store the least recently
  // active users' adaptations are then forgotten (they start again from the global model).
  const cached = createLruCache<string, UserAdaptation>({ maxCost: CACHED_USERS, costOf: () => 1 });
  // One feedback at a time: two at once would each learn from the same state and one would be lost.
  const queue = createSerialQueue();

  async function load(userId: string): Promise<UserAdaptation> {
    const known = cached.get(userId);
    if (known) return known;
    const stored = persisted ? await persisted.readUserState(userId, ADAPTATION_KEY) : null;
    let state: UserAdaptation;
    try {
      state = stored === null ? emptyAdaptation() : parseAdaptation(stored, `the adaptation of user ${userId}`);
    } catch (cause) {
      throw fail('STORAGE', `the stored adaptation of user ${userId} is damaged; memory.resetAdaptation(${JSON.stringify(userId)}) starts it again from the global model.`, {
        cause,
        details: { userId },
      });
    }
    cached.set(userId, state);
    return state;
  }

  return {
    load,
    /** How the user's searches are adapted; undefined before their first feedback (the global ranking). */
    async personalizationOf(userId: string | undefined): Promise<Personalization | undefined> {
      return userId === undefined ? undefined : personalize(await load(userId));
    },
    /**
     * Learns one event; `judge` runs inside the user's turn with their current state (it ranks the
     * query). Undefined (nothing learned) when `judge` finds no event.
     */
    learn(userId: string, judge: (personalization: Personalization | undefined) => Promise<FeedbackEvent | undefined>): Promise<UserAdaptation | undefined> {
      return queue.run(async () => {
        const state = await load(userId);
        const event = await judge(personalize(state));
        if (event === undefined) return undefined;
        const next = learnFromFeedback(state, event, options);
        // Written before it is used: a search never sees a state the store does not hold.
        await persisted?.writeUserState(userId, ADAPTATION_KEY, next as never);
        cached.set(userId, next);
        return next;
      });
    },
    reset(userId: string): Promise<void> {
      return queue.run(async () => {
        await persisted?.writeUserState(userId, ADAPTATION_KEY, null);
        cached.delete(userId);
      });
    },
    /** Forgets what this process holds (after the store was reset). */
    clear(): void {
      cached.clear();
    },
  };
}

/** Candidates ranked when feedback is learned: enough that the judged memory is among them wherever it ranks. */
const FEEDBACK_POOL = 500;

/**
 * The event a judgement makes: the query ranked in the user's scope (with their adaptation so far),
 * the judged memory found among the candidates, and the first results beside it. Undefined when the
 * memory is not among them (its scope no longer admits it).
 */
export async function feedbackEvent(
  retriever: Retriever,
  judgement: { memoryId: string; query: string; useful: boolean; scope: Scope; referenceTime: number },
  personalization: Personalization | undefined,
): Promise<FeedbackEvent | undefined> {
  const { memoryId, query, useful, scope, referenceTime } = judgement;
  const ranked = await retriever.retrieve(query, { filter: { scope }, topK: FEEDBACK_POOL, referenceTime, include: [memoryId], ...(personalization ? { personalization } : {}) });
  const at = ranked.findIndex((r) => r.record.id === memoryId);
  if (at < 0) return undefined;
  // The global model's logit: the adaptation learns what it should add to it.
  const asSeen = (r: RankedMemory) => ({ id: r.record.id, text: r.record.text, eventTime: r.record.eventTime, factors: r.factors, vector: r.vector, logit: r.logit - r.personal });
  const others = ranked.filter((_, i) => i !== at);
  return { query, useful, target: asSeen(ranked[at]!), others: others.slice(0, CALIBRATED_LIST).map(asSeen), rest: others.slice(CALIBRATED_LIST).map(asSeen) };
}

/**
 * Retrieval's view of an adaptation; undefined for one that learned nothing yet (it would change
 * nothing). What it adds to the ranking (the learned weights and the subject and vocabulary
 * priors) applies once the adaptation has ranked the user's useful memories better than the global
 * model did (`adaptationEarned`); the user's own words' meanings widen their queries from the start,
 * since a search cannot find what its words miss and the track record cannot judge that. Users
 * without a pattern lost 1-4 of 200 held-out test questions to weights fitted to chance (session
 * 53), one with the priors applied from the start (session 55), none with both held back (session 56).
 */
function personalize(state: UserAdaptation): Personalization | undefined {
  if (state.interactions === 0) return undefined;
  const earned = adaptationEarned(state.trackRecord);
  return {
    expandQuery: (query) => expandQuery(state, query),
    adjust: (query, candidates) => (earned ? personalAdjustments(state, query, candidates) : candidates.map(() => 0)),
  };
}

export type UserAdaptations = ReturnType<typeof createUserAdaptations>;

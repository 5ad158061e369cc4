import { createErrorFactory, supports, validatePositiveInt, type AgentReport, type JsonValue, type MemoryAgent, type SearchActivity } from '@neuromem/core';
import { observe, rankUsers, tune, type ActivityProfiles, type PreloadParams } from './activity-profiles';

const fail = createErrorFactory('agents');

/** The sleep owner's user-state key under which the agent keeps its profiles, predictions and record. */
export const PRELOADING_STATE = 'neuromem.sleep.preloading';
/** Outcomes kept in the agent's record. */
const KEPT_OUTCOMES = 50;
/** Memories remembered per pre-loaded user, to score the prediction against what was then found. */
const REMEMBERED_IDS = 20;

export interface PreloadingAgentOptions {
  /** The most users one sleep pre-loads. Default 64. */
  maxUsers?: number;
  /** The price of pre-loading every known user, against a reward of 1 for having every searcher ready. Default 0.25. */
  cost?: number;
  /** Where the parameters start (they are tuned from there). Default `{ users: 8, recencyWeight: 0.5 }`. */
  start?: Partial<PreloadParams>;
  /** Re-tune the parameters from each window's outcome. Default true (false: a fixed baseline). */
  tune?: boolean;
}

/** How one window of searches went: were the users who searched ready, and were their results among the pre-loaded memories? */
export interface PreloadOutcome {
  /** Epoch ms of the sleep that scored it. */
  at: number;
  /** Users whose first search of the window was scored. */
  searchers: number;
  /** Of them, pre-loaded by the previous sleep. */
  usersReady: number;
  /** Results of those first searches, and how many the previous sleep had pre-loaded. */
  results: number;
  resultsReady: number;
  /** Users the previous sleep pre-loaded. */
  preloaded: number;
}

interface PreloadState {
  /** Searches up to this epoch ms have been learned from. */
  readThrough: number;
  profiles: ActivityProfiles;
  /** What the last sleep pre-loaded: user → memory ids found by rehearsing their likely next query. */
  warmed: Record<string, string[]>;
  params: PreloadParams;
  outcomes: PreloadOutcome[];
}

/**
 * Pre-loading (store-wide, after the users): learns from the memory's searches which users search
 * when (recency and hour-of-day habit, `activity-profiles.ts`), then rehearses the likeliest users'
 * next query — their latest one, and their newest memory as the session's topic — so the caches a
 * search reads (the user's vectors, word index pages, graph neighbourhoods) are warm when they
 * come back. Reward: the share of users whose first search found them pre-loaded, less a cost per
 * pre-loaded user; it re-tunes its blend and its number of users each sleep by replaying the last
 * window (`tune`). Nothing a user sees changes, so nothing is journaled; a sleep without the
 * memory's foreground (a bare store) skips it.
 */
export function createPreloadingAgent(options: PreloadingAgentOptions = {}): MemoryAgent {
  const maxUsers = validatePositiveInt(options.maxUsers ?? 64, 'maxUsers', 100_000, 'agents');
  const cost = options.cost ?? 0.25;
  if (typeof cost !== 'number' || !Number.isFinite(cost) || cost < 0) throw fail('INVALID_INPUT', `cost must be a finite number >= 0, got ${String(cost)}.`, { details: { field: 'cost' } });
  const recencyWeight = options.start?.recencyWeight ?? 0.5;
  if (typeof recencyWeight !== 'number' || !(recencyWeight >= 0 && recencyWeight <= 1)) {
    throw fail('INVALID_INPUT', `start.recencyWeight must be a number in [0, 1], got ${String(recencyWeight)}.`, { details: { field: 'start.recencyWeight' } });
  }
  const start: PreloadParams = { users: Math.min(maxUsers, validatePositiveInt(options.start?.users ?? 8, 'start.users', 100_000, 'agents')), recencyWeight };
  const tuning = options.tune ?? true;

  return {
    specVersion: 'neuromem.agent/v1',
    name: 'preloading',
    reach: 'store',
    async run({ store, clock, userId, foreground, deadline, signal }): Promise<AgentReport> {
      const started = clock.now();
      if (!foreground || !supports(store, 'userState')) return { agent: 'preloading', actions: {}, durationMs: 0, done: true };
      const saved = parseState(await store.readUserState(userId, PRELOADING_STATE), start);
      const now = clock.now();
      const searches = foreground.searchesSince(saved.readThrough);
      const firsts = firstSearchOfEachUser(searches);
      const outcome = score(firsts, saved.warmed, now);
      const params = tuning ? tune(saved.profiles, saved.readThrough, [...firsts.keys()], saved.params, { maxUsers, cost }) : start;
      const profiles = observe(saved.profiles, searches, now - saved.readThrough);

      const warmed: Record<string, string[]> = {};
      let rehearsed = 0;
      let done = true;
      for (const user of rankUsers(profiles, now, params.recencyWeight).slice(0, params.users)) {
        if (signal?.aborted || clock.now() >= deadline) {
          done = false;
          break;
        }
        const [newest] = await store.list({ scope: { userId: user }, order: 'eventTime-desc', limit: 1 });
        const queries = [...new Set([profiles[user]!.lastQuery, newest?.text ?? ''].filter((query) => query.trim() !== ''))];
        const found = new Set<string>();
        for (const query of queries) for (const id of await foreground.rehearse(user, query)) found.add(id);
        rehearsed += queries.length;
        warmed[user] = [...found].slice(0, REMEMBERED_IDS);
      }
      const readThrough = Math.max(now, searches.at(-1)?.at ?? 0);
      const next: PreloadState = { readThrough, profiles, warmed, params, outcomes: [...saved.outcomes, ...(outcome ? [outcome] : [])].slice(-KEPT_OUTCOMES) };
      await store.writeUserState(userId, PRELOADING_STATE, next as unknown as JsonValue);
      return {
        agent: 'preloading',
        actions: {
          preloaded: Object.keys(warmed).length,
          rehearsed,
          searchers: outcome?.searchers ?? 0,
          usersReady: outcome?.usersReady ?? 0,
          results: outcome?.results ?? 0,
          resultsReady: outcome?.resultsReady ?? 0,
        },
        durationMs: clock.now() - started,
        done,
      };
    },
  };
}

/** The agent's record (outcomes, current parameters) as the last sleep left it; null before its first run. */
export function preloadingRecord(state: JsonValue | null): { params: PreloadParams; outcomes: PreloadOutcome[] } | null {
  if (state === null) return null;
  const { params, outcomes } = parseState(state);
  return { params, outcomes };
}

function firstSearchOfEachUser(searches: readonly SearchActivity[]): Map<string, SearchActivity> {
  const firsts = new Map<string, SearchActivity>();
  for (const search of searches) if (!firsts.has(search.userId)) firsts.set(search.userId, search);
  return firsts;
}

function score(firsts: Map<string, SearchActivity>, warmed: Record<string, string[]>, at: number): PreloadOutcome | undefined {
  if (firsts.size === 0) return undefined;
  let usersReady = 0;
  let results = 0;
  let resultsReady = 0;
  for (const [user, search] of firsts) {
    const ready = warmed[user];
    if (ready) usersReady += 1;
    results += search.resultIds.length;
    if (ready) resultsReady += search.resultIds.filter((id) => ready.includes(id)).length;
  }
  return { at, searchers: firsts.size, usersReady, results, resultsReady, preloaded: Object.keys(warmed).length };
}

/** The saved state, or a fresh one when there is none or it is not one this agent wrote (never a crash). */
function parseState(value: JsonValue | null, start: PreloadParams = { users: 8, recencyWeight: 0.5 }): PreloadState {
  const fresh: PreloadState = { readThrough: 0, profiles: {}, warmed: {}, params: start, outcomes: [] };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return fresh;
  const state = value as unknown as Partial<PreloadState>;
  const params = state.params;
  const valid =
    typeof state.readThrough === 'number' &&
    typeof state.profiles === 'object' &&
    state.profiles !== null &&
    typeof state.warmed === 'object' &&
    state.warmed !== null &&
    Array.isArray(state.outcomes) &&
    typeof params?.users === 'number' &&
    typeof params.recencyWeight === 'number';
  if (!valid) return fresh;
  // A profile that is not one this agent wrote is dropped, not trusted: it only costs a prediction.
  const profiles = Object.fromEntries(
    Object.entries(state.profiles as ActivityProfiles).filter(
      ([, profile]) =>
        Array.isArray(profile?.hours) &&
        profile.hours.length === 24 &&
        profile.hours.every((count) => Number.isFinite(count)) &&
        Number.isFinite(profile.lastActive) &&
        typeof profile.lastQuery === 'string',
    ),
  );
  return { ...(state as PreloadState), profiles };
}

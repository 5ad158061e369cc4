import type { SearchActivity } from '@neuromem/core';

/** What the pre-loading agent knows of one user's habits. */
export interface ActivityProfile {
  /** Searches per hour of the day (UTC), decayed with a half-life of `HABIT_HALF_LIFE_MS`. */
  hours: number[];
  /** Epoch ms of the user's latest search. */
  lastActive: number;
  /** The user's latest query: the likeliest topic of their next one. */
  lastQuery: string;
}

export type ActivityProfiles = Record<string, ActivityProfile>;

/** How the agent ranks users: the blend of recency and habit, and how many users it pre-loads. */
export interface PreloadParams {
  users: number;
  /** 1: rank by recency alone; 0: by the hour-of-day habit alone. */
  recencyWeight: number;
}

const HOUR_MS = 3_600_000;
/** How fast a search stops counting as "recent". */
const RECENCY_MS = 6 * HOUR_MS;
/** Habits fade: a search two weeks ago counts half. */
export const HABIT_HALF_LIFE_MS = 14 * 24 * HOUR_MS;
/** Profiles kept (the most recently active); the rest are forgotten, as a cache would. */
export const MAX_PROFILES = 1_000;
const MAX_QUERY_CHARS = 300;
const WEIGHTS = [0, 0.25, 0.5, 0.75, 1];

/**
 * How likely the user is to search within the next two hours of `at`: recency (a user who just
 * searched tends to search again) blended with habit (the share of their searches made at these
 * hours of the day).
 */
export function likelihood(profile: ActivityProfile, at: number, recencyWeight: number): number {
  const total = profile.hours.reduce((sum, count) => sum + count, 0);
  const hour = new Date(at).getUTCHours();
  const habit = total === 0 ? 0 : (profile.hours[hour]! + profile.hours[(hour + 1) % 24]!) / total;
  const recency = Math.exp(-Math.max(0, at - profile.lastActive) / RECENCY_MS);
  return recencyWeight * recency + (1 - recencyWeight) * habit;
}

/** Users, likeliest to search soon first (ties: the most recently active). */
export function rankUsers(profiles: ActivityProfiles, at: number, recencyWeight: number): string[] {
  return Object.entries(profiles)
    .map(([user, profile]) => ({ user, score: likelihood(profile, at, recencyWeight), lastActive: profile.lastActive }))
    .sort((a, b) => b.score - a.score || b.lastActive - a.lastActive)
    .map((entry) => entry.user);
}

/** The profiles after `searches` (oldest first), habits decayed over `elapsedMs`. Pure. */
export function observe(profiles: ActivityProfiles, searches: readonly SearchActivity[], elapsedMs: number): ActivityProfiles {
  const decay = 0.5 ** (Math.max(0, elapsedMs) / HABIT_HALF_LIFE_MS);
  const next: ActivityProfiles = {};
  for (const [user, profile] of Object.entries(profiles)) next[user] = { ...profile, hours: profile.hours.map((count) => round(count * decay)) };
  for (const search of searches) {
    const profile = (next[search.userId] ??= { hours: new Array<number>(24).fill(0), lastActive: 0, lastQuery: '' });
    profile.hours[new Date(search.at).getUTCHours()]! += 1;
    profile.lastActive = Math.max(profile.lastActive, search.at);
    profile.lastQuery = search.query.slice(0, MAX_QUERY_CHARS);
  }
  const kept = Object.entries(next)
    .sort((a, b) => b[1].lastActive - a[1].lastActive)
    .slice(0, MAX_PROFILES);
  return Object.fromEntries(kept);
}

/**
 * The agent's reward, replayed: had it ranked with weight w and pre-loaded k users when it last
 * ran, what share of the users who then searched would it have had ready, less `cost` times the
 * share of known users it pre-loaded (warming costs work and cache room)? The parameters move
 * halfway toward the best (w, k), so one odd hour does not swing them.
 */
export function tune(previous: ActivityProfiles, rankedAt: number, searchers: readonly string[], params: PreloadParams, options: { maxUsers: number; cost: number }): PreloadParams {
  const known = Object.keys(previous).length;
  if (searchers.length === 0 || known === 0) return params;
  const wanted = new Set(searchers);
  let best = { reward: Number.NEGATIVE_INFINITY, weight: params.recencyWeight, users: params.users };
  for (const weight of WEIGHTS) {
    const ranking = rankUsers(previous, rankedAt, weight);
    let hits = 0;
    for (let k = 1; k <= Math.min(options.maxUsers, ranking.length); k += 1) {
      if (wanted.has(ranking[k - 1]!)) hits += 1;
      const reward = hits / wanted.size - (options.cost * k) / known;
      const closer = reward === best.reward && Math.abs(weight - params.recencyWeight) < Math.abs(best.weight - params.recencyWeight);
      if (reward > best.reward || closer) best = { reward, weight, users: k };
    }
  }
  return {
    recencyWeight: round((params.recencyWeight + best.weight) / 2),
    users: Math.max(1, Math.min(options.maxUsers, Math.round((params.users + best.users) / 2))),
  };
}

const round = (value: number) => Math.round(value * 1000) / 1000;

import type { Scope } from '@neuromem/core';
import type { SqliteMemoryStore } from '@neuromem/store';
import type { EntityIds } from '../types';
import { failCli } from './cli-errors';

/** The shortest prefix that is looked up: shorter ones match too much to be worth a scan. */
export const MIN_ID_PREFIX = 4;
/** Matches an ambiguous prefix lists. */
const LISTED = 10;

/**
 * The memory id a by-id command means: the id itself, else the one id of the owner's memories that
 * starts with it (like git's short hashes). Only the owner's memories are looked at, so a prefix
 * never reaches another user's memory and both read alike: `notFound()`. With `includeDeleted`,
 * tombstoned memories count too (their history is kept).
 */
export async function resolveMemoryId(store: SqliteMemoryStore, given: string, owner: EntityIds, options: { includeDeleted: boolean; notFound: () => Error }): Promise<string> {
  const scope: Scope = { ...(owner.userId ? { userId: owner.userId } : {}), ...(owner.agentId ? { agentId: owner.agentId } : {}), ...(owner.runId ? { sessionId: owner.runId } : {}) };
  const whole = options.includeDeleted ? (await store.history(given, { scope })).length > 0 : (await store.get(given, { scope })) !== null;
  if (whole) return given;
  if ([...given].length < MIN_ID_PREFIX) throw options.notFound();
  const matches = await store.idsStartingWith(given, { scope, includeDeleted: options.includeDeleted, limit: LISTED + 1 });
  if (matches.length === 0) throw options.notFound();
  if (matches.length === 1) return matches[0]!;
  const listed = matches.slice(0, LISTED);
  const count = matches.length > LISTED ? `more than ${LISTED}` : String(matches.length);
  throw failCli('INVALID_INPUT', `the id prefix ${given} is ambiguous: ${count} memories start with it (${listed.join(', ')}${matches.length > LISTED ? ', …' : ''}); give more of the id.`, {
    details: { field: 'id', matches: listed },
  });
}

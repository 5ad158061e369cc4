import { createErrorFactory, describeValue, isPlainObject, type Metadata } from '@neuromem/core';
import type { EntityIds } from '../types';
import { entityId } from './entity-id';

/**
 * Checks of the options Mem0's methods take, with Mem0 3.x's rules and wording (code written for
 * Mem0 may match on its messages), each a NeuroMemError with a code.
 */

const fail = createErrorFactory('mem0');
const invalid = (field: string, message: string) => fail('INVALID_INPUT', message, { details: { field } });

/** Mem0's default `topK` of `search` and `getAll`. */
export const DEFAULT_TOP_K = 20;

const ENTITIES = [
  ['userId', 'user_id'],
  ['agentId', 'agent_id'],
  ['runId', 'run_id'],
] as const;

/** Keys that name an owner: caller metadata may not set them, so it cannot move a memory to another owner. */
const IDENTITY_KEYS = new Set(['user_id', 'agent_id', 'run_id', 'userId', 'agentId', 'runId', 'actor_id']);

export function optionsOf<T extends object>(value: T | undefined, call: string): Partial<T> {
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value)) throw invalid('options', `the options of ${call} must be an object like { filters: { user_id: "alice" } }, got ${describeValue(value)}.`);
  return value as Partial<T>;
}

/** Mem0 3.x scopes reads with `filters` only: top-level ids are refused, with the fix. */
export function rejectTopLevelIds(options: object, method: string): void {
  const keys = Object.keys(options).filter((key) => ENTITIES.some((pair) => (pair as readonly string[]).includes(key)));
  if (keys.length > 0) {
    throw invalid(keys[0]!, `Top-level entity parameters [${keys.join(', ')}] are not supported in ${method}(). Use filters: { user_id: "..." } instead.`);
  }
}

export function topKOf(value: unknown): number {
  if (value === undefined) return DEFAULT_TOP_K;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw invalid('topK', `topK must be a valid integer, got ${describeValue(value)}.`);
  if (value < 0) throw invalid('topK', `Invalid topK: ${value}. Must be a non-negative integer.`);
  return value;
}

export function thresholdOf(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || Number.isNaN(value)) throw invalid('threshold', `threshold must be a valid number, got ${describeValue(value)}.`);
  if (value < 0 || value > 1) throw invalid('threshold', `Invalid threshold: ${value}. Must be between 0 and 1 (inclusive).`);
  return value;
}

export function flagOf(value: unknown, field: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw invalid(field, `${field} must be true or false, got ${describeValue(value)}.`);
  return value;
}

/** Caller metadata without the keys that name an owner (as Mem0 strips them). */
export function withoutIdentity(metadata: unknown): Metadata {
  if (metadata === undefined || metadata === null) return {};
  if (!isPlainObject(metadata)) throw invalid('metadata', `metadata must be a plain object, got ${describeValue(metadata)}.`);
  return Object.fromEntries(Object.entries(metadata).filter(([key]) => !IDENTITY_KEYS.has(key))) as Metadata;
}

/** The owner of an `add`: `userId` / `agentId` / `runId`, or Mem0 3.x's `filters: { user_id, ... }`; both must agree. */
export function addOwner(options: { userId?: unknown; agentId?: unknown; runId?: unknown; filters?: unknown }): EntityIds {
  const filters = options.filters === undefined || options.filters === null ? {} : options.filters;
  if (!isPlainObject(filters)) throw invalid('filters', `filters must be an object like { user_id: "alice" }, got ${describeValue(filters)}.`);
  const owner: EntityIds = {};
  for (const [camel, snake] of ENTITIES) {
    const direct = entityId(options[camel], camel);
    const filtered = entityId(filters[snake] ?? filters[camel], snake);
    if (direct !== undefined && filtered !== undefined && direct !== filtered) {
      throw invalid(camel, `${camel} "${direct}" and filters.${snake} "${filtered}" name two owners; pass one of them.`);
    }
    const id = direct ?? filtered;
    if (id !== undefined) owner[camel] = id;
  }
  if (Object.keys(owner).length === 0) throw invalid('userId', 'One of the filters: userId, agentId or runId is required! For example add(messages, { userId: "alice" }).');
  return owner;
}

/** The owner `deleteAll` empties; at least one id, so a missing id never reads as "everyone". */
export function deleteAllOwner(options: { userId?: unknown; agentId?: unknown; runId?: unknown }): EntityIds {
  const owner: EntityIds = {};
  for (const [camel] of ENTITIES) {
    const id = entityId(options[camel], camel);
    if (id !== undefined) owner[camel] = id;
  }
  if (Object.keys(owner).length === 0) {
    throw invalid('userId', 'At least one filter is required to delete all memories. If you want to delete all memories, use the `reset()` method.');
  }
  return owner;
}

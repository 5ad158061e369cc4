import { createErrorFactory, isPlainObject, type JsonPrimitive } from '@neuromem/core';
import type { EntityIds } from '../types';
import { entityId } from './entity-id';
import { checkFilter, WILDCARD } from './match-filter';
import type { Mem0Filters } from './types';

const fail = createErrorFactory('mem0');

/** Mem0's entity keys in filters (snake_case, as stored), with the camelCase spelling Mem0's store also reads. */
const ENTITY_KEYS = [
  ['user_id', 'userId'],
  ['agent_id', 'agentId'],
  ['run_id', 'runId'],
] as const;

/** Mem0's own fields of a memory: filters read them, but they are not metadata, so the store cannot. */
const MEM0_FIELDS = new Set(['data', 'hash', 'createdAt', 'updatedAt', 'attributedTo', 'textLemmatized']);
const METADATA_KEY = /^[A-Za-z0-9_-]{1,64}$/;

/** A Mem0 filter split into what NeuroMem reads it with. */
export interface ResolvedFilters {
  /** The owners to read: one scope, or one per id of an `in` list when no id is given outright. */
  scopes: EntityIds[];
  /** Plain metadata equalities the store can apply itself (they narrow what is read, nothing more). */
  equality: Record<string, JsonPrimitive>;
  /** The whole filter, ids trimmed and spelt snake_case: every memory read must pass it. */
  filter: Mem0Filters;
}

/**
 * Reads Mem0 3.x's `filters` for `search` and `getAll`. Entity ids are trimmed and checked as Mem0
 * does; at least one of user_id, agent_id, run_id must name an owner (or list owners with `in`),
 * because NeuroMem reads one owner's memories at a time and never every user's at once.
 */
export function resolveFilters(filters: unknown): ResolvedFilters {
  const given = filters === undefined || filters === null ? {} : filters;
  checkFilter(given);
  const filter: Mem0Filters = {};
  const scope: EntityIds = {};
  let listed: { key: keyof EntityIds; ids: string[] } | undefined;
  let named = false;
  for (const [key, value] of Object.entries(given as Mem0Filters)) {
    const entity = ENTITY_KEYS.find(([snake, camel]) => key === snake || key === camel);
    if (entity === undefined) {
      filter[key] = value;
      continue;
    }
    const [snake, camel] = entity;
    if (value === undefined || value === null) continue;
    if (snake in filter) throw fail('INVALID_INPUT', `filters name ${snake} twice (as ${snake} and ${camel}); keep one.`, { details: { field: `filters.${key}` } });
    named = true;
    if (value === WILDCARD || (isPlainObject(value) && !('in' in value) && !('eq' in value))) {
      filter[snake] = value;
    } else if (Array.isArray(value) || (isPlainObject(value) && 'in' in value)) {
      const ids = (Array.isArray(value) ? value : (value.in as unknown[])).map((id) => entityId(id, key)!);
      filter[snake] = { ...(isPlainObject(value) ? value : {}), in: ids };
      listed ??= { key: camel, ids };
    } else {
      const id = entityId(isPlainObject(value) ? value.eq : value, key)!;
      filter[snake] = isPlainObject(value) ? { ...value, eq: id } : id;
      scope[camel] = id;
    }
  }
  const scopes = Object.keys(scope).length > 0 ? [scope] : listed ? [...new Set(listed.ids)].map((id) => ({ [listed!.key]: id })) : [];
  if (scopes.length === 0) {
    throw fail(
      'INVALID_INPUT',
      named
        ? "filters must name an owner: give user_id, agent_id or run_id a value (or an `in` list of values). NeuroMem reads one owner's memories at a time, so \"*\" or a negation alone, which would reach every user's, is refused. Example: filters: { user_id: 'u1', agent_id: '*' }"
        : "filters must contain at least one of: user_id, agent_id, run_id. Example: filters: { user_id: 'u1' }",
      { details: { field: 'filters' } },
    );
  }
  return { scopes, equality: equalities(filter), filter };
}

function equalities(filter: Mem0Filters): Record<string, JsonPrimitive> {
  const equality: Record<string, JsonPrimitive> = {};
  for (const [key, value] of Object.entries(filter)) {
    if (ENTITY_KEYS.some(([snake]) => snake === key) || MEM0_FIELDS.has(key) || !METADATA_KEY.test(key)) continue;
    const plain = (typeof value === 'string' && value !== WILDCARD) || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
    if (plain) equality[key] = value as JsonPrimitive;
  }
  return equality;
}

import { createErrorFactory, describeValue, isPlainObject, isWellFormed, validateKind, validateScale, validateScope, type MemoryFilter } from '@neuromem/core';

const fail = createErrorFactory('store');

export interface SqlFragment {
  /** Conditions on the `v` (memory_versions) alias, joined with AND; `1` when empty. */
  where: string;
  params: unknown[];
}

const METADATA_KEY = /^[A-Za-z0-9_\-]{1,64}$/;

/** Translates a validated `MemoryFilter` into SQL conditions over `memory_versions AS v`. */
export function filterToSql(filter: MemoryFilter = {}): SqlFragment {
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
    throw fail('INVALID_INPUT', `the filter must be an object such as { scope: { userId: "alice" } }, got ${describeValue(filter)}.`, { details: { field: 'filter' } });
  }
  const conditions: string[] = [];
  const params: unknown[] = [];
  const scope = validateScope(filter.scope, { module: 'store' });
  if (scope.userId !== undefined) (conditions.push('v.user_id = ?'), params.push(scope.userId));
  if (scope.agentId !== undefined) (conditions.push('v.agent_id = ?'), params.push(scope.agentId));
  if (scope.sessionId !== undefined) (conditions.push('v.session_id = ?'), params.push(scope.sessionId));

  if (filter.kinds !== undefined) {
    const kinds = listOf(filter.kinds, 'kinds').map((kind) => validateKind(kind, 'store'));
    conditions.push(kinds.length === 0 ? '0' : `v.kind IN (${kinds.map(() => '?').join(',')})`);
    params.push(...kinds);
  }
  if (filter.scales !== undefined) {
    const scales = listOf(filter.scales, 'scales').map((scale) => validateScale(scale, 'store'));
    conditions.push(scales.length === 0 ? '0' : `v.scale IN (${scales.map(() => '?').join(',')})`);
    params.push(...scales);
  }
  if (filter.eventTime !== undefined && !isPlainObject(filter.eventTime)) {
    throw fail('INVALID_INPUT', `eventTime must be an object like { from, to } in epoch milliseconds, got ${describeValue(filter.eventTime)}.`, { details: { field: 'eventTime' } });
  }
  const { from, to } = filter.eventTime ?? {};
  if (from !== undefined) (conditions.push('v.event_time >= ?'), params.push(finiteTime(from, 'eventTime.from')));
  if (to !== undefined) (conditions.push('v.event_time < ?'), params.push(finiteTime(to, 'eventTime.to')));
  if (from !== undefined && to !== undefined && from > to) {
    throw fail('INVALID_INPUT', `eventTime.from (${from}) is after eventTime.to (${to}); swap them.`, { details: { field: 'eventTime' } });
  }

  if (filter.metadata !== undefined && !isPlainObject(filter.metadata)) {
    throw fail('INVALID_INPUT', `the metadata filter must be an object like { topic: "travel" }, got ${describeValue(filter.metadata)}.`, { details: { field: 'filters.metadata' } });
  }
  for (const [key, value] of Object.entries(filter.metadata ?? {})) {
    if (!METADATA_KEY.test(key)) {
      throw fail('INVALID_INPUT', `metadata filter key ${JSON.stringify(key)} must be 1-64 letters, digits, "_" or "-".`, { details: { field: 'filters.metadata' } });
    }
    const path = `$."${key}"`;
    if (value === null) conditions.push(`json_type(v.metadata, '${path}') = 'null'`);
    else if (typeof value === 'boolean') (conditions.push(`json_extract(v.metadata, '${path}') = ? AND json_type(v.metadata, '${path}') = ?`), params.push(value ? 1 : 0, value ? 'true' : 'false'));
    else if (typeof value === 'number' && Number.isFinite(value)) (conditions.push(`json_extract(v.metadata, '${path}') = ?`), params.push(value));
    else if (typeof value === 'string' && isWellFormed(value)) (conditions.push(`json_extract(v.metadata, '${path}') = ? AND json_type(v.metadata, '${path}') = 'text'`), params.push(value));
    else throw fail('INVALID_INPUT', `metadata filter ${key} must be a well-formed string, finite number, boolean or null.`, { details: { field: 'filters.metadata' } });
  }
  return { where: conditions.length === 0 ? '1' : conditions.join(' AND '), params };
}

function finiteTime(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw fail('INVALID_INPUT', `${field} must be epoch milliseconds, got ${describeValue(value)}.`, { details: { field } });
  }
  return value;
}

/** Array.from, so holes are checked as `undefined` instead of skipped by `map`. */
function listOf(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) throw fail('INVALID_INPUT', `${field} must be an array, got ${describeValue(value)}.`, { details: { field } });
  return Array.from(value as unknown[]);
}

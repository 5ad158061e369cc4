import { validateFilter, type MemoryFilter } from '@neuromem/core';

export interface SqlFragment {
  /** Conditions on the `v` (memory_versions) alias, joined with AND; `1` when empty. */
  where: string;
  params: unknown[];
}

/** Checks a `MemoryFilter` and translates it into SQL conditions over `memory_versions AS v`. */
export function filterToSql(filter: MemoryFilter = {}): SqlFragment {
  const valid = validateFilter(filter);
  const conditions: string[] = [];
  const params: unknown[] = [];
  const { scope } = valid;
  if (scope.userId !== undefined) conditions.push('v.user_id = ?'), params.push(scope.userId);
  if (scope.agentId !== undefined) conditions.push('v.agent_id = ?'), params.push(scope.agentId);
  if (scope.sessionId !== undefined) conditions.push('v.session_id = ?'), params.push(scope.sessionId);
  if (valid.kinds) conditions.push(valid.kinds.length === 0 ? '0' : `v.kind IN (${valid.kinds.map(() => '?').join(',')})`), params.push(...valid.kinds);
  if (valid.scales) conditions.push(valid.scales.length === 0 ? '0' : `v.scale IN (${valid.scales.map(() => '?').join(',')})`), params.push(...valid.scales);
  if (valid.eventTime.from !== undefined) conditions.push('v.event_time >= ?'), params.push(valid.eventTime.from);
  if (valid.eventTime.to !== undefined) conditions.push('v.event_time < ?'), params.push(valid.eventTime.to);
  for (const [key, value] of valid.metadata) {
    // The key is checked to be 1-64 of [A-Za-z0-9_-], so it can sit inside the JSON path.
    const path = `$."${key}"`;
    if (value === null) conditions.push(`json_type(v.metadata, '${path}') = 'null'`);
    else if (typeof value === 'boolean') conditions.push(`json_extract(v.metadata, '${path}') = ? AND json_type(v.metadata, '${path}') = ?`), params.push(value ? 1 : 0, value ? 'true' : 'false');
    else if (typeof value === 'number') conditions.push(`json_extract(v.metadata, '${path}') = ?`), params.push(value);
    else conditions.push(`json_extract(v.metadata, '${path}') = ? AND json_type(v.metadata, '${path}') = 'text'`), params.push(value);
  }
  return { where: conditions.length === 0 ? '1' : conditions.join(' AND '), params };
}

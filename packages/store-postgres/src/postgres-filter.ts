import type { ValidFilter } from '@neuromem/core';
import type { SqlParams } from './sql-params';

/**
 * A checked `MemoryFilter` as SQL conditions over the versions alias `v` (joined with AND; `TRUE`
 * when empty). Metadata compares as jsonb, so 1 and 1.0 are equal, and a key set to null matches
 * null but an absent key does not, as in every other store.
 */
export function filterToSql(filter: ValidFilter, params: SqlParams): string {
  const conditions: string[] = [];
  const { scope } = filter;
  if (scope.userId !== undefined) conditions.push(`v.user_id = ${params.add(scope.userId)}`);
  if (scope.agentId !== undefined) conditions.push(`v.agent_id = ${params.add(scope.agentId)}`);
  if (scope.sessionId !== undefined) conditions.push(`v.session_id = ${params.add(scope.sessionId)}`);
  if (filter.kinds) conditions.push(`v.kind = ANY(${params.add(filter.kinds)}::text[])`);
  if (filter.scales) conditions.push(`v.scale = ANY(${params.add(filter.scales)}::text[])`);
  if (filter.eventTime.from !== undefined) conditions.push(`v.event_time >= ${params.add(filter.eventTime.from)}`);
  if (filter.eventTime.to !== undefined) conditions.push(`v.event_time < ${params.add(filter.eventTime.to)}`);
  for (const [key, value] of filter.metadata) conditions.push(`v.metadata -> ${params.add(key)} = ${params.add(JSON.stringify(value))}::jsonb`);
  return conditions.length === 0 ? 'TRUE' : conditions.join(' AND ');
}

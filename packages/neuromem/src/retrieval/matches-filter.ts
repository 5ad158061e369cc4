import type { MemoryFilter, MemoryRecord } from '@neuromem/core';

/**
 * Whether a record passes a filter, for memories reached by graph walks rather than a filtered
 * query: an edge may lead out of the asked scope or time window, and those must not leak in.
 */
export function matchesFilter(record: MemoryRecord, filter: MemoryFilter): boolean {
  const { scope, kinds, eventTime, metadata } = filter;
  if (scope) {
    if (scope.userId !== undefined && record.scope.userId !== scope.userId) return false;
    if (scope.agentId !== undefined && record.scope.agentId !== scope.agentId) return false;
    if (scope.sessionId !== undefined && record.scope.sessionId !== scope.sessionId) return false;
  }
  if (kinds && !kinds.includes(record.kind)) return false;
  if (eventTime?.from !== undefined && record.eventTime < eventTime.from) return false;
  if (eventTime?.to !== undefined && record.eventTime >= eventTime.to) return false;
  if (metadata) {
    for (const [key, value] of Object.entries(metadata)) if (record.metadata[key] !== value) return false;
  }
  return true;
}

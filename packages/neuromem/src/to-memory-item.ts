import { sha256 } from '@neuromem/store';
import type { HistoryEntry, MemoryRecord, Scope } from '@neuromem/core';
import type { Turn } from './normalize-messages';
import type { HistoryItem, MemoryItem } from './types';

const iso = (ms: number) => new Date(ms).toISOString();

export function toMemoryItem(record: MemoryRecord): MemoryItem {
  return withScope(
    {
      id: record.id,
      memory: record.text,
      hash: record.hash,
      createdAt: iso(record.createdAt),
      updatedAt: record.version > 1 ? iso(record.validFrom) : null,
      eventTime: iso(record.eventTime),
      role: record.role,
      metadata: record.metadata,
    },
    record.scope,
  );
}

/** The item of a journaled turn, as `toMemoryItem` will show its record once stored (same hash function as the store). */
export function journaledItem(id: string, scope: Scope, turn: Turn, acknowledgedAt: number): MemoryItem {
  return withScope(
    { id, memory: turn.text, hash: sha256(turn.text), createdAt: iso(acknowledgedAt), updatedAt: null, eventTime: iso(turn.eventTime), role: turn.role, metadata: turn.metadata },
    scope,
  );
}

/** Mem0's names for the scope: `userId`, `agentId`, `runId` (the session), each only when set. */
function withScope(item: MemoryItem, scope: Scope): MemoryItem {
  if (scope.userId !== undefined) item.userId = scope.userId;
  if (scope.agentId !== undefined) item.agentId = scope.agentId;
  if (scope.sessionId !== undefined) item.runId = scope.sessionId;
  return item;
}

export function toHistoryItem(entry: HistoryEntry): HistoryItem {
  return {
    id: String(entry.seq),
    memory_id: entry.memoryId,
    previous_value: entry.previousText,
    new_value: entry.text,
    action: entry.event,
    created_at: iso(entry.at),
    updated_at: entry.event === 'UPDATE' ? iso(entry.at) : null,
    is_deleted: entry.event === 'DELETE' || entry.event === 'PURGE' ? 1 : 0,
  };
}

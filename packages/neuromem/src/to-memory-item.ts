import { createHash } from 'node:crypto';
import type { HistoryEntry, MemoryRecord, Scope } from '@neuromem/core';
import type { Turn } from './normalize-messages';
import type { HistoryItem, MemoryItem } from './types';

const iso = (ms: number) => new Date(ms).toISOString();

export function toMemoryItem(record: MemoryRecord): MemoryItem {
  const item: MemoryItem = {
    id: record.id,
    memory: record.text,
    hash: record.hash,
    createdAt: iso(record.createdAt),
    updatedAt: record.version > 1 ? iso(record.validFrom) : null,
    eventTime: iso(record.eventTime),
    role: record.role,
    metadata: record.metadata,
  };
  if (record.scope.userId !== undefined) item.userId = record.scope.userId;
  if (record.scope.agentId !== undefined) item.agentId = record.scope.agentId;
  if (record.scope.sessionId !== undefined) item.runId = record.scope.sessionId;
  return item;
}

/** The item of a journaled turn, as `toMemoryItem` will show its record once stored (the store hashes text with SHA-256 too). */
export function journaledItem(id: string, scope: Scope, turn: Turn, acknowledgedAt: number): MemoryItem {
  const item: MemoryItem = {
    id,
    memory: turn.text,
    hash: createHash('sha256').update(turn.text).digest('hex'),
    createdAt: iso(acknowledgedAt),
    updatedAt: null,
    eventTime: iso(turn.eventTime),
    role: turn.role,
    metadata: turn.metadata,
  };
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

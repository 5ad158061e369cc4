import type { HistoryItem, MemoryItem } from '../types';
import type { Mem0HistoryItem, Mem0MemoryItem } from './types';

/**
 * A memory in Mem0 3.x's shape: snake_case ids beside it (never inside `metadata`), `attributedTo`
 * for who said it, and `updatedAt` equal to `createdAt` until the memory changes (as Mem0's
 * extracted memories have it). With `explain`, the score's factors as `score_details`.
 */
export function toMem0Item(item: MemoryItem, options: { explain?: boolean } = {}): Mem0MemoryItem {
  return {
    id: item.id,
    memory: item.memory,
    hash: item.hash,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt ?? item.createdAt,
    ...(item.score !== undefined ? { score: item.score } : {}),
    metadata: item.metadata,
    ...(item.userId !== undefined ? { user_id: item.userId } : {}),
    ...(item.agentId !== undefined ? { agent_id: item.agentId } : {}),
    ...(item.runId !== undefined ? { run_id: item.runId } : {}),
    ...(item.role !== null ? { attributedTo: item.role } : {}),
    ...(options.explain && item.scoreBreakdown ? { score_details: item.scoreBreakdown } : {}),
  };
}

/** What Mem0's filters read of a memory: its metadata at the top level with its ids and Mem0's own fields. */
export function filterPayload(item: MemoryItem): Record<string, unknown> {
  const mem0 = toMem0Item(item);
  return {
    ...item.metadata,
    data: item.memory,
    hash: mem0.hash,
    createdAt: mem0.createdAt,
    updatedAt: mem0.updatedAt,
    attributedTo: mem0.attributedTo,
    user_id: mem0.user_id,
    agent_id: mem0.agent_id,
    run_id: mem0.run_id,
  };
}

/**
 * A memory's history as Mem0's SQLite history store gives it: newest first, numeric ids,
 * `created_at` the memory's creation (the deletion time on a DELETE row), `updated_at` on UPDATE rows.
 */
export function toMem0History(items: readonly HistoryItem[]): Mem0HistoryItem[] {
  const createdAt = items.find((item) => item.action === 'ADD')?.created_at ?? null;
  return items
    .map((item): Mem0HistoryItem => {
      const deleted = item.action === 'DELETE' || item.action === 'PURGE';
      return {
        id: Number(item.id),
        memory_id: item.memory_id,
        previous_value: item.previous_value,
        new_value: item.new_value,
        action: deleted ? 'DELETE' : item.action === 'UPDATE' ? 'UPDATE' : 'ADD',
        created_at: deleted ? item.created_at : (createdAt ?? item.created_at),
        updated_at: item.action === 'UPDATE' ? item.created_at : null,
        is_deleted: deleted ? 1 : 0,
      };
    })
    .reverse();
}

import type { Database } from 'better-sqlite3';
import { inScope, type Scope } from '@neuromem/core';

export interface IdPrefixQuery {
  /** Only memories inside this scope (every id it sets must equal the memory's). Default: any owner. */
  scope?: Scope;
  /** Tombstoned memories too (their history is still kept). Default false. */
  includeDeleted?: boolean;
  /** At most this many ids. Default 10. */
  limit?: number;
}

/**
 * Memory ids that start with a prefix, as a CLI resolves `0190a1b2` to one memory. With a user in
 * the scope, current memories are read from that user's versions (a partial index), so the cost is
 * theirs, not the store's; deleted ones, and queries without a user, walk the id range.
 */
export function createIdPrefixLookup(db: Database, ownerOf: (id: string) => Scope | null) {
  const usersCurrent = db.prepare<[string, string, string], { id: string; agent_id: string | null; session_id: string | null }>(
    'SELECT m.id, v.agent_id, v.session_id FROM memory_versions v JOIN memories m ON m.seq = v.memory WHERE v.user_id = ? AND v.valid_to IS NULL AND m.id >= ? AND m.id < ? ORDER BY m.id',
  );
  const inRange = db.prepare<[string, string], { id: string; live: number }>('SELECT id, current_row IS NOT NULL AS live FROM memories WHERE id >= ? AND id < ? ORDER BY id');

  return (prefix: string, query: IdPrefixQuery = {}): string[] => {
    const { scope = {}, includeDeleted = false, limit = 10 } = query;
    const upper = afterPrefix(prefix);
    const found: string[] = [];
    if (scope.userId !== undefined && !includeDeleted) {
      for (const row of usersCurrent.iterate(scope.userId, prefix, upper)) {
        if (!row.id.startsWith(prefix)) continue;
        if (!inScope({ userId: scope.userId, ...(row.agent_id !== null ? { agentId: row.agent_id } : {}), ...(row.session_id !== null ? { sessionId: row.session_id } : {}) }, scope)) continue;
        found.push(row.id);
        if (found.length >= limit) break;
      }
      return found;
    }
    for (const row of inRange.iterate(prefix, upper)) {
      if (!row.id.startsWith(prefix) || (!row.live && !includeDeleted)) continue;
      const owner = ownerOf(row.id);
      if (owner === null || !inScope(owner, scope)) continue;
      found.push(row.id);
      if (found.length >= limit) break;
    }
    return found;
  };
}

/**
 * The least string above every string that starts with `prefix`, in SQLite's binary (UTF-8 byte)
 * order, which is code point order: the prefix with its last code point raised by one.
 */
function afterPrefix(prefix: string): string {
  const points = [...prefix];
  const last = points.pop()!.codePointAt(0)!;
  // U+10FFFF cannot be raised: end the range at the prefix without it, raised, instead.
  return last === 0x10ffff ? (points.length === 0 ? '\u{10FFFF}\u{10FFFF}' : afterPrefix(points.join(''))) : points.join('') + String.fromCodePoint(last + 1);
}

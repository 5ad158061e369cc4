import type { Database } from 'better-sqlite3';

/** The `n` of a `SELECT COUNT(*) AS n ...` query. */
export const countRows = (db: Database, sql: string): number => db.prepare<[], { n: number }>(sql).get()!.n;

/** Rows a derived table should hold against rows it holds: they differ only in a damaged file. */
export interface RowCounts {
  expected: number;
  actual: number;
}

/**
 * Rebuilds a derived table in one transaction when its counts disagree with its source's; the
 * problem as `verifyIndexes()` reports it, or none.
 */
export function rebuildWhenMiscounted(db: Database, counts: () => RowCounts, rebuild: () => void, problem: (counts: RowCounts) => string): string[] {
  const found = counts();
  if (found.expected === found.actual) return [];
  db.transaction(rebuild)();
  return [problem(found)];
}

import type { Database } from 'better-sqlite3';

/**
 * A write-order counter kept in `meta` (`edge_seq`, `history_seq`), handed out per transaction: read
 * at the transaction's first number, counted in memory, and written back once by `save` (an add
 * links ~90 edges; one counter update each cost 1.3 ms per add at a million memories). A
 * transaction is known by an object that lives as long as it (its `DerivedChanges`), so a
 * rolled-back transaction's numbers are forgotten with it.
 */
export function createMetaCounter(db: Database, key: string) {
  const read = db.prepare<[string], { value: number }>('SELECT CAST(value AS INTEGER) AS value FROM meta WHERE key = ?');
  const write = db.prepare<[number, string]>('UPDATE meta SET value = ? WHERE key = ?');
  const last = new WeakMap<object, number>();
  return {
    next(transaction: object): number {
      const value = (last.get(transaction) ?? read.get(key)?.value ?? 0) + 1;
      last.set(transaction, value);
      return value;
    },
    /** Call last inside the transaction: saves what it counted, if it counted anything. */
    save(transaction: object): void {
      const value = last.get(transaction);
      if (value !== undefined) write.run(value, key);
    },
  };
}

import type { Database, Statement } from 'better-sqlite3';
import { lexicalTerms, lexicalWords } from '@neuromem/core';

/**
 * Each user's postings, clustered by user and word: a scoped text search reads the ranges of its
 * query words inside that user's postings and nothing of anyone else's. (FTS5's `memory_text` keeps
 * one doclist per word for the whole store, so a scoped search there reads every user's postings
 * of its words: linear in the store, 78 ms at a million memories.) `text_owners` holds the per-user
 * counts BM25 needs. Kept in code inside each write's transaction (`createOwnerTextRows`), not by
 * triggers: a trigger would need a function only this library defines, and would break any other
 * tool that writes the file (`sqlite3 .recover`, ALTER TABLE).
 */
export const OWNER_TEXT_SQL = `
CREATE TABLE IF NOT EXISTS text_owners (
  id INTEGER PRIMARY KEY,
  user_id TEXT NOT NULL UNIQUE,
  docs INTEGER NOT NULL DEFAULT 0,
  words INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS owner_terms (
  owner INTEGER NOT NULL,
  term TEXT NOT NULL,
  row_id INTEGER NOT NULL,
  tf INTEGER NOT NULL,
  len INTEGER NOT NULL,
  PRIMARY KEY (owner, term, row_id)
) WITHOUT ROWID;
`;

/** A version as the owner postings need it: its row, its user (none: not indexed) and its text. */
export interface TextVersion {
  row_id: number;
  user_id: string | null;
  text: string;
}

const REFILL_BATCH = 2_000;

/** The statements that keep `owner_terms` and `text_owners` in step with the current versions. */
export function createOwnerTextRows(db: Database) {
  // The user's row, made on first use. Looked up first: the upsert rewrites the row even when it
  // exists (56 µs a turn against 3 µs for the lookup, a tenth of a batched add's statements).
  const insertOwner = db.prepare<[string], { id: number }>('INSERT INTO text_owners (user_id) VALUES (?) RETURNING id');
  const ownerId = db.prepare<[string], { id: number }>('SELECT id FROM text_owners WHERE user_id = ?');
  const count = db.prepare<[number, number, number]>('UPDATE text_owners SET docs = docs + ?, words = words + ? WHERE id = ?');
  const insert = db.prepare<[number, string, number, number, number]>('INSERT INTO owner_terms (owner, term, row_id, tf, len) VALUES (?, ?, ?, ?, ?)');
  const remove = db.prepare<[number, string, number]>('DELETE FROM owner_terms WHERE owner = ? AND term = ? AND row_id = ?');

  const put = (version: TextVersion) => {
    if (version.user_id === null) return;
    const owner = (ownerId.get(version.user_id) ?? insertOwner.get(version.user_id)!).id;
    const terms = lexicalTerms(version.text);
    for (const { term, tf, len } of terms) insert.run(owner, term, version.row_id, tf, len);
    count.run(1, terms[0]?.len ?? 0, owner);
  };

  return {
    /** A version became current. */
    put,
    /** A current version was closed or deleted. */
    remove(version: TextVersion): void {
      if (version.user_id === null) return;
      const owner = ownerId.get(version.user_id)?.id;
      if (owner === undefined) return;
      const terms = lexicalTerms(version.text);
      for (const { term } of terms) remove.run(owner, term, version.row_id);
      count.run(-1, -(terms[0]?.len ?? 0), owner);
    },
    /** Rebuilds both tables from the current versions (a file from before they existed, or found inconsistent). */
    refill(): void {
      db.exec('DELETE FROM owner_terms; DELETE FROM text_owners;');
      const batch = db.prepare<[number], TextVersion>(
        `SELECT row_id, user_id, text FROM memory_versions WHERE valid_to IS NULL AND user_id IS NOT NULL AND row_id > ? ORDER BY row_id LIMIT ${REFILL_BATCH}`,
      );
      for (let after = 0; ; ) {
        const rows = batch.all(after);
        if (rows.length === 0) break;
        rows.forEach(put);
        after = rows[rows.length - 1]!.row_id;
      }
    },
    /** Documents the counts should hold against what they hold; they differ only in a damaged file. */
    counts(): { expected: number; actual: number } {
      const one = (sql: string) => db.prepare<[], { n: number }>(sql).get()!.n;
      return { expected: one('SELECT COUNT(*) AS n FROM memory_versions WHERE valid_to IS NULL AND user_id IS NOT NULL'), actual: one('SELECT coalesce(SUM(docs), 0) AS n FROM text_owners') };
    },
  };
}

/** A user's memory version (`memory_versions.row_id`) and its BM25 score for a query. */
export interface OwnerTextHit {
  rowId: number;
  score: number;
}

/** FTS5's `bm25()` constants, so scoped and unscoped text scores read alike. */
const K1 = 1.2;
const B = 0.75;

/**
 * Okapi BM25 inside one user's memories: document frequencies, the count and the average length all
 * come from that user's postings, so a user's ranking never depends on what others stored.
 */
export function createOwnerTextIndex(db: Database) {
  const owner: Statement<[string], { id: number; docs: number; words: number }> = db.prepare('SELECT id, docs, words FROM text_owners WHERE user_id = ?');
  const postings = db.prepare<[number, string], [string, number, number, number]>('SELECT term, row_id, tf, len FROM owner_terms WHERE owner = ? AND term IN (SELECT value FROM json_each(?))').raw();

  return {
    /** The best `k` of the user's current versions for the query's words, best first (ties by age). */
    search(userId: string, text: string, k: number, maxTerms: number): OwnerTextHit[] {
      const terms = [...new Set(lexicalWords(text))].slice(0, maxTerms);
      const stats = terms.length === 0 ? undefined : owner.get(userId);
      if (stats === undefined || stats.docs <= 0) return [];
      const rows = postings.all(stats.id, JSON.stringify(terms));
      const frequency = new Map<string, number>();
      for (const [term] of rows) frequency.set(term, (frequency.get(term) ?? 0) + 1);
      const averageLength = stats.words / stats.docs || 1;
      const scores = new Map<number, number>();
      for (const [term, rowId, tf, len] of rows) {
        const df = frequency.get(term)!;
        // As FTS5 does: a word in more than half of the texts still counts, a little.
        const idf = Math.max(1e-6, Math.log((stats.docs - df + 0.5) / (df + 0.5)));
        const score = (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * len) / averageLength));
        scores.set(rowId, (scores.get(rowId) ?? 0) + score);
      }
      return [...scores]
        .sort((a, b) => b[1] - a[1] || a[0] - b[0])
        .slice(0, k)
        .map(([rowId, score]) => ({ rowId, score }));
    },
  };
}

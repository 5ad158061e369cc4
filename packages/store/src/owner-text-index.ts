import type { Database, Statement } from 'better-sqlite3';
import { lexicalTerms, lexicalWords } from '@neuromem/core';
import { countRows, type RowCounts } from './count-rows';

/**
 * Each user's postings: a scoped text search reads the postings of its query words inside that
 * user's postings and nothing of anyone else's. (FTS5's `memory_text` keeps one doclist per word for
 * the whole store, so a scoped search there reads every user's postings of its words: linear in the
 * store, 78 ms at a million memories.) `text_owners` holds the per-user counts BM25 needs.
 *
 * Since schema 10 the postings are an FTS5 index of their own (`owner_words`) whose words are the
 * user's number and the word (`1a_beagl`), so each user's word has its own doclist, and whose rowid
 * carries the text's version and length (`postingRowid`), so BM25 needs no second read. FTS5 writes
 * a transaction's postings as one sorted segment and merges segments later: a 60-turn commit at
 * 200,000 memories wrote 369 B-tree pages of postings clustered by user and word (schema 5-9's
 * `owner_terms`), and about 11 pages here. `owner_word_postings` reads the doclists back, one row per
 * occurrence. Kept in code inside each write's transaction (`createOwnerTextRows`), not by triggers:
 * a trigger would need a function only this library defines, and would break any other tool that
 * writes the file (`sqlite3 .recover`, ALTER TABLE).
 */
export const OWNER_TEXT_SQL = `
CREATE TABLE IF NOT EXISTS text_owners (
  id INTEGER PRIMARY KEY,
  user_id TEXT NOT NULL UNIQUE,
  docs INTEGER NOT NULL DEFAULT 0,
  words INTEGER NOT NULL DEFAULT 0
);
CREATE VIRTUAL TABLE IF NOT EXISTS owner_words USING fts5(words, content = '', contentless_delete = 1, detail = full, tokenize = "ascii tokenchars '_'");
CREATE VIRTUAL TABLE IF NOT EXISTS owner_word_postings USING fts5vocab(owner_words, 'instance');
`;

/** Rowids of `owner_words` hold the version's row and its length in words: row * 2^16 + length. */
const LENGTH_SPAN = 65_536;

/** The `owner_words` rowid of a version's postings (a length past 65,535 words counts as that). */
export function postingRowid(rowId: number, length: number): number {
  return rowId * LENGTH_SPAN + Math.min(length, LENGTH_SPAN - 1);
}

/** A user's word as `owner_words` spells it: the user's number (base 36), `_`, the stem. */
const ownerWord = (owner: number, term: string) => `${owner.toString(36)}_${term}`;

/** A version as the owner postings need it: its row, its user (none: not indexed) and its text. */
export interface TextVersion {
  row_id: number;
  user_id: string | null;
  text: string;
}

const REFILL_BATCH = 2_000;

/** The statements that keep `owner_words` and `text_owners` in step with the current versions. */
export function createOwnerTextRows(db: Database) {
  // The user's row, made on first use. Looked up first: the upsert rewrites the row even when it
  // exists (56 µs a turn against 3 µs for the lookup, a tenth of a batched add's statements).
  const insertOwner = db.prepare<[string], { id: number }>('INSERT INTO text_owners (user_id) VALUES (?) RETURNING id');
  const ownerId = db.prepare<[string], { id: number }>('SELECT id FROM text_owners WHERE user_id = ?');
  const count = db.prepare<[number, number, number]>('UPDATE text_owners SET docs = docs + ?, words = words + ? WHERE id = ?');
  const insert = db.prepare<[number, string]>('INSERT INTO owner_words (rowid, words) VALUES (?, ?)');
  const remove = db.prepare<[number]>('DELETE FROM owner_words WHERE rowid = ?');

  const put = (version: TextVersion) => {
    if (version.user_id === null) return;
    const owner = (ownerId.get(version.user_id) ?? insertOwner.get(version.user_id)!).id;
    const terms = lexicalTerms(version.text);
    const length = terms[0]?.len ?? 0;
    // Each word as often as the text says it: the postings' occurrences are its term frequency.
    if (length > 0) insert.run(postingRowid(version.row_id, length), terms.flatMap(({ term, tf }) => Array<string>(tf).fill(ownerWord(owner, term))).join(' '));
    count.run(1, length, owner);
  };

  const clear = (): void => {
    db.exec("INSERT INTO owner_words (owner_words) VALUES ('delete-all'); DELETE FROM text_owners;");
  };

  return {
    /** A version became current. */
    put,
    /** A current version was closed or deleted. */
    remove(version: TextVersion): void {
      if (version.user_id === null) return;
      const owner = ownerId.get(version.user_id)?.id;
      if (owner === undefined) return;
      const length = lexicalWords(version.text).length;
      if (length > 0) remove.run(postingRowid(version.row_id, length));
      count.run(-1, -length, owner);
    },
    /** Empties both tables (a contentless FTS5 table is emptied by its `delete-all` command, not by DELETE). */
    clear,
    /** Rebuilds both tables from the current versions (a file from before they existed, or found inconsistent). */
    refill: (): void => {
      clear();
      const batch = db.prepare<[number], TextVersion>(
        `SELECT row_id, user_id, text FROM memory_versions WHERE valid_to IS NULL AND user_id IS NOT NULL AND row_id > ? ORDER BY row_id LIMIT ${REFILL_BATCH}`,
      );
      for (let after = 0; ; ) {
        const rows = batch.all(after);
        if (rows.length === 0) break;
        rows.forEach(put);
        after = rows[rows.length - 1]!.row_id;
      }
      // Merged into one segment once, rather than by later commits a little at a time (see entity-mention-index.ts).
      db.exec("INSERT INTO owner_words (owner_words) VALUES ('optimize')");
    },
    /** Documents the counts should hold against what they hold; they differ only in a damaged file. */
    counts: (): RowCounts => ({
      expected: countRows(db, 'SELECT COUNT(*) AS n FROM memory_versions WHERE valid_to IS NULL AND user_id IS NOT NULL'),
      actual: countRows(db, 'SELECT coalesce(SUM(docs), 0) AS n FROM text_owners'),
    }),
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
  // One row per occurrence of each asked word in the user's current texts.
  const postings = db.prepare<[string], [string, number]>('SELECT term, doc FROM owner_word_postings WHERE term IN (SELECT value FROM json_each(?))').raw();

  return {
    /** The best `k` of the user's current versions for the query's words, best first (ties by age). */
    search(userId: string, text: string, k: number, maxTerms: number): OwnerTextHit[] {
      const terms = [...new Set(lexicalWords(text))].slice(0, maxTerms);
      const stats = terms.length === 0 ? undefined : owner.get(userId);
      if (stats === undefined || stats.docs <= 0) return [];
      // Per word, its term frequency in each text that says it.
      const frequencies = new Map<string, Map<number, number>>();
      for (const [word, doc] of postings.all(JSON.stringify(terms.map((term) => ownerWord(stats.id, term))))) {
        let docs = frequencies.get(word);
        if (docs === undefined) frequencies.set(word, (docs = new Map()));
        docs.set(doc, (docs.get(doc) ?? 0) + 1);
      }
      const averageLength = stats.words / stats.docs || 1;
      const scores = new Map<number, number>();
      for (const docs of frequencies.values()) {
        const df = docs.size;
        // As FTS5 does: a word in more than half of the texts still counts, a little.
        const idf = Math.max(1e-6, Math.log((stats.docs - df + 0.5) / (df + 0.5)));
        for (const [doc, tf] of docs) {
          const rowId = Math.floor(doc / LENGTH_SPAN);
          const length = doc % LENGTH_SPAN;
          const score = (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * length) / averageLength));
          scores.set(rowId, (scores.get(rowId) ?? 0) + score);
        }
      }
      return [...scores]
        .sort((a, b) => b[1] - a[1] || a[0] - b[0])
        .slice(0, k)
        .map(([rowId, score]) => ({ rowId, score }));
    },
  };
}

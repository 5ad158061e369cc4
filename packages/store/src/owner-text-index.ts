import type { Database, Statement } from 'better-sqlite3';
import { lexicalTerms, lexicalWords } from '@neuromem/core';
import { countRows, type RowCounts } from './count-rows';
import { createTopK } from './top-k';

/**
 * The lexical index: each user's postings, so a user's text search reads the postings of its query
 * words inside that user's texts and nothing of anyone else's. `text_owners` holds the per-user
 * counts BM25 needs; texts without a user are one more owner, `''` (no user id is empty).
 *
 * Since schema 10 the postings are an FTS5 index of their own (`owner_words`) whose rowid carries the
 * text's version and length (`postingRowid`), so BM25 needs no second read. Since schema 14 its words
 * are the stem, `_` and the owner's number (`beagl_1a`): a user's word is one doclist, and a word of
 * every owner is one range of terms, which a search without a user reads (the store-wide FTS5 index
 * that answered those before, `memory_text`, held every text a second time: ~170 bytes a memory).
 * FTS5 writes a transaction's postings as one sorted segment and merges segments later: a 60-turn
 * commit at 200,000 memories wrote 369 B-tree pages of postings clustered by user and word (schema
 * 5-9's `owner_terms`), and about 11 pages here. `owner_word_postings` reads the doclists back, one
 * row per occurrence. Kept in code inside each write's transaction (`createOwnerTextRows`), not by
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
CREATE VIRTUAL TABLE IF NOT EXISTS owner_words USING fts5(words, content = '', contentless_delete = 1, detail = full, tokenize = "ascii tokenchars '_'");
CREATE VIRTUAL TABLE IF NOT EXISTS owner_word_postings USING fts5vocab(owner_words, 'instance');
`;

/** Rowids of `owner_words` hold the version's row and its length in words: row * 2^16 + length. */
const LENGTH_SPAN = 65_536;

/** The `owner_words` rowid of a version's postings (a length past 65,535 words counts as that). */
export function postingRowid(rowId: number, length: number): number {
  return rowId * LENGTH_SPAN + Math.min(length, LENGTH_SPAN - 1);
}

/** The `text_owners` user of a text without a user. */
const NO_USER = '';

/** An owner's word as `owner_words` spells it: the stem, `_`, the owner's number (base 36). Stems hold letters and digits only. */
const ownerWord = (owner: number, term: string) => `${term}_${owner.toString(36)}`;
/** The range of terms that holds a stem's words of every owner: [`stem_`, `stem\``) (`` ` `` follows `_`). */
const everyOwner = (term: string): [string, string] => [`${term}_`, `${term}\``];

/** A version as the postings need it: its row, its user (none: the `''` owner) and its text. */
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
    const user = version.user_id ?? NO_USER;
    const owner = (ownerId.get(user) ?? insertOwner.get(user)!).id;
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
      const owner = ownerId.get(version.user_id ?? NO_USER)?.id;
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
      const batch = db.prepare<[number], TextVersion>(`SELECT row_id, user_id, text FROM memory_versions WHERE valid_to IS NULL AND row_id > ? ORDER BY row_id LIMIT ${REFILL_BATCH}`);
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
      expected: countRows(db, 'SELECT COUNT(*) AS n FROM memory_versions WHERE valid_to IS NULL'),
      actual: countRows(db, 'SELECT coalesce(SUM(docs), 0) AS n FROM text_owners'),
    }),
  };
}

/** A current version (`memory_versions.row_id`) and its BM25 score for a query. */
export interface OwnerTextHit {
  rowId: number;
  score: number;
}

/** FTS5's `bm25()` constants, as the store's text scores always used. */
const K1 = 1.2;
const B = 0.75;

/**
 * One word's postings among the texts searched: each text that says it (its `owner_words` rowid,
 * ascending) and how often. Parallel number arrays, not a Map per word: at a million memories a
 * common word is in thousands of a user's texts, and Maps that large are allocated straight into
 * V8's old generation, where each one brings the next full collection closer.
 */
export interface WordPostings {
  docs: number[];
  counts: number[];
}

/** What BM25 needs of a query's words: the texts' count and total length, and each word's postings. */
interface Counted {
  stats: { docs: number; words: number };
  byWord: Map<string, WordPostings>;
}

/**
 * Okapi BM25 over one user's texts (document frequencies, the count and the average length all from
 * that user's postings, so a user's ranking never depends on what others stored), or over the whole
 * store's when no user is given.
 */
export function createOwnerTextIndex(db: Database) {
  const owner: Statement<[string], { id: number; docs: number; words: number }> = db.prepare('SELECT id, docs, words FROM text_owners WHERE user_id = ?');
  const everyone: Statement<[], { docs: number; words: number }> = db.prepare('SELECT coalesce(SUM(docs), 0) AS docs, coalesce(SUM(words), 0) AS words FROM text_owners');
  // Per asked word, its occurrences in the user's current texts as one list of `owner_words` rowids
  // (a row per occurrence cost more to hand to JavaScript than to read).
  const postings = db.prepare<[string], [string, string | null]>('SELECT t.value, (SELECT group_concat(p.doc) FROM owner_word_postings p WHERE p.term = t.value) FROM json_each(?) t').raw();
  // The same for one stem of every owner: a range of terms.
  const postingsOfAll = db.prepare<[string, string], [string | null]>('SELECT group_concat(doc) FROM owner_word_postings WHERE term >= ? AND term < ?').raw();

  /** The user's postings of the words, in one read. */
  function countInUser(userId: string, words: readonly string[]): Counted | undefined {
    const stats = owner.get(userId);
    if (stats === undefined || stats.docs <= 0) return undefined;
    const byWord = new Map<string, WordPostings>();
    for (const [term, list] of postings.all(JSON.stringify(words.map((word) => ownerWord(stats.id, word))))) if (list !== null) byWord.set(term, postingsOf(list));
    return { stats, byWord };
  }

  /** Every owner's postings of the words: a range of terms per word. */
  function countInStore(words: readonly string[]): Counted | undefined {
    const stats = everyone.get()!;
    if (stats.docs <= 0) return undefined;
    const byWord = new Map<string, WordPostings>();
    for (const word of words) {
      const [list] = postingsOfAll.get(...everyOwner(word))!;
      if (list !== null) byWord.set(word, postingsOf(list));
    }
    return { stats, byWord };
  }

  return {
    /**
     * The best `limit` current versions (all by default) that say a word of the query, best first
     * (ties by age): `userId`'s, or with no user every owner's, scored within them.
     */
    search(userId: string | undefined, text: string, maxTerms: number, limit = Number.POSITIVE_INFINITY): OwnerTextHit[] {
      const words = [...new Set(lexicalWords(text))].slice(0, maxTerms);
      const counted = words.length === 0 ? undefined : userId === undefined ? countInStore(words) : countInUser(userId, words);
      if (counted === undefined) return [];
      const { stats, byWord } = counted;
      const averageLength = stats.words / stats.docs || 1;
      const lists = [...byWord.values()].map((found) => {
        const df = found.docs.length;
        // As FTS5 does: a word in more than half of the texts still counts, a little.
        return { ...found, idf: Math.max(1e-6, Math.log((stats.docs - df + 0.5) / (df + 0.5))) };
      });
      // The words' postings merged text by text (each list is ascending), every text's score offered
      // to a bounded heap: no map of every text that says a word.
      const heads = new Array<number>(lists.length).fill(0);
      const top = createTopK(limit);
      for (;;) {
        let doc = Number.POSITIVE_INFINITY;
        for (let i = 0; i < lists.length; i++) if (heads[i]! < lists[i]!.docs.length) doc = Math.min(doc, lists[i]!.docs[heads[i]!]!);
        if (doc === Number.POSITIVE_INFINITY) break;
        const length = doc % LENGTH_SPAN;
        let score = 0;
        for (let i = 0; i < lists.length; i++) {
          const list = lists[i]!;
          if (list.docs[heads[i]!] !== doc) continue;
          const tf = list.counts[heads[i]!]!;
          score += (list.idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * length) / averageLength));
          heads[i]!++;
        }
        top.offer(Math.floor(doc / LENGTH_SPAN), score);
      }
      return top.sorted().map(({ key, similarity }) => ({ rowId: key, score: similarity }));
    },
  };
}

/**
 * A word's postings from `group_concat(doc)`: one rowid per occurrence, a text's occurrences one
 * after another. Parsed in place (a split would make a string per occurrence). Ordered by text; lists
 * of several owners come owner by owner and are sorted here.
 */
export function postingsOf(list: string): WordPostings {
  const found: WordPostings = { docs: [], counts: [] };
  let ordered = true;
  let value = 0;
  for (let i = 0; i <= list.length; i++) {
    const code = i < list.length ? list.charCodeAt(i) : COMMA;
    if (code !== COMMA) {
      value = value * 10 + (code - ZERO);
      continue;
    }
    const last = found.docs.length - 1;
    if (last >= 0 && found.docs[last] === value) found.counts[last]!++;
    else {
      if (last >= 0 && value < found.docs[last]!) ordered = false;
      found.docs.push(value);
      found.counts.push(1);
    }
    value = 0;
  }
  return ordered ? found : sortedPostings(found);
}

const COMMA = 44;
const ZERO = 48;

/** Postings ordered by text, a text's runs summed (they were apart when several owners' came one after another). */
function sortedPostings({ docs, counts }: WordPostings): WordPostings {
  const order = docs.map((_, i) => i).sort((a, b) => docs[a]! - docs[b]!);
  const sorted: WordPostings = { docs: [], counts: [] };
  for (const i of order) {
    const last = sorted.docs.length - 1;
    if (last >= 0 && sorted.docs[last] === docs[i]) sorted.counts[last]! += counts[i]!;
    else {
      sorted.docs.push(docs[i]!);
      sorted.counts.push(counts[i]!);
    }
  }
  return sorted;
}

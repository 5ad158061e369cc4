import type { Database, Statement } from 'better-sqlite3';
import { lexicalTerms, lexicalWords } from '@neuromem/core';
import { countRows, type RowCounts } from './count-rows';
import { createTopK } from './top-k';

/** The owners' table: one row per user and kind, with the counts BM25 needs. */
const textOwnersTable = (name: string) => `CREATE TABLE IF NOT EXISTS ${name} (
  id INTEGER PRIMARY KEY,
  user_id TEXT NOT NULL,
  kind TEXT NOT NULL DEFAULT 'episodic',
  docs INTEGER NOT NULL DEFAULT 0,
  words INTEGER NOT NULL DEFAULT 0,
  UNIQUE (user_id, kind)
);`;

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
 *
 * Since schema 17 an owner is a user's texts of one kind: a user's statements (`episodic`) and the
 * facts a sleep consolidated from them (`semantic`) are counted apart, so the facts, which quote
 * every version's words, do not make those words look common among the statements (see `search`).
 */
export const OWNER_TEXT_SQL = `
${textOwnersTable('text_owners')}
CREATE VIRTUAL TABLE IF NOT EXISTS owner_words USING fts5(words, content = '', contentless_delete = 1, detail = full, tokenize = "ascii tokenchars '_'");
CREATE VIRTUAL TABLE IF NOT EXISTS owner_word_postings USING fts5vocab(owner_words, 'instance');
`;

/** Schema 17: owners by user and kind (a file's owners were all its users' texts, each user one owner). */
export const OWNERS_BY_KIND_SQL = `
${textOwnersTable('text_owners_v17')}
INSERT INTO text_owners_v17 (id, user_id, docs, words) SELECT id, user_id, docs, words FROM text_owners;
DROP TABLE text_owners;
ALTER TABLE text_owners_v17 RENAME TO text_owners;
`;

/** The owners of other kinds than statements, found without reading every user's (made after the schema 17 step). */
export const TEXT_OWNERS_INDEX_SQL = "CREATE INDEX IF NOT EXISTS text_owners_kind ON text_owners (kind) WHERE kind != 'episodic';\n";

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

/** A version as the postings need it: its row, its user (none: the `''` owner), its kind and its text. */
export interface TextVersion {
  row_id: number;
  user_id: string | null;
  kind: string;
  text: string;
}

const REFILL_BATCH = 2_000;

/** The statements that keep `owner_words` and `text_owners` in step with the current versions. */
export function createOwnerTextRows(db: Database) {
  // The user's row, made on first use. Looked up first: the upsert rewrites the row even when it
  // exists (56 µs a turn against 3 µs for the lookup, a tenth of a batched add's statements).
  const insertOwner = db.prepare<[string, string], { id: number }>('INSERT INTO text_owners (user_id, kind) VALUES (?, ?) RETURNING id');
  const ownerId = db.prepare<[string, string], { id: number }>('SELECT id FROM text_owners WHERE user_id = ? AND kind = ?');
  const count = db.prepare<[number, number, number]>('UPDATE text_owners SET docs = docs + ?, words = words + ? WHERE id = ?');
  const insert = db.prepare<[number, string]>('INSERT INTO owner_words (rowid, words) VALUES (?, ?)');
  const remove = db.prepare<[number]>('DELETE FROM owner_words WHERE rowid = ?');

  const put = (version: TextVersion) => {
    const key = [version.user_id ?? NO_USER, version.kind] as const;
    const owner = (ownerId.get(...key) ?? insertOwner.get(...key)!).id;
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
      const owner = ownerId.get(version.user_id ?? NO_USER, version.kind)?.id;
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
      const batch = db.prepare<[number], TextVersion>(`SELECT row_id, user_id, kind, text FROM memory_versions WHERE valid_to IS NULL AND row_id > ? ORDER BY row_id LIMIT ${REFILL_BATCH}`);
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

/** What BM25 needs of a query's words among one collection of texts: their count and total length, and each word's postings. */
interface Counted {
  stats: { docs: number; words: number };
  byWord: Map<string, WordPostings>;
}

/** The owner's number in an owner's word (`beagl_1a` -> 46). */
const ownerOfWord = (term: string) => Number.parseInt(term.slice(term.lastIndexOf('_') + 1), 36);

/**
 * Okapi BM25 over one user's texts (document frequencies, the count and the average length all from
 * that user's postings, so a user's ranking never depends on what others stored), or over the whole
 * store's when no user is given. Each kind of text is its own collection, scored within itself: the
 * facts a sleep writes quote their statements' words, and counted among the statements they would
 * make those words look common and reorder the statements (a word's document frequency).
 */
export function createOwnerTextIndex(db: Database) {
  const ownersOf: Statement<[string], { id: number; docs: number; words: number }> = db.prepare('SELECT id, docs, words FROM text_owners WHERE user_id = ?');
  const kinds: Statement<[], { kind: string; docs: number; words: number }> = db.prepare('SELECT kind, SUM(docs) AS docs, SUM(words) AS words FROM text_owners GROUP BY kind');
  const otherKindOwners: Statement<[], { id: number; kind: string }> = db.prepare("SELECT id, kind FROM text_owners WHERE kind != 'episodic'");
  // Per asked word, its occurrences in the user's current texts as one list of `owner_words` rowids
  // (a row per occurrence cost more to hand to JavaScript than to read).
  const postings = db.prepare<[string], [string, string | null]>('SELECT t.value, (SELECT group_concat(p.doc) FROM owner_word_postings p WHERE p.term = t.value) FROM json_each(?) t').raw();
  // The same for one stem of every owner: a range of terms; by owner when owners differ in kind.
  const postingsOfAll = db.prepare<[string, string], [string | null]>('SELECT group_concat(doc) FROM owner_word_postings WHERE term >= ? AND term < ?').raw();
  const postingsByOwner = db.prepare<[string, string], [string, string]>('SELECT term, group_concat(doc) FROM owner_word_postings WHERE term >= ? AND term < ? GROUP BY term').raw();

  /** The user's postings of the words, in one read per kind of text the user has. */
  function countInUser(userId: string, words: readonly string[]): Counted[] {
    return ownersOf
      .all(userId)
      .filter((owner) => owner.docs > 0)
      .map((owner) => {
        const byWord = new Map<string, WordPostings>();
        for (const [term, list] of postings.all(JSON.stringify(words.map((word) => ownerWord(owner.id, word))))) if (list !== null) byWord.set(term, postingsOf(list));
        return { stats: owner, byWord };
      });
  }

  /** Every owner's postings of the words, a range of terms per word, gathered by kind. */
  function countInStore(words: readonly string[]): Counted[] {
    const byKind = new Map<string, Counted>();
    for (const { kind, docs, words: length } of kinds.all()) if (docs > 0) byKind.set(kind, { stats: { docs, words: length }, byWord: new Map() });
    const others = new Map(otherKindOwners.all().map((owner) => [owner.id, owner.kind]));
    for (const word of words) {
      const lists = new Map<string, string[]>();
      if (others.size === 0) {
        const [list] = postingsOfAll.get(...everyOwner(word))!;
        if (list !== null) lists.set('episodic', [list]);
      } else {
        for (const [term, list] of postingsByOwner.all(...everyOwner(word))) {
          const kind = others.get(ownerOfWord(term)) ?? 'episodic';
          if (lists.has(kind)) lists.get(kind)!.push(list);
          else lists.set(kind, [list]);
        }
      }
      for (const [kind, parts] of lists) byKind.get(kind)?.byWord.set(word, postingsOf(parts.join(',')));
    }
    return [...byKind.values()];
  }

  /** Every text of one collection that says a query word, offered to `top` with its score. */
  function score({ stats, byWord }: Counted, top: ReturnType<typeof createTopK>): void {
    const averageLength = stats.words / stats.docs || 1;
    const lists = [...byWord.values()].map((found) => {
      const df = found.docs.length;
      // As FTS5 does: a word in more than half of the texts still counts, a little.
      return { ...found, idf: Math.max(1e-6, Math.log((stats.docs - df + 0.5) / (df + 0.5))) };
    });
    // The words' postings merged text by text (each list is ascending), every text's score offered
    // to a bounded heap: no map of every text that says a word.
    const heads = new Array<number>(lists.length).fill(0);
    for (;;) {
      let doc = Number.POSITIVE_INFINITY;
      for (let i = 0; i < lists.length; i++) if (heads[i]! < lists[i]!.docs.length) doc = Math.min(doc, lists[i]!.docs[heads[i]!]!);
      if (doc === Number.POSITIVE_INFINITY) break;
      const length = doc % LENGTH_SPAN;
      let sum = 0;
      for (let i = 0; i < lists.length; i++) {
        const list = lists[i]!;
        if (list.docs[heads[i]!] !== doc) continue;
        const tf = list.counts[heads[i]!]!;
        sum += (list.idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * length) / averageLength));
        heads[i]!++;
      }
      top.offer(Math.floor(doc / LENGTH_SPAN), sum);
    }
  }

  return {
    /**
     * The best `limit` current versions (all by default) that say a word of the query, best first
     * (ties by age): `userId`'s, or with no user every owner's, scored within their kind.
     */
    search(userId: string | undefined, text: string, maxTerms: number, limit = Number.POSITIVE_INFINITY): OwnerTextHit[] {
      const words = [...new Set(lexicalWords(text))].slice(0, maxTerms);
      if (words.length === 0) return [];
      const top = createTopK(limit);
      for (const counted of userId === undefined ? countInStore(words) : countInUser(userId, words)) score(counted, top);
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

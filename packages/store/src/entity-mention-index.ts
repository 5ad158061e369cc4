import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { ENTITY_LINKS_PER_MENTION } from '@neuromem/core';

/**
 * Which memories mention an entity, and which entities a memory mentions.
 *
 * `entity_mentions` keeps one row per mention in write order (a memory's entities read back through
 * `mentions_seq`). Finding an owner's latest memories that mention an entity (every add links its
 * entities to them) used to read a B-tree keyed by (owner, entity, seq), and every turn's two or
 * three mentions landed on leaf pages scattered through it: at 1,000,000 memories 170 of a 60-turn
 * commit's 416 written pages. Since schema 11 that lookup is an FTS5 index of its own,
 * `mention_words`: a memory's row (rowid = its `seq`) holds one word per entity it mentions, a hash
 * of the owner and the entity, and FTS5 writes a transaction's words as one sorted segment, merged
 * later. FTS5 reads a word's rowids newest first with a bound, so "the latest 5 before this one" reads
 * a few entries; every hit is checked against `entity_mentions` itself, so a hash collision can
 * never link two memories. Kept in code inside each write's transaction, not by triggers (see
 * owner-text-index.ts for why).
 */
export const ENTITY_MENTIONS_SQL = `
CREATE TABLE IF NOT EXISTS entity_mentions (
  entity TEXT NOT NULL,
  owner_key TEXT NOT NULL,
  seq INTEGER NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS mention_words USING fts5(words, content = '', contentless_delete = 1, detail = none, tokenize = 'ascii');
`;

/** The word of an owner's entity in `mention_words`: `e` and 64 bits of a hash, as hex (one token for the ascii tokenizer). */
export function mentionWord(ownerKey: string, entity: string): string {
  return `e${createHash('sha1').update(ownerKey).update('\u0000').update(entity).digest('hex').slice(0, 16)}`;
}

/** A memory that mentions an entity: its id and its `seq`. */
export interface Mention {
  memory_id: string;
  seq: number;
}

const REFILL_BATCH = 5_000;

/** The statements that keep `entity_mentions` and `mention_words` in step, and read them. */
export function createMentionRows(db: Database) {
  const insertMention = db.prepare<[string, string, number]>('INSERT INTO entity_mentions (entity, owner_key, seq) VALUES (?, ?, ?)');
  const insertWords = db.prepare<[number, string]>('INSERT INTO mention_words (rowid, words) VALUES (?, ?)');
  const deleteMentions = db.prepare<[number]>('DELETE FROM entity_mentions WHERE seq = ?');
  const deleteWords = db.prepare<[number]>('DELETE FROM mention_words WHERE rowid = ?');
  // The word's newest rowids below the bound, each checked against the mention it stands for.
  const mentionedBefore = db.prepare<[string, number, string, string], Mention>(
    `SELECT m.id AS memory_id, m.seq FROM mention_words w
       CROSS JOIN memories m ON m.seq = w.rowid AND m.current_row IS NOT NULL
     WHERE mention_words MATCH ? AND w.rowid < ?
       AND EXISTS (SELECT 1 FROM entity_mentions em INDEXED BY mentions_seq WHERE em.seq = w.rowid AND em.owner_key = ? AND em.entity = ?)
     ORDER BY w.rowid DESC LIMIT ${ENTITY_LINKS_PER_MENTION}`,
  );

  const clearWords = (): void => void db.exec("INSERT INTO mention_words (mention_words) VALUES ('delete-all')");

  const put = (seq: number, ownerKey: string, entities: readonly string[]): void => {
    const distinct = [...new Set(entities)];
    if (distinct.length === 0) return;
    for (const entity of distinct) insertMention.run(entity, ownerKey, seq);
    insertWords.run(seq, distinct.map((entity) => mentionWord(ownerKey, entity)).join(' '));
  };

  return {
    /** The entities a memory (by `seq`) mentions; call `remove` first when it had some. */
    put,
    /** Forgets a memory's mentions (its text changed, or it was purged). */
    remove(seq: number): void {
      if (deleteMentions.run(seq).changes > 0) deleteWords.run(seq);
    },
    /** The owner's current memories written before `seq` that mention the entity, newest first (at most `ENTITY_LINKS_PER_MENTION`). */
    mentionedBefore(ownerKey: string, entity: string, seq: number): Mention[] {
      return mentionedBefore.all(mentionWord(ownerKey, entity), seq, ownerKey, entity);
    },
    /** Empties `mention_words` (a contentless FTS5 table is emptied by its `delete-all` command); the mentions are the caller's. */
    clearWords,
    /** Memories with mentions against rows `mention_words` holds; they differ only in a damaged file. */
    counts(): { expected: number; actual: number } {
      const one = (sql: string) => db.prepare<[], { n: number }>(sql).get()!.n;
      return { expected: one('SELECT COUNT(DISTINCT seq) AS n FROM entity_mentions'), actual: one('SELECT COUNT(*) AS n FROM mention_words') };
    },
    /** Rebuilds `mention_words` from `entity_mentions` (a file from before it existed), merged into one segment. */
    refillWords(): void {
      clearWords();
      // Whole memories per batch: every mention of the next REFILL_BATCH memories that have any.
      const batch = db.prepare<{ after: number }, { seq: number; owner_key: string; entity: string }>(
        `SELECT seq, owner_key, entity FROM entity_mentions INDEXED BY mentions_seq
         WHERE seq > @after AND seq <= (SELECT max(seq) FROM (SELECT DISTINCT seq FROM entity_mentions INDEXED BY mentions_seq WHERE seq > @after ORDER BY seq LIMIT ${REFILL_BATCH}))
         ORDER BY seq, rowid`,
      );
      for (let after = 0; ; ) {
        const rows = batch.all({ after });
        if (rows.length === 0) break;
        const words = new Map<number, Set<string>>();
        for (const row of rows) {
          let set = words.get(row.seq);
          if (set === undefined) words.set(row.seq, (set = new Set()));
          set.add(mentionWord(row.owner_key, row.entity));
        }
        for (const [seq, set] of words) insertWords.run(seq, [...set].join(' '));
        after = rows[rows.length - 1]!.seq;
      }
      // A refill leaves FTS5 with many small segments, which later commits would merge a little at a
      // time (over 200 pages a commit at 1M memories, against about 10): merged here, once.
      db.exec("INSERT INTO mention_words (mention_words) VALUES ('optimize')");
    },
  };
}

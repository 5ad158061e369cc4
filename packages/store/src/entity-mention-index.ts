import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { createLruCache, ENTITY_LINKS_PER_MENTION } from '@neuromem/core';
import { countRows, type RowCounts } from './count-rows';

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

/** (owner, entity) pairs whose latest mention is remembered: ~100 bytes each, some 10 MB. */
const LATEST_CACHED = 100_000;

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

  // The newest memory known to mention each (owner, entity) by its word (0: none), as this process
  // wrote or read it: a hit costs one check instead of an FTS5 read (~5 against ~30 µs). It needs no
  // invalidation: a hit is used only when its memory is current and still says that mention, which a
  // rolled-back write, a delete, an edit or a purge all undo; any doubt falls back to FTS5.
  const latest = createLruCache<string, number>({ maxCost: LATEST_CACHED });
  const stillMentions = db.prepare<[number, string, string], Mention>(
    `SELECT m.id AS memory_id, m.seq FROM memories m WHERE m.seq = ? AND m.current_row IS NOT NULL
       AND EXISTS (SELECT 1 FROM entity_mentions em INDEXED BY mentions_seq WHERE em.seq = m.seq AND em.owner_key = ? AND em.entity = ?)`,
  );

  /** Records `seq` as the newest mention when it is: a new memory always is; an edited one only when newer than the newest known. */
  const remember = (word: string, seq: number, newest: boolean): void => {
    const known = latest.get(word);
    if (newest || (known !== undefined && known < seq)) latest.set(word, seq);
  };

  /** The owner's latest current memories before `seq` that say the entity's word, newest first (the cache first, for a new memory). */
  const latestBefore = (word: string, ownerKey: string, entity: string, seq: number, newest: boolean): Mention[] => {
    // The cache knows the newest mention only: it answers for a new memory (nothing is newer), one link.
    if (!newest || ENTITY_LINKS_PER_MENTION !== 1) return mentionedBefore.all(word, seq, ownerKey, entity);
    const known = latest.get(word);
    if (known === 0) return [];
    if (known !== undefined && known < seq) {
      const mention = stillMentions.get(known, ownerKey, entity);
      if (mention) return [mention];
    }
    const found = mentionedBefore.all(word, seq, ownerKey, entity);
    latest.set(word, found[0]?.seq ?? 0);
    return found;
  };

  return {
    /**
     * Records the entities a memory (by `seq`) mentions, each once, and returns each with the owner's
     * latest earlier current memories that mention it (at most `ENTITY_LINKS_PER_MENTION`). `newest` when the memory is the
     * latest written (not an edit of an older one). Call `remove` first when it had mentions.
     */
    record(seq: number, ownerKey: string, entities: readonly string[], { newest }: { newest: boolean }): Array<{ entity: string; mentioned: Mention }> {
      const distinct = [...new Set(entities)];
      if (distinct.length === 0) return [];
      const words = distinct.map((entity) => mentionWord(ownerKey, entity));
      const links = distinct.flatMap((entity, i) => latestBefore(words[i]!, ownerKey, entity, seq, newest).map((mentioned) => ({ entity, mentioned })));
      distinct.forEach((entity, i) => {
        insertMention.run(entity, ownerKey, seq);
        remember(words[i]!, seq, newest);
      });
      insertWords.run(seq, words.join(' '));
      return links;
    },
    /** Forgets a memory's mentions (its text changed, or it was purged). */
    remove(seq: number): void {
      if (deleteMentions.run(seq).changes > 0) deleteWords.run(seq);
    },
    /** Empties `mention_words` (a contentless FTS5 table is emptied by its `delete-all` command); the mentions are the caller's. */
    clearWords,
    /** Memories with mentions against rows `mention_words` holds; they differ only in a damaged file. */
    counts: (): RowCounts => ({ expected: countRows(db, 'SELECT COUNT(DISTINCT seq) AS n FROM entity_mentions'), actual: countRows(db, 'SELECT COUNT(*) AS n FROM mention_words') }),
    /** Rebuilds `mention_words` from `entity_mentions` (a file from before it existed), merged into one segment. */
    refillWords: (): void => {
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

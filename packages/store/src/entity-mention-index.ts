import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { createLruCache, ENTITY_LINKS_PER_MENTION } from '@neuromem/core';
import { countRows, type RowCounts } from './count-rows';

/** Whose memory a mention is: its user and agent (null: none). */
export interface MentionOwner {
  userId: string | null;
  agentId: string | null;
}

/** Memories are linked by entity within one owner (user + agent), never across owners: the key that names one. */
export const ownerKeyOf = (owner: MentionOwner) => JSON.stringify([owner.userId, owner.agentId]);

/** SQL: the version `v` has the owner `@user`, `@agent`. */
const SAME_OWNER = 'v.user_id IS @user AND v.agent_id IS @agent';

/**
 * Which entities a memory (`seq`) mentions, in the order it said them (`ord`), clustered by memory
 * (schema 15: no rowid and no second index on seq, and no owner key per row, which the memory's
 * version tells: 53 -> ~25 bytes a mention).
 */
const MENTIONS_TABLE_SQL = (name: string) => `CREATE TABLE IF NOT EXISTS ${name} (
  seq INTEGER NOT NULL,
  ord INTEGER NOT NULL,
  entity TEXT NOT NULL,
  PRIMARY KEY (seq, ord)
) WITHOUT ROWID;`;

/**
 * Which memories mention an entity, and which entities a memory mentions.
 *
 * `entity_mentions` keeps one row per mention, clustered by memory in the order it said them.
 * Finding an owner's latest memories that mention an entity (every add links its entities to them)
 * used to read a B-tree keyed by (owner, entity, seq), and every turn's two or
 * three mentions landed on leaf pages scattered through it: at 1,000,000 memories 170 of a 60-turn
 * commit's 416 written pages. Since schema 11 that lookup is an FTS5 index of its own,
 * `mention_words`: a memory's row (rowid = its `seq`) holds one word per entity it mentions, a hash
 * of the owner and the entity, and FTS5 writes a transaction's words as one sorted segment, merged
 * later. FTS5 reads a word's rowids newest first with a bound, so "the latest 5 before this one" reads
 * a few entries; every hit is checked against `entity_mentions` itself and the memory's owner, so a
 * hash collision can never link two memories. Kept in code inside each write's transaction, not by
 * triggers (see owner-text-index.ts for why).
 */
export const ENTITY_MENTIONS_SQL = `
${MENTIONS_TABLE_SQL('entity_mentions')}
CREATE VIRTUAL TABLE IF NOT EXISTS mention_words USING fts5(words, content = '', contentless_delete = 1, detail = none, tokenize = 'ascii');
`;

/** Schema 15: mentions clustered by memory, without their owner key (for a file whose mentions still have one). */
export const SLIM_MENTIONS_SQL = `
${MENTIONS_TABLE_SQL('entity_mentions_v15')}
INSERT INTO entity_mentions_v15 (seq, ord, entity)
  SELECT seq, row_number() OVER (PARTITION BY seq ORDER BY rowid) - 1, entity FROM entity_mentions ORDER BY seq, rowid;
DROP TABLE entity_mentions;
ALTER TABLE entity_mentions_v15 RENAME TO entity_mentions;
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
  const insertMention = db.prepare<[number, number, string]>('INSERT INTO entity_mentions (seq, ord, entity) VALUES (?, ?, ?)');
  const insertWords = db.prepare<[number, string]>('INSERT INTO mention_words (rowid, words) VALUES (?, ?)');
  const deleteMentions = db.prepare<[number]>('DELETE FROM entity_mentions WHERE seq = ?');
  const deleteWords = db.prepare<[number]>('DELETE FROM mention_words WHERE rowid = ?');
  // The word's newest rowids below the bound, each checked against the mention it stands for.
  const mentionedBefore = db.prepare<[{ word: string; seq: number; user: string | null; agent: string | null; entity: string }], Mention>(
    `SELECT m.id AS memory_id, m.seq FROM mention_words w
       CROSS JOIN memories m ON m.seq = w.rowid AND m.current_row IS NOT NULL
       CROSS JOIN memory_versions v ON v.row_id = m.current_row
     WHERE mention_words MATCH @word AND w.rowid < @seq AND ${SAME_OWNER}
       AND EXISTS (SELECT 1 FROM entity_mentions em WHERE em.seq = w.rowid AND em.entity = @entity)
     ORDER BY w.rowid DESC LIMIT ${ENTITY_LINKS_PER_MENTION}`,
  );

  const clearWords = (): void => void db.exec("INSERT INTO mention_words (mention_words) VALUES ('delete-all')");

  // The newest memory known to mention each (owner, entity) by its word (0: none), as this process
  // wrote or read it: a hit costs one check instead of an FTS5 read (~5 against ~30 µs). It needs no
  // invalidation: a hit is used only when its memory is current and still says that mention, which a
  // rolled-back write, a delete, an edit or a purge all undo; any doubt falls back to FTS5.
  const latest = createLruCache<string, number>({ maxCost: LATEST_CACHED });
  const stillMentions = db.prepare<[{ seq: number; user: string | null; agent: string | null; entity: string }], Mention>(
    `SELECT m.id AS memory_id, m.seq FROM memories m CROSS JOIN memory_versions v ON v.row_id = m.current_row
     WHERE m.seq = @seq AND ${SAME_OWNER} AND EXISTS (SELECT 1 FROM entity_mentions em WHERE em.seq = m.seq AND em.entity = @entity)`,
  );

  /** Records `seq` as the newest mention when it is: a new memory always is; an edited one only when newer than the newest known. */
  const remember = (word: string, seq: number, newest: boolean): void => {
    const known = latest.get(word);
    if (newest || (known !== undefined && known < seq)) latest.set(word, seq);
  };

  /** The owner's latest current memories before `seq` that say the entity's word, newest first (the cache first, for a new memory). */
  const latestBefore = (word: string, owner: MentionOwner, entity: string, seq: number, newest: boolean): Mention[] => {
    const asked = { word, seq, user: owner.userId, agent: owner.agentId, entity };
    // The cache knows the newest mention only: it answers for a new memory (nothing is newer), one link.
    if (!newest || ENTITY_LINKS_PER_MENTION !== 1) return mentionedBefore.all(asked);
    const known = latest.get(word);
    if (known === 0) return [];
    if (known !== undefined && known < seq) {
      const mention = stillMentions.get({ seq: known, user: owner.userId, agent: owner.agentId, entity });
      if (mention) return [mention];
    }
    const found = mentionedBefore.all(asked);
    latest.set(word, found[0]?.seq ?? 0);
    return found;
  };

  return {
    /**
     * Records the entities a memory (by `seq`) of `owner` mentions, each once, in order, and returns
     * each with the owner's latest earlier current memories that mention it (at most
     * `ENTITY_LINKS_PER_MENTION`). `newest` when the memory is the latest written (not an edit of an
     * older one). Call `remove` first when it had mentions.
     */
    record(seq: number, owner: MentionOwner, entities: readonly string[], { newest }: { newest: boolean }): Array<{ entity: string; mentioned: Mention }> {
      const distinct = [...new Set(entities)];
      if (distinct.length === 0) return [];
      const key = ownerKeyOf(owner);
      const words = distinct.map((entity) => mentionWord(key, entity));
      const links = distinct.flatMap((entity, i) => latestBefore(words[i]!, owner, entity, seq, newest).map((mentioned) => ({ entity, mentioned })));
      distinct.forEach((entity, i) => {
        insertMention.run(seq, i, entity);
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
      // Whole memories per batch: every mention of the next REFILL_BATCH memories that have any, with
      // the memory's owner (its first version's: a memory's owner never changes).
      const batch = db.prepare<{ after: number }, { seq: number; user_id: string | null; agent_id: string | null; entity: string }>(
        `SELECT em.seq, v.user_id, v.agent_id, em.entity FROM entity_mentions em
           JOIN memories m ON m.seq = em.seq JOIN memory_versions v ON v.memory = m.seq AND v.version = 1
         WHERE em.seq > @after AND em.seq <= (SELECT max(seq) FROM (SELECT DISTINCT seq FROM entity_mentions WHERE seq > @after ORDER BY seq LIMIT ${REFILL_BATCH}))
         ORDER BY em.seq, em.ord`,
      );
      for (let after = 0; ; ) {
        const rows = batch.all({ after });
        if (rows.length === 0) break;
        const words = new Map<number, Set<string>>();
        for (const row of rows) {
          let set = words.get(row.seq);
          if (set === undefined) words.set(row.seq, (set = new Set()));
          set.add(mentionWord(ownerKeyOf({ userId: row.user_id, agentId: row.agent_id }), row.entity));
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

import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { createManualClock } from '@neuromem/core';
import { createTempDir } from '@neuromem/core/testing';
import { createSqliteStore } from './create-sqlite-store';
import { postingRowid, postingsOf } from './owner-text-index';
import { lexicalTerms, lexicalWords } from '@neuromem/core';

const open = (path?: string) => createSqliteStore({ ...(path ? { path } : {}), vectorScales: {}, clock: createManualClock(Date.UTC(2024, 0, 1), { tick: 1 }) });
const alice = { scope: { userId: 'alice' } };

/** Okapi BM25 (k1 1.2, b 0.75) of `query` over `texts`, computed here from the words alone. */
function bm25(texts: readonly string[], query: string): number[] {
  const docs = texts.map(lexicalWords);
  const average = docs.reduce((sum, words) => sum + words.length, 0) / docs.length;
  const terms = [...new Set(lexicalWords(query))];
  return docs.map((words) =>
    terms.reduce((score, term) => {
      const tf = words.filter((word) => word === term).length;
      if (tf === 0) return score;
      const df = docs.filter((other) => other.includes(term)).length;
      const idf = Math.max(1e-6, Math.log((docs.length - df + 0.5) / (df + 0.5)));
      return score + (idf * tf * 2.2) / (tf + 1.2 * (0.25 + (0.75 * words.length) / average));
    }, 0),
  );
}

/** The texts that say a word of `query`, best first by `bm25`, with their scores. */
function rankedByBm25(texts: readonly string[], query: string): Array<{ text: string; score: number }> {
  const expected = bm25(texts, query);
  return texts
    .map((text, i) => ({ text, score: expected[i]! }))
    .filter((hit) => hit.score > 0)
    .sort((a, b) => b.score - a.score);
}

describe('lexicalWords', () => {
  it('should fold case and diacritics, drop stop words and stem what is left', () => {
    expect(lexicalWords('The Café was PAINTED by the painters in 2023!')).toEqual(['cafe', 'paint', 'painter', '2023']);
    expect(lexicalTerms('dogs and dogs and a cat')).toEqual([
      { term: 'dog', tf: 2, len: 3 },
      { term: 'cat', tf: 1, len: 3 },
    ]);
    expect(lexicalTerms('the and of')).toEqual([]);
  });
});

describe('postingsOf', () => {
  it("should read a word's occurrences as texts and counts, ordered by text whatever order the owners came in", () => {
    expect(postingsOf('7,7,7,12,90000000001')).toEqual({ docs: [7, 12, 90_000_000_001], counts: [3, 1, 1] });
    // Two owners' postings one after the other: the later owner's texts are older.
    expect(postingsOf('40,40,55,3,9,9')).toEqual({ docs: [3, 9, 40, 55], counts: [1, 2, 2, 1] });
  });
});

describe('owner-scoped text search', () => {
  const texts = [
    'Biscuit the beagle chased a squirrel',
    'I adopted a beagle last spring',
    'We painted the kitchen blue',
    'The squirrel stole bird seed again',
    'Spring cleaning: kitchen, garage, attic',
  ];

  it("should rank a user's memories by BM25 over that user's texts alone, whatever others store", async () => {
    const store = await open();
    await store.put(texts.map((text) => ({ text, ...alice })));
    const query = 'beagle squirrel in the spring';
    const ranked = rankedByBm25(texts, query);
    const hits = await store.searchText({ text: query, k: 10, filter: alice });
    expect(hits.map((hit) => hit.record.text)).toEqual(ranked.map((hit) => hit.text));
    hits.forEach((hit, i) => expect(hit.score).toBeCloseTo(ranked[i]!.score, 10));

    // Bob saying the same words a hundred times changes nothing for Alice.
    await store.put(Array.from({ length: 100 }, (_, i) => ({ text: `beagle squirrel spring ${i}`, scope: { userId: 'bob' } })));
    expect(await store.searchText({ text: query, k: 10, filter: alice })).toEqual(hits);
    expect(await store.searchText({ text: query, k: 3, filter: alice })).toEqual(hits.slice(0, 3));
    expect(await store.searchText({ text: 'the of and', k: 3, filter: alice })).toEqual([]);
    expect(await store.searchText({ text: 'beagle', k: 3, filter: { scope: { userId: 'nobody' } } })).toEqual([]);
    await store.close();
  });

  it('should count a word said twice, and long texts, as BM25 does', async () => {
    const store = await open();
    const mine = ['a beagle, a beagle and a cat', 'one beagle', `beagle ${Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ')}`, 'a cat'];
    await store.put(mine.map((text) => ({ text, ...alice })));
    const expected = bm25(mine, 'beagle');
    const hits = await store.searchText({ text: 'beagle', k: 10, filter: alice });
    expect(hits.map((hit) => hit.record.text)).toEqual([mine[0], mine[1], mine[2]]);
    hits.forEach((hit, i) => expect(hit.score).toBeCloseTo(expected[i]!, 10));
    await store.close();
  });

  it('should find nothing of a user after a reset, and index what comes after it', async () => {
    const store = await open();
    await store.put(texts.map((text) => ({ text, ...alice })));
    await store.reset();
    expect(await store.searchText({ text: 'beagle squirrel', k: 5, filter: alice })).toEqual([]);
    await store.put([{ text: 'a beagle again', ...alice }]);
    expect((await store.searchText({ text: 'beagle', k: 5, filter: alice })).map((hit) => hit.record.text)).toEqual(['a beagle again']);
    expect(await store.verifyIndexes()).toEqual([]);
    await store.close();
  });

  it('should follow updates, deletions and purges, and count only current texts', async () => {
    const store = await open();
    const [beagle, kitchen, squirrel] = await store.put(texts.slice(1, 4).map((text) => ({ text, ...alice })));
    await store.update(beagle!.id, { text: 'I adopted a poodle last spring' });
    await store.delete(kitchen!.id);
    await store.purge(squirrel!.id);
    const find = async (word: string) => (await store.searchText({ text: word, k: 5, filter: alice })).map((hit) => hit.record.text);
    expect(await find('beagle')).toEqual([]);
    expect(await find('poodle')).toEqual(['I adopted a poodle last spring']);
    expect(await find('kitchen')).toEqual([]);
    expect(await find('squirrel')).toEqual([]);
    expect(await store.verifyIndexes()).toEqual([]);
    // A scope narrower than one user (a session, an agent): the user's ranking, filtered.
    await store.put([{ text: 'a poodle at the beach', scope: { userId: 'alice', sessionId: 'trip' } }]);
    expect((await store.searchText({ text: 'poodle', k: 5, filter: { scope: { userId: 'alice', sessionId: 'trip' } } })).map((hit) => hit.record.text)).toEqual(['a poodle at the beach']);
    await store.close();
  });

  it('should rank the texts of every user, and those without one, by BM25 over the whole store when no user is asked', async () => {
    const store = await open();
    const everyone = [...texts, 'my beagle hates the kitchen', 'a squirrel in spring, a squirrel in autumn'];
    await store.put([...texts.map((text) => ({ text, ...alice })), { text: everyone[5]!, scope: { userId: 'bob' } }, { text: everyone[6]!, scope: { agentId: 'gardener' } }]);
    const query = 'beagle squirrel kitchen';
    const ranked = rankedByBm25(everyone, query);
    const hits = await store.searchText({ text: query, k: 10, filter: {} });
    expect(hits.map((hit) => hit.record.text)).toEqual(ranked.map((hit) => hit.text));
    hits.forEach((hit, i) => expect(hit.score).toBeCloseTo(ranked[i]!.score, 10));
    // An agent's scope holds its memories with and without a user.
    await store.put([{ text: 'the squirrel ate the tulips', scope: { userId: 'bob', agentId: 'gardener' } }]);
    expect((await store.searchText({ text: 'squirrel', k: 5, filter: { scope: { agentId: 'gardener' } } })).map((hit) => hit.record.text).sort()).toEqual(
      ['a squirrel in spring, a squirrel in autumn', 'the squirrel ate the tulips'].sort(),
    );
    expect(await store.verifyIndexes()).toEqual([]);
    await store.close();
  });

  it("should score every owner's texts together, whichever owner wrote first, and give a user's best k as the full ranking's first k", async () => {
    const store = await open();
    // Alice is the first owner the index knows, but most of her texts come after Bob's and Carol's,
    // so the postings of a word, read owner by owner, are out of text order.
    const said = (owner: string, i: number) => `${owner} beagle ${i % 3 === 0 ? 'beagle walk' : 'squirrel'} ${i % 5 === 0 ? 'kitchen kitchen' : 'garden'} note ${i}`;
    const written: Array<{ text: string; userId: string }> = [{ text: 'a beagle in the kitchen', userId: 'alice' }];
    for (let i = 0; i < 40; i++) written.push({ text: said('bob', i), userId: 'bob' }, { text: said('carol', i), userId: 'carol' }, { text: said('alice', i), userId: 'alice' });
    for (const { text, userId } of written) await store.put([{ text, scope: { userId } }]);
    const query = 'beagle walk kitchen squirrel';
    const ranked = rankedByBm25(
      written.map((w) => w.text),
      query,
    );
    const hits = await store.searchText({ text: query, k: 200, filter: {} });
    expect(hits.map((hit) => hit.score)).toHaveLength(ranked.length);
    hits.forEach((hit, i) => expect(hit.score).toBeCloseTo(ranked[i]!.score, 10));

    const alices = written.filter((w) => w.userId === 'alice').map((w) => w.text);
    const all = await store.searchText({ text: query, k: 100, filter: alice });
    expect(all.map((hit) => hit.record.text)).toEqual(rankedByBm25(alices, query).map((hit) => hit.text));
    for (const k of [1, 4, 9]) expect(await store.searchText({ text: query, k, filter: alice })).toEqual(all.slice(0, k));
    await store.close();
  });

  it('should give a narrower scope its best k, however many better hits of the user it leaves out', async () => {
    const store = await open();
    await store.put(Array.from({ length: 600 }, (_, i) => ({ text: `beagle beagle walk ${i}`, scope: { userId: 'alice', sessionId: 'walks' } })));
    await store.put([
      { text: 'a beagle at the vet', scope: { userId: 'alice', sessionId: 'vet' } },
      { text: 'the beagle needs a jab, the vet said', scope: { userId: 'alice', sessionId: 'vet' } },
    ]);
    const hits = await store.searchText({ text: 'beagle', k: 2, filter: { scope: { userId: 'alice', sessionId: 'vet' } } });
    expect(hits.map((hit) => hit.record.text)).toEqual(['a beagle at the vet', 'the beagle needs a jab, the vet said']);
    expect(await store.searchText({ text: 'beagle', k: 2, filter: { scope: { userId: 'alice', sessionId: 'nowhere' } } })).toEqual([]);
    await store.close();
  });

  it('should fill the postings of a schema-4 or schema-9 file on open, and rebuild damaged ones', async () => {
    const dir = createTempDir();
    try {
      const sql = (statements: string) => {
        const db = new BetterSqlite3(join(dir.path, 'memory.db'));
        db.exec(statements);
        db.close();
      };
      let store = await open(dir.path);
      await store.put(texts.map((text) => ({ text, ...alice })));
      const before = await store.searchText({ text: 'kitchen squirrel', k: 5, filter: alice });
      expect(before).toHaveLength(4);
      await store.close();

      sql('DROP TABLE owner_word_postings; DROP TABLE owner_words; DROP TABLE text_owners; PRAGMA user_version = 4;');
      store = await open(dir.path);
      expect(await store.searchText({ text: 'kitchen squirrel', k: 5, filter: alice })).toEqual(before);
      await store.close();

      // Schemas 5-9 kept the postings in a B-tree, owner_terms: it goes, and they are indexed again.
      sql(`DROP TABLE owner_word_postings; DROP TABLE owner_words;
        CREATE TABLE owner_terms (owner INTEGER NOT NULL, term TEXT NOT NULL, row_id INTEGER NOT NULL, tf INTEGER NOT NULL, len INTEGER NOT NULL, PRIMARY KEY (owner, term, row_id)) WITHOUT ROWID;
        PRAGMA user_version = 9;`);
      store = await open(dir.path);
      expect(await store.searchText({ text: 'kitchen squirrel', k: 5, filter: alice })).toEqual(before);
      await store.close();
      const check = new BetterSqlite3(join(dir.path, 'memory.db'), { readonly: true });
      expect(check.prepare("SELECT name FROM sqlite_schema WHERE name IN ('owner_terms', 'owner_words')").pluck().all()).toEqual(['owner_words']);
      check.close();

      sql("UPDATE text_owners SET docs = docs + 2 WHERE user_id = 'alice';");
      store = await open(dir.path);
      expect(await store.verifyIndexes()).toEqual([expect.stringMatching(/^the owner text postings counted 7 texts where 5 belong/)]);
      expect(await store.searchText({ text: 'kitchen squirrel', k: 5, filter: alice })).toEqual(before);
      await store.close();
    } finally {
      dir.remove();
    }
  });

  it("should count a schema-16 file's facts apart from its statements on open, scoring the statements as a file that never held the facts together", async () => {
    const dir = createTempDir();
    try {
      const store = await open(dir.path);
      const said = await store.put(['We adopted a beagle puppy', 'The beagle chewed my shoes', 'Pasta for lunch again'].map((text) => ({ text, ...alice })));
      await store.put([{ text: 'Pet: a beagle, the beagle puppy', ...alice, kind: 'semantic' as const }]);
      const scores = async (s: typeof store) => new Map((await s.searchText({ text: 'beagle puppy', k: 10, filter: alice })).map((hit) => [hit.record.id, hit.score]));
      const apart = await scores(store);
      await store.close();
      // Schema 16: one owner per user, every kind of text in its postings.
      const db = new BetterSqlite3(join(dir.path, 'memory.db'));
      db.exec(`DROP INDEX text_owners_kind; INSERT INTO owner_words (owner_words) VALUES ('delete-all'); DROP TABLE text_owners;
        CREATE TABLE text_owners (id INTEGER PRIMARY KEY, user_id TEXT NOT NULL UNIQUE, docs INTEGER NOT NULL DEFAULT 0, words INTEGER NOT NULL DEFAULT 0);
        INSERT INTO text_owners (id, user_id) VALUES (1, 'alice');`);
      const versions = db.prepare('SELECT row_id, text FROM memory_versions WHERE valid_to IS NULL').all() as Array<{ row_id: number; text: string }>;
      for (const { row_id, text } of versions) {
        const terms = lexicalTerms(text);
        const length = terms[0]?.len ?? 0;
        db.prepare('INSERT INTO owner_words (rowid, words) VALUES (?, ?)').run(postingRowid(row_id, length), terms.flatMap(({ term, tf }) => Array<string>(tf).fill(`${term}_1`)).join(' '));
        db.prepare('UPDATE text_owners SET docs = docs + 1, words = words + ? WHERE id = 1').run(length);
      }
      db.pragma('user_version = 16');
      db.close();

      const reopened = await open(dir.path);
      const upgraded = await scores(reopened);
      for (const memory of said.slice(0, 2)) expect(upgraded.get(memory.id)).toBeCloseTo(apart.get(memory.id)!, 9);
      expect(upgraded.size).toBe(apart.size);
      await reopened.close();
    } finally {
      dir.remove();
    }
  });
});

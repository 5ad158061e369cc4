import { createHash } from 'node:crypto';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { randomUnitVectors } from '@neuromem/core/testing';
import { ID_OF, SCHEMA_VERSION } from './schema';
import { MENTIONS_BEFORE_SCHEMA_15, onDiskStores, OWNER_VECTORS_BEFORE_SCHEMA_12, RECORDS_BEFORE_SCHEMA_13 } from './test-support';

/**
 * Rebuilds `edges` in write order as a rowid table between ids with its key and a to-index, with
 * `live` (or without it), and `sessions` without their numbers: a file from before schema 6.
 */
const olderEdges = (live: boolean) => `
  CREATE TABLE edges_old (from_id TEXT NOT NULL, to_id TEXT NOT NULL, type TEXT NOT NULL, weight REAL NOT NULL, label TEXT,
    created_at INTEGER NOT NULL${live ? ', live INTEGER NOT NULL DEFAULT 1' : ''}, PRIMARY KEY (from_id, to_id, type));
  INSERT INTO edges_old SELECT ${ID_OF('from_n')}, ${ID_OF('to_n')}, type, weight, label, created_at${live ? ', live' : ''} FROM edges ORDER BY seq;
  DROP TABLE edges; ALTER TABLE edges_old RENAME TO edges; CREATE INDEX edges_to ON edges (to_id);
  ${live ? 'CREATE INDEX edges_walk_out ON edges (from_id, to_id, type, weight) WHERE live = 1; CREATE INDEX edges_walk_in ON edges (to_id, from_id, type, weight) WHERE live = 1;' : ''}
  DELETE FROM meta WHERE key = 'edge_seq';
  CREATE TABLE sessions_old (node_id TEXT PRIMARY KEY, user_id TEXT, agent_id TEXT, session_id TEXT NOT NULL, created_at INTEGER NOT NULL);
  INSERT INTO sessions_old SELECT node_id, user_id, agent_id, session_id, created_at FROM sessions ORDER BY seq;
  DROP TABLE sessions; ALTER TABLE sessions_old RENAME TO sessions;`;
/** The edges of a file written before schema 3: no liveness flag. */
const EDGES_BEFORE_SCHEMA_3 = olderEdges(false);

// Files written by older schemas, made from a current file by SQL, then opened again: each upgrade
// keeps what the store answered before.
describe('createSqliteStore on files from older schemas', () => {
  const dimensions = 8;
  const stores = onDiskStores(dimensions);
  const { open, items } = stores;

  it('should tell every text of a history from the versions, and read the texts older files copied into it', async () => {
    const store = await open();
    const [memory] = await store.put(items(1, 4));
    await store.update(memory!.id, { text: 'edited', vectors: { turn: randomUnitVectors(1, dimensions, 5)[0]! } });
    await store.delete(memory!.id);
    const history = (await store.history(memory!.id)).map(({ event, version, previousText, text }) => [event, version, previousText, text]);
    expect(history).toEqual([
      ['ADD', 1, null, 'memory 4-0'],
      ['UPDATE', 2, 'memory 4-0', 'edited'],
      ['DELETE', 2, 'edited', null],
    ]);
    await store.close();
    // A file written before the log stopped copying texts: its rows read as they were written.
    const db = new BetterSqlite3(join(stores.dir.path, 'memory.db'));
    db.prepare("UPDATE history SET previous_text = 'as copied', text = 'then' WHERE event = 'UPDATE'").run();
    db.close();
    const reopened = await open();
    expect((await reopened.history(memory!.id))[1]).toMatchObject({ previousText: 'as copied', text: 'then' });
    await reopened.purge(memory!.id);
    expect((await reopened.history(memory!.id)).map((row) => [row.event, row.previousText, row.text])).toEqual([['PURGE', null, null]]);
    await reopened.close();
  });

  it.each([
    ['re-extracts untyped entity keys with the extractor it is given', true],
    ['keeps untyped entity keys without an extractor', false],
  ])('should build the lexical index when it opens a database written before it existed, and %s', async (_, withExtractor) => {
    const store = await open();
    const entities = ['name:caroline', 'name:melanie', 'name:boston'];
    const [named] = await store.put([{ text: 'Caroline met Melanie in Boston', entities, scope: { userId: 'u' }, vectors: { turn: randomUnitVectors(1, dimensions, 9)[0]! } }, ...items(3, 1)]);
    await store.close();
    // Turn the file back into a schema-1 database: no lexical index at all.
    const db = new BetterSqlite3(join(stores.dir.path, 'memory.db'));
    db.exec('DROP TABLE owner_word_postings; DROP TABLE owner_words; DROP TABLE text_owners;');
    // Before schema 3 edges had no liveness flag.
    db.exec(`${EDGES_BEFORE_SCHEMA_3} DROP TABLE owner_vectors;`);
    // Schema 1 stored untyped entity keys.
    db.exec(MENTIONS_BEFORE_SCHEMA_15);
    db.exec("UPDATE entity_mentions SET entity = replace(entity, 'name:', '')");
    db.pragma('user_version = 1');
    db.close();
    // The store runs no NLP: a caller's extractor (here: capitalized words) types the keys again.
    const names = (text: string) => (text.match(/\b[A-Z][a-z]+/g) ?? []).map((word) => `name:${word.toLowerCase()}`);
    const reopened = await open(stores.dir.path, withExtractor ? { extractEntities: names } : {});
    const hits = await reopened.searchText({ text: 'memory 1-2', k: 5, filter: { scope: { userId: 'u' } } });
    expect(hits.map((hit) => hit.record.text)).toContain('memory 1-2');
    expect(hits).toHaveLength(3);
    const found = await reopened.entities([named!.id]);
    expect(found.get(named!.id)).toEqual(withExtractor ? entities : ['caroline', 'melanie', 'boston']);
    await reopened.close();
  });

  it('should give a schema-2 database owner words in its lexical index and live flags on its edges', async () => {
    const store = await open();
    const [first, middle, last] = await store.put(items(3, 1));
    await store.put([{ text: 'memory 1-0 of another user', scope: { userId: 'v' }, vectors: { turn: randomUnitVectors(1, dimensions, 5)[0]! } }]);
    await store.delete(middle!.id);
    await store.close();
    // Turn the file back into a schema-2 database: a store-wide text-only lexical index, edges without `live`.
    const db = new BetterSqlite3(join(stores.dir.path, 'memory.db'));
    db.exec(`DROP TABLE owner_word_postings; DROP TABLE owner_words; DROP TABLE text_owners;
      CREATE VIRTUAL TABLE memory_text USING fts5(text, tokenize = 'porter unicode61 remove_diacritics 2');
      INSERT INTO memory_text (rowid, text) SELECT row_id, text FROM memory_versions WHERE valid_to IS NULL;
      ${EDGES_BEFORE_SCHEMA_3} DROP TABLE owner_vectors;`);
    db.pragma('user_version = 2');
    db.close();
    const reopened = await open();
    const hits = await reopened.searchText({ text: 'memory 1-0', k: 5, filter: { scope: { userId: 'v' } } });
    expect(hits.map((hit) => hit.record.text)).toEqual(['memory 1-0 of another user']);
    // The deleted middle turn's edges are kept but no longer walked.
    expect((await reopened.edges(middle!.id)).length).toBeGreaterThan(0);
    expect((await reopened.neighbors(first!.id, { types: ['next'], depth: 3 })).map((n) => n.id)).toEqual([]);
    expect((await reopened.neighbors(last!.id, { types: ['part_of'], depth: 2 })).map((n) => n.id)).toContain(first!.id);
    await reopened.close();
  });

  it('should drop the store-wide lexical index of a schema-6 file, finding the same memories with and without a user', async () => {
    const store = await open();
    await store.put(items(3, 1));
    const [gone] = await store.put([{ text: 'memory 9-9 to delete', scope: { userId: 'u' }, vectors: { turn: randomUnitVectors(1, dimensions, 3)[0]! } }]);
    await store.delete(gone!.id);
    const query = { text: 'memory 1-1', k: 5, filter: { scope: { userId: 'u' } } };
    const before = (await store.searchText(query)).map((hit) => [hit.record.id, hit.score]);
    await store.close();
    // Schema 6 kept a copy of each text inside a store-wide FTS5 index.
    const db = new BetterSqlite3(join(stores.dir.path, 'memory.db'));
    db.exec(`CREATE VIRTUAL TABLE memory_text USING fts5(text, owner, tokenize = 'porter unicode61 remove_diacritics 2');
      INSERT INTO memory_text (rowid, text, owner) SELECT row_id, text, 'u' || hex(user_id) FROM memory_versions WHERE valid_to IS NULL;`);
    db.pragma('user_version = 6');
    db.close();
    const reopened = await open();
    expect((await reopened.searchText(query)).map((hit) => [hit.record.id, hit.score])).toEqual(before);
    // Unscoped searches read every owner's postings.
    expect((await reopened.searchText({ text: 'delete', k: 5, filter: {} })).map((hit) => hit.record.id)).toEqual([]);
    expect((await reopened.searchText({ text: 'memory 1-2', k: 1, filter: {} }))[0]!.record.text).toBe('memory 1-2');
    await reopened.close();
    const check = new BetterSqlite3(join(stores.dir.path, 'memory.db'), { readonly: true });
    expect(check.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name LIKE 'memory_text%'").get()).toEqual({ n: 0 });
    check.close();
  });

  it('should count the current memories of a schema-8 file once, then keep the count through adds, edits, deletes, purges and reset', async () => {
    const store = await open();
    const written = await store.put(items(5, 1));
    await store.delete(written[0]!.id);
    await store.close();
    // Schema 8 kept no count: every open counted the current memories again.
    const db = new BetterSqlite3(join(stores.dir.path, 'memory.db'));
    db.exec("DROP TRIGGER memories_count_add; DROP TRIGGER memories_count_change; DROP TRIGGER memories_count_drop; DELETE FROM meta WHERE key = 'current_memories';");
    db.pragma('user_version = 8');
    db.close();

    const reopened = await open();
    const counted = () => {
      const check = new BetterSqlite3(join(stores.dir.path, 'memory.db'), { readonly: true });
      const n = (check.prepare('SELECT COUNT(*) AS n FROM memories WHERE current_row IS NOT NULL').get() as { n: number }).n;
      check.close();
      return n;
    };
    expect(await reopened.count()).toBe(4);
    const [added] = await reopened.put(items(2, 7));
    await reopened.update(written[1]!.id, { text: 'edited', vectors: { turn: randomUnitVectors(1, dimensions, 11)[0]! } });
    await reopened.delete(written[2]!.id);
    await reopened.purge(written[3]!.id);
    await reopened.purge(written[0]!.id);
    expect(await reopened.count()).toBe(counted());
    expect(await reopened.count()).toBe(4);
    await reopened.delete(added!.id);
    expect(await reopened.count()).toBe(3);
    await reopened.reset();
    expect(await reopened.count()).toBe(0);
    await reopened.put(items(1, 9));
    expect(await reopened.count()).toBe(1);
    await reopened.close();
  });

  it('should move the mentions of a schema-10 file to its FTS5 index, linking new mentions to old ones as before', async () => {
    const store = await open();
    const turns = items(6, 1).map((item, i) => ({ ...item, entities: i % 2 === 0 ? ['name:caroline', 'name:boston'] : ['name:boston'] }));
    const written = await store.put(turns);
    const entities = await store.entities(written.map((memory) => memory!.id));
    await store.close();
    // Schema 10 kept mentions under a (owner, entity, seq) key and had no FTS5 index of them.
    const db = new BetterSqlite3(join(stores.dir.path, 'memory.db'));
    db.exec(MENTIONS_BEFORE_SCHEMA_15);
    db.exec(`CREATE TABLE mentions_old (entity TEXT NOT NULL, owner_key TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (owner_key, entity, seq));
      INSERT INTO mentions_old SELECT entity, owner_key, seq FROM entity_mentions ORDER BY rowid;
      DROP TABLE entity_mentions; ALTER TABLE mentions_old RENAME TO entity_mentions; CREATE INDEX mentions_seq ON entity_mentions (seq);
      DROP TABLE mention_words;`);
    db.pragma('user_version = 10');
    db.close();

    const reopened = await open();
    expect(await reopened.entities(written.map((memory) => memory!.id))).toEqual(entities);
    const [later] = await reopened.put([{ ...turns[0]!, text: 'a later turn about Caroline', entities: ['name:caroline'] }]);
    const linked = (await reopened.edges(later!.id)).filter((edge) => edge.type === 'same_entity').map((edge) => edge.to);
    expect(linked).toEqual([written[4]!.id]);
    await reopened.close();
    const check = new BetterSqlite3(join(stores.dir.path, 'memory.db'), { readonly: true });
    const names = check.prepare("SELECT name FROM sqlite_schema WHERE tbl_name = 'entity_mentions' ORDER BY name").all() as Array<{ name: string }>;
    // Clustered by memory since schema 15: no second index.
    expect(names.map((row) => row.name)).toEqual(['entity_mentions']);
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    check.close();
  });

  it('should move the owner rows of a schema-11 file into a segment per owner and scale, searching as before', async () => {
    const store = await open(undefined, { vectorPrecision: 'int8' });
    const vectors = randomUnitVectors(40, dimensions, 21);
    const users = ['ann', 'bob', 'cy'];
    // Users' turns interleaved, as a chat service writes them, with session vectors and an agent.
    const written = await store.put(
      vectors.slice(0, 30).map((vector, i) => ({
        text: `turn ${i}`,
        scope: { userId: users[i % 3]!, sessionId: `s${i % 3}`, ...(i % 5 === 0 ? { agentId: 'helper' } : {}) },
        vectors: { turn: vector },
        sessionVector: vector,
      })),
    );
    const search = async (s: typeof store, userId: string, agentId?: string) =>
      (await s.searchVectors({ scale: 'turn', vector: vectors[35]!, k: 8, filter: { scope: { userId, ...(agentId ? { agentId } : {}) } } })).map((hit) => [hit.record.id, hit.similarity]);
    const before = await Promise.all([...users.map((user) => search(store, user)), search(store, 'ann', 'helper')]);
    const read = await store.vectors(
      written.map((memory) => memory!.id),
      'turn',
    );
    await store.close();
    const db = new BetterSqlite3(join(stores.dir.path, 'memory.db'));
    db.exec(OWNER_VECTORS_BEFORE_SCHEMA_12);
    db.pragma('user_version = 11');
    const rows = (db.prepare('SELECT COUNT(*) AS n FROM owner_vectors').get() as { n: number }).n;
    db.close();

    const reopened = await open(undefined, { vectorPrecision: 'int8' });
    expect(await Promise.all([...users.map((user) => search(reopened, user)), search(reopened, 'ann', 'helper')])).toEqual(before);
    expect(
      await reopened.vectors(
        written.map((memory) => memory!.id),
        'turn',
      ),
    ).toEqual(read);
    expect(await reopened.verifyIndexes()).toEqual([]);
    const [later] = await reopened.put([{ text: 'a later turn', scope: { userId: 'bob', sessionId: 's1' }, vectors: { turn: vectors[35]! } }]);
    expect((await search(reopened, 'bob'))[0]).toEqual([later!.id, expect.closeTo(1, 4)]);
    await reopened.close();
    const check = new BetterSqlite3(join(stores.dir.path, 'memory.db'), { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    // Every row is in its owner's segment: one range of slots per (user, scale, agent), in key order.
    const segments = check
      .prepare(
        'SELECT s.user_id AS user, s.scale, s.agent_id AS agent, COUNT(*) AS n, min(ov.key) < max(ov.key) OR COUNT(*) = 1 AS ordered FROM owner_vectors ov JOIN owner_segments s ON s.id = ov.slot >> 32 GROUP BY s.id',
      )
      .all() as Array<{ user: string; scale: string; agent: string; n: number }>;
    check.close();
    expect(segments.reduce((sum, segment) => sum + segment.n, 0)).toBe(rows + 1);
    expect(new Set(segments.map((segment) => `${segment.user}/${segment.scale}/${segment.agent}`)).size).toBe(segments.length);
    expect(segments.filter((segment) => segment.agent === 'helper').map((segment) => segment.user)).toEqual(expect.arrayContaining(['ann', 'bob', 'cy']));
  });

  it('should slim the records of a schema-12 file, reading every memory, version, history and session as before', async () => {
    const store = await open();
    const vectors = randomUnitVectors(12, dimensions, 31);
    const written = await store.put(
      vectors.slice(0, 8).map((vector, i) => ({
        text: `turn ${i} about Lisbon`,
        scope: { userId: i % 2 === 0 ? 'ann' : 'bob', sessionId: `s${i % 3}`, ...(i === 5 ? { agentId: 'helper' } : {}) },
        entities: ['name:lisbon'],
        source: { type: 'import', ref: `D${i}` },
        metadata: { n: i },
        vectors: { turn: vector },
      })),
    );
    const [first, second, third, , fifth, , , last] = written;
    await store.update(first!.id, { text: 'turn 0, edited', vectors: { turn: vectors[8]! } });
    await store.delete(second!.id);
    await store.purge(last!.id);
    const ids = written.map((memory) => memory!.id);
    const snapshot = async (s: typeof store) => ({
      records: await Promise.all(ids.map((id) => s.get(id))),
      firstVersion: await s.get(first!.id, { asOf: written[0]!.validFrom }),
      histories: await Promise.all(ids.map((id) => s.history(id))),
      lists: await Promise.all(['ann', 'bob'].map((userId) => s.list({ scope: { userId } }))),
      session: await s.list({ scope: { userId: 'ann', sessionId: 's0' } }),
      text: await s.searchText({ text: 'Lisbon', k: 10, filter: { scope: { userId: 'bob' } } }),
      everyone: await s.searchText({ text: 'Lisbon turn 4', k: 10, filter: {} }),
      edges: await Promise.all([third, fifth].map((memory) => s.edges(memory!.id))),
      prefix: await s.idsStartingWith(fifth!.id.slice(0, 30), { scope: { userId: 'ann' } }),
      entities: await s.entities(ids),
      count: await s.count(),
    });
    const before = await snapshot(store);
    await store.close();
    const db = new BetterSqlite3(join(stores.dir.path, 'memory.db'));
    db.exec(MENTIONS_BEFORE_SCHEMA_15);
    db.exec(RECORDS_BEFORE_SCHEMA_13);
    db.pragma('user_version = 12');
    db.close();

    const reopened = await open();
    expect(await snapshot(reopened)).toEqual(before);
    // New writes continue the old numbering: the next turn of a session follows its last one, a new
    // memory takes a number past the purged one, and log events come after the old ones.
    const [later] = await reopened.put([{ text: 'a later turn', scope: { userId: 'ann', sessionId: 's0' }, vectors: { turn: vectors[9]! } }]);
    expect((await reopened.edges(later!.id)).filter((edge) => edge.type === 'next').map((edge) => edge.from)).toEqual([before.session.at(-1)!.id]);
    // ... and an entity it names links to the owner's latest memory that names it (bob's turn 5 has
    // an agent too, so another owner; turn 7 was purged).
    const [named] = await reopened.put([{ text: 'Lisbon again', scope: { userId: 'bob', sessionId: 's1' }, entities: ['name:lisbon'], vectors: { turn: vectors[10]! } }]);
    expect((await reopened.edges(named!.id)).filter((edge) => edge.type === 'same_entity').map((edge) => edge.to)).toEqual([written[3]!.id]);
    await reopened.update(third!.id, { importance: 0.9 });
    const history = await reopened.history(third!.id);
    expect(history.map((entry) => entry.event)).toEqual(['ADD', 'UPDATE']);
    expect(history[1]!.seq).toBeGreaterThan(Math.max(...before.histories.flat().map((entry) => entry.seq)));
    expect(history[1]!.text).toBe(before.records[2]!.text);
    expect((await reopened.get(later!.id))!.hash).toBe(createHash('sha256').update('a later turn').digest('hex'));
    await reopened.close();
    const check = new BetterSqlite3(join(stores.dir.path, 'memory.db'), { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const seqs = check.prepare('SELECT m.seq, m.id FROM memories m ORDER BY m.seq').all() as Array<{ seq: number; id: string }>;
    expect(seqs.at(-2)).toEqual({ seq: 9, id: later!.id });
    expect(check.prepare('SELECT typeof(hash) AS type FROM memory_versions LIMIT 1').get()).toEqual({ type: 'blob' });
    expect(check.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name LIKE 'memory_text%'").get()).toEqual({ n: 0 });
    // Versions are indexed by owner only (schema 16).
    expect(check.prepare("SELECT name FROM sqlite_schema WHERE tbl_name IN ('memories', 'memory_versions') AND type = 'index' ORDER BY name").pluck().all()).toEqual([
      'memories_session',
      'sqlite_autoindex_memories_1',
      'sqlite_autoindex_memory_versions_1',
      'versions_by_agent',
      'versions_by_user',
    ]);
    // Each ADD event is kept in its memory's row, not in the log.
    expect(check.prepare("SELECT count(*) AS n FROM history WHERE event = 'ADD'").get()).toEqual({ n: 0 });
    check.close();
  });

  it("should move the ADD events of a schema-14 file into their memories' rows, keeping one that copied its text in the log", async () => {
    const store = await open();
    const [first, second, third] = await store.put(items(3, 1));
    await store.update(second!.id, { text: 'memory 1-1, edited', vectors: { turn: randomUnitVectors(1, dimensions, 4)[0]! } });
    await store.purge(third!.id);
    const histories = async (s: typeof store) => Promise.all([first, second, third].map((memory) => s.history(memory!.id)));
    const before = await histories(store);
    const events = (await store.stats()).historyEvents;
    await store.close();
    // Schema 14 logged every ADD as a row; schema 5 and before copied texts into some.
    const db = new BetterSqlite3(join(stores.dir.path, 'memory.db'));
    db.exec(`INSERT INTO history (memory_id, seq, event, version, at) SELECT id, added, 'ADD', 1, created_at FROM memories;
      ALTER TABLE memories DROP COLUMN added;`);
    db.prepare("UPDATE history SET text = 'memory 1-0' WHERE memory_id = ? AND event = 'ADD'").run(first!.id);
    db.pragma('user_version = 14');
    db.close();

    const reopened = await open();
    expect(await histories(reopened)).toEqual(before);
    expect((await reopened.stats()).historyEvents).toBe(events);
    const [later] = await reopened.put(items(1, 2));
    expect((await reopened.history(later!.id)).map((entry) => [entry.event, entry.text])).toEqual([['ADD', 'memory 2-0']]);
    await reopened.close();
    const check = new BetterSqlite3(join(stores.dir.path, 'memory.db'), { readonly: true });
    expect(check.prepare("SELECT memory_id FROM history WHERE event = 'ADD'").pluck().all()).toEqual([first!.id]);
    check.close();
  });

  it('should fold a schema-5 edges table into one clustered by key, keeping every edge and its write order (and mentions by id into mentions by seq)', async () => {
    const store = await open();
    const turns = items(6, 1).map((item, i) => ({ ...item, scope: { userId: 'u', sessionId: 's' }, entities: i % 2 === 0 ? ['name:caroline'] : ['name:boston'] }));
    const written = await store.put(turns);
    const [first, second] = written;
    await store.delete(second!.id);
    const before = {
      edges: await Promise.all(written.map((memory) => store.edges(memory!.id))),
      neighbors: await Promise.all([first, ...written.slice(2)].map((memory) => store.neighbors(memory!.id, { depth: 2 }))),
      entities: await store.entities(written.map((memory) => memory!.id)),
    };
    await store.close();
    const db = new BetterSqlite3(join(stores.dir.path, 'memory.db'));
    db.exec(olderEdges(true));
    db.exec(MENTIONS_BEFORE_SCHEMA_15);
    // Before schema 7 a mention named its memory by id as well.
    db.exec(`CREATE TABLE mentions_old (entity TEXT NOT NULL, owner_key TEXT NOT NULL, memory_id TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (owner_key, entity, seq));
      INSERT INTO mentions_old SELECT em.entity, em.owner_key, m.id, em.seq FROM entity_mentions em JOIN memories m ON m.seq = em.seq ORDER BY em.rowid;
      DROP TABLE entity_mentions; ALTER TABLE mentions_old RENAME TO entity_mentions; CREATE INDEX mentions_memory ON entity_mentions (memory_id);`);
    db.pragma('user_version = 5');
    db.close();

    const reopened = await open();
    expect(await Promise.all(written.map((memory) => reopened.edges(memory!.id)))).toEqual(before.edges);
    expect(await Promise.all([first, ...written.slice(2)].map((memory) => reopened.neighbors(memory!.id, { depth: 2 })))).toEqual(before.neighbors);
    expect(await reopened.entities(written.map((memory) => memory!.id))).toEqual(before.entities);
    // Edges written after the migration come after the old ones in a node's order.
    const [later] = await reopened.put([{ ...turns[0]!, text: 'a later turn about Caroline' }]);
    const sessionNode = (await reopened.neighbors(first!.id, { types: ['part_of'] }))[0]!.id;
    expect((await reopened.neighbors(sessionNode, { types: ['part_of'] })).map((n) => n.id).at(-1)).toBe(later!.id);
    await reopened.close();
    const check = new BetterSqlite3(join(stores.dir.path, 'memory.db'), { readonly: true });
    const names = check.prepare("SELECT name FROM sqlite_schema WHERE tbl_name = 'edges' ORDER BY name").all() as Array<{ name: string }>;
    expect(names.map((row) => row.name)).toEqual(['edges', 'edges_in']);
    check.close();
  });
});

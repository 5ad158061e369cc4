import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { createManualClock, ENTITY_LINKS_PER_MENTION, type MemoryStore } from '@neuromem/core';
import { createSqliteStore } from './create-sqlite-store';
import { mentionWord } from './entity-mention-index';
import { onDiskStores } from './test-support';

const open = () => createSqliteStore({ vectorScales: {}, clock: createManualClock(Date.UTC(2024, 0, 1), { tick: 1 }) });
const turn = (text: string, userId: string, entities: string[]) => ({ text, scope: { userId, sessionId: `${userId}-s` }, entities });

/** The memories a memory's `same_entity` links point to. */
async function sameEntityTargets(store: MemoryStore, id: string): Promise<string[]> {
  return (await store.edges(id)).filter((edge) => edge.type === 'same_entity' && edge.from === id).map((edge) => edge.to);
}

describe('entity mentions', () => {
  it("should link a new mention to the owner's latest earlier memory that names the entity, and never to another owner's", async () => {
    expect(ENTITY_LINKS_PER_MENTION).toBe(1);
    const store = await open();
    const [a1, a2, a3] = await store.put([turn('Caroline called', 'alice', ['name:caroline']), turn('Boston trip', 'alice', ['name:boston']), turn('Caroline again', 'alice', ['name:caroline'])]);
    const [b1] = await store.put([turn('My Caroline', 'bob', ['name:caroline'])]);
    const [a4] = await store.put([turn('Caroline in Boston', 'alice', ['name:caroline', 'name:boston', 'name:caroline'])]);
    const [b2] = await store.put([turn('Caroline once more', 'bob', ['name:caroline'])]);

    expect(await sameEntityTargets(store, a3!.id)).toEqual([a1!.id]);
    expect((await sameEntityTargets(store, a4!.id)).sort()).toEqual([a3!.id, a2!.id].sort());
    expect(await sameEntityTargets(store, b2!.id)).toEqual([b1!.id]);
    // A repeated entity is one mention.
    expect((await store.entities([a4!.id])).get(a4!.id)).toEqual(['name:caroline', 'name:boston']);
    await store.close();
  });

  it('should pass over deleted memories and forget the mentions of edited and purged ones', async () => {
    const store = await open();
    const [first, second] = await store.put([turn('Rex barked', 'u', ['name:rex']), turn('Rex slept', 'u', ['name:rex'])]);
    await store.delete(second!.id);
    const [third] = await store.put([turn('Rex ate', 'u', ['name:rex'])]);
    expect(await sameEntityTargets(store, third!.id)).toEqual([first!.id]);

    // Edited to another text without entities: it no longer mentions Rex.
    await store.update(third!.id, { text: 'the dog ate', entities: [] });
    expect((await store.entities([third!.id])).get(third!.id)).toEqual([]);
    const [fourth] = await store.put([turn('Rex ran', 'u', ['name:rex'])]);
    expect(await sameEntityTargets(store, fourth!.id)).toEqual([first!.id]);

    await store.purge(fourth!.id);
    await store.purge(first!.id);
    const [fifth] = await store.put([turn('Rex again', 'u', ['name:rex'])]);
    expect(await sameEntityTargets(store, fifth!.id)).toEqual([]);
    await store.close();
  });

  it('should keep linking to the newest mention when an older memory is edited to name the entity', async () => {
    const store = await open();
    const [older, newer] = await store.put([turn('a quiet day', 'u', []), turn('Rex barked', 'u', ['name:rex'])]);
    await store.update(older!.id, { text: 'Rex was quiet', entities: ['name:rex'] });
    expect(await sameEntityTargets(store, older!.id)).toEqual([]);
    const [latest] = await store.put([turn('Rex ate', 'u', ['name:rex'])]);
    expect(await sameEntityTargets(store, latest!.id)).toEqual([newer!.id]);
    await store.delete(latest!.id);
    await store.delete(newer!.id);
    const [last] = await store.put([turn('Rex slept', 'u', ['name:rex'])]);
    expect(await sameEntityTargets(store, last!.id)).toEqual([older!.id]);
    await store.close();
  });

  describe('on disk', () => {
    const stores = onDiskStores(4);

    it('should link only when the mention itself says the same owner and entity, whatever the hashed word says', async () => {
      const store = await stores.open();
      const [older] = await store.put([turn('Zed phoned', 'u', ['name:zed'])]);
      await store.close();
      // Two entities whose words collide: the index holds Zed's word for a memory that names Yann.
      const db = new BetterSqlite3(join(stores.dir.path, 'memory.db'));
      db.prepare("UPDATE entity_mentions SET entity = 'name:yann'").run();
      db.close();

      const reopened = await stores.open();
      const [newer] = await reopened.put([turn('Zed again', 'u', ['name:zed'])]);
      expect(await sameEntityTargets(reopened, newer!.id)).toEqual([]);
      const [yann] = await reopened.put([turn('Yann here', 'u', ['name:yann'])]);
      expect(await sameEntityTargets(reopened, yann!.id)).toEqual([]);
      expect((await reopened.entities([older!.id])).get(older!.id)).toEqual(['name:yann']);
      await reopened.close();
    });

    it('should rebuild a damaged mention index on verifyIndexes, and link as before', async () => {
      const store = await stores.open();
      const [first] = await store.put([turn('Ada wrote', 'u', ['name:ada']), turn('Bo read', 'u', ['name:bo'])]);
      await store.close();
      const db = new BetterSqlite3(join(stores.dir.path, 'memory.db'));
      db.prepare("INSERT INTO mention_words (mention_words) VALUES ('delete-all')").run();
      db.close();

      const reopened = await stores.open();
      expect(await reopened.verifyIndexes()).toEqual([expect.stringMatching(/^the entity mention index held 0 memories where 2 belong/)]);
      const [later] = await reopened.put([turn('Ada again', 'u', ['name:ada'])]);
      expect(await sameEntityTargets(reopened, later!.id)).toEqual([first!.id]);
      expect(await reopened.verifyIndexes()).toEqual([]);
      await reopened.close();
    });
  });
});

describe('mentionWord', () => {
  it('should give one lower-case token per owner and entity', () => {
    const word = mentionWord('["alice",null]', 'name:caroline');
    expect(word).toMatch(/^e[0-9a-f]{16}$/);
    expect(mentionWord('["alice",null]', 'name:caroline')).toBe(word);
    expect(mentionWord('["bob",null]', 'name:caroline')).not.toBe(word);
    expect(mentionWord('["alice",null]', 'name:carolina')).not.toBe(word);
  });
});

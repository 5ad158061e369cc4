import { createTempDir } from '@neuromem/core/testing';
import { createMemory } from './create-memory';

const FACTS = [
  'I adopted a beagle named Biscuit last spring',
  'My sister Ana lives in Porto and teaches chemistry',
  'I work night shifts as a nurse at the children’s hospital',
  'We are planning a trip to Kyoto in April',
];

describe('memory.prefetch()', () => {
  let dir: ReturnType<typeof createTempDir>;
  beforeEach(() => {
    dir = createTempDir();
  });
  afterEach(() => dir.remove());

  async function storeFacts(): Promise<void> {
    const memory = await createMemory({ path: dir.path });
    for (const fact of FACTS) await memory.add(fact, { userId: 'alice' });
    await memory.add('Bob keeps bees on his roof', { userId: 'bob' });
    await memory.close();
  }

  /** What a first search after a restart returns, with or without a prefetch before it. */
  async function firstSearch(prefetch: boolean) {
    const memory = await createMemory({ path: dir.path });
    try {
      const prefetched = prefetch ? await memory.prefetch({ userId: 'alice' }) : undefined;
      const { results } = await memory.search('what kind of dog do I have?', { userId: 'alice' });
      const accesses = await Promise.all(results.map(async (result) => (await memory.store.get(result.id))!.accessCount));
      return { prefetched, results: results.map((result) => [result.id, result.score]), accesses };
    } finally {
      await memory.close();
    }
  }

  it('should read the owner’s memories and change nothing a search returns or counts', async () => {
    await storeFacts();
    const cold = await firstSearch(false);
    const warmed = await firstSearch(true);
    expect(warmed.prefetched!.prefetched).toBeGreaterThan(0);
    expect(cold.results.length).toBeGreaterThan(0);
    expect(warmed.results).toEqual(cold.results);
    // The prefetch's own search counted no access: each result was counted by one search per run.
    expect(warmed.accesses).toEqual(cold.accesses.map((count) => count + 1));
  });

  it('should read only the owner’s memories, after a search as before one, and none for an owner without any', async () => {
    await storeFacts();
    const memory = await createMemory({ path: dir.path });
    try {
      await memory.search('where does my sister live?', { userId: 'alice' });
      expect((await memory.prefetch({ userId: 'alice' })).prefetched).toBeGreaterThan(0);
      expect(await memory.prefetch({ userId: 'carol' })).toEqual({ prefetched: 0 });
      // Bob's one memory is all a prefetch of Bob's reads, however many Alice has.
      expect(await memory.prefetch({ userId: 'bob' })).toEqual({ prefetched: 1 });
    } finally {
      await memory.close();
    }
  });

  it('should refuse a call without an owner or with a malformed one, and a closed memory', async () => {
    const memory = await createMemory({});
    await expect(memory.prefetch({})).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(memory.prefetch({ userId: 42 as unknown as string })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(memory.prefetch(undefined as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await memory.close();
    await expect(memory.prefetch({ userId: 'alice' })).rejects.toMatchObject({ code: 'CLOSED' });
  });
});

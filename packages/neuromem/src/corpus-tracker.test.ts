import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTempDir } from '@neuromem/core/testing';
import { createMemory } from './create-memory';

describe('corpus statistics of the default encoder', () => {
  let dir: ReturnType<typeof createTempDir>;
  beforeEach(() => {
    dir = createTempDir();
  });
  afterEach(() => dir.remove());

  const texts = ['we talked about the weather today', 'the weather was nice today', 'my sister adopted a beagle today'];
  type Snapshot = { memories: number; documents: number; df: Record<string, number> };
  const snapshot = () => JSON.parse(readFileSync(join(dir.path, 'corpus-stats.json'), 'utf8')) as Snapshot;

  it('should count what is added, save it on close and reload it', async () => {
    const memory = await createMemory({ path: dir.path });
    for (const text of texts) await memory.add(text, { userId: 'alice' });
    await memory.close();
    expect(snapshot()).toMatchObject({ memories: 3, documents: 3, df: { weather: 2, today: 3, beagl: 1 } });
    const again = await createMemory({ path: dir.path });
    await again.add('a beagle again', { userId: 'alice' });
    await again.close();
    expect(snapshot()).toMatchObject({ memories: 4, documents: 4, df: { beagl: 2 } });
  });

  it('should keep the counts of the current texts through update and delete, as a recount finds them', async () => {
    const memory = await createMemory({ path: dir.path });
    const ids = [];
    for (const text of texts) ids.push((await memory.add(text, { userId: 'alice' })).results[0]!.id);
    await memory.update(ids[0]!, 'a pelican by the lake', { userId: 'alice' });
    await memory.delete(ids[2]!, { userId: 'alice' });
    await memory.close();
    const kept = snapshot();
    expect(kept).toMatchObject({ memories: 2, documents: 2, df: { weather: 1, today: 1, pelican: 1 } });
    expect(kept.df.beagl).toBeUndefined();
    rmSync(join(dir.path, 'corpus-stats.json'));
    await (await createMemory({ path: dir.path })).close();
    expect(snapshot()).toEqual(kept);
  });

  it('should recount from the stored texts when the snapshot is missing or stale', async () => {
    const memory = await createMemory({ path: dir.path });
    for (const text of texts) await memory.add(text, { userId: 'alice' });
    await memory.close();
    const counted = snapshot();
    rmSync(join(dir.path, 'corpus-stats.json'));
    await (await createMemory({ path: dir.path })).close();
    expect(snapshot()).toEqual(counted);
    writeFileSync(join(dir.path, 'corpus-stats.json'), JSON.stringify({ ...counted, memories: 99, df: { weather: 50 } }));
    await (await createMemory({ path: dir.path })).close();
    expect(snapshot()).toEqual(counted);
  });

  it.each([
    ['a non-numeric df count', (c: Snapshot) => JSON.stringify({ ...c, df: { ...c.df, weather: 'many' } })],
    ['a negative document count', (c: Snapshot) => JSON.stringify({ ...c, documents: -5 })],
    ['an infinite document count', (c: Snapshot) => JSON.stringify({ ...c, documents: 1 }).replace('"documents":1', '"documents":1e400')],
    ['a df of null', (c: Snapshot) => JSON.stringify({ ...c, df: null })],
    ['a df count above the documents', (c: Snapshot) => JSON.stringify({ ...c, df: { ...c.df, today: c.documents + 1 } })],
    ['a memory count given as text', (c: Snapshot) => JSON.stringify({ ...c, memories: String(c.memories) })],
    ['truncated JSON', (c: Snapshot) => JSON.stringify(c).slice(0, 20)],
    ['a JSON array', () => '[1, 2, 3]'],
  ])('should recount from the store, and keep searching, when the snapshot has %s', async (_label, corrupt) => {
    const memory = await createMemory({ path: dir.path });
    for (const text of texts) await memory.add(text, { userId: 'alice' });
    await memory.close();
    const counted = snapshot();
    writeFileSync(join(dir.path, 'corpus-stats.json'), corrupt(counted));
    const again = await createMemory({ path: dir.path });
    const { results } = await again.search('weather beagle today', { userId: 'alice' });
    expect(results[0]!.memory).toBe('my sister adopted a beagle today');
    expect(results.every((result) => Number.isFinite(result.score))).toBe(true);
    await again.close();
    expect(snapshot()).toEqual(counted);
  });

  it('should recount after reset even when the snapshot vouched for the store on open', async () => {
    await (await createMemory({ path: dir.path })).close();
    const memory = await createMemory({ path: dir.path });
    for (const text of texts) await memory.add(text, { userId: 'alice' });
    await memory.reset();
    await memory.close();
    expect(snapshot()).toEqual({ memories: 0, documents: 0, df: {} });
  });

  it('should rank the memory with the rare query word first', async () => {
    const memory = await createMemory({ path: dir.path });
    for (const text of texts) await memory.add(text, { userId: 'alice' });
    const { results } = await memory.search('weather beagle today', { userId: 'alice' });
    expect(results[0]!.memory).toBe('my sister adopted a beagle today');
    await memory.close();
    expect(existsSync(join(dir.path, 'corpus-stats.json'))).toBe(true);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTempDir } from '@neuromem/core/testing';
import { createMemory } from './create-memory';
import type { PortableMemory } from './portable-memories';

const MAY_8 = Date.UTC(2023, 4, 8, 13, 56);

describe('memory.export() and memory.import()', () => {
  let dir: ReturnType<typeof createTempDir>;
  beforeEach(() => {
    dir = createTempDir();
  });
  afterEach(() => dir.remove());

  async function exported(): Promise<PortableMemory[]> {
    const source = await createMemory();
    await source.add('Yesterday I met Caroline in Paris', { userId: 'alice', runId: 'trip', timestamp: MAY_8 });
    await source.add('So we took the night train to Lyon', { userId: 'alice', runId: 'trip', timestamp: MAY_8 + 1000 });
    await source.add('Bob keeps bees', { userId: 'bob', timestamp: MAY_8 });
    const items: PortableMemory[] = [];
    for await (const item of source.export({ userId: 'alice' })) items.push(item);
    await source.close();
    return items;
  }

  it("should export one owner's memories and import them linked, counted and searchable as adds are", async () => {
    const items = await exported();
    expect(items.map((item) => item.text)).toEqual(['Yesterday I met Caroline in Paris', 'So we took the night train to Lyon']);
    const target = await createMemory({ path: dir.path });
    const progress: number[] = [];
    expect(await target.import(items, { onProgress: ({ done }) => progress.push(done) })).toEqual({ imported: 2, skipped: 0 });
    expect(progress.at(-1)).toBe(2);
    // Entities are extracted as on add, with relative dates against when the memory happened.
    const [met] = items;
    expect((await target.store.entities([met!.id])).get(met!.id)).toEqual(expect.arrayContaining(['name:caroline', 'date:2023-05-07']));
    expect((await target.search('who did I meet in Paris?', { userId: 'alice' })).results[0]!.id).toBe(met!.id);
    expect(await target.stats()).toMatchObject({ memories: 2 });
    // Importing again finishes an interrupted import instead of duplicating it.
    expect(await target.import(items.map((item) => JSON.stringify(item)).join('\n'))).toEqual({ imported: 0, skipped: 2 });
    await target.close();
    // The word statistics counted the imported texts.
    expect(JSON.parse(readFileSync(join(dir.path, 'corpus-stats.json'), 'utf8'))).toMatchObject({ memories: 2, documents: 2 });
  });

  it('should refuse a bad item, naming its line, and write nothing', async () => {
    const items = await exported();
    const target = await createMemory();
    await expect(target.import([...items, { ...items[0]!, id: 'fresh-id', text: '' }])).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { field: 'line 3: text' } });
    await expect(target.import('{"text": "ok", "userId": "u"}\nnot json')).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { line: 2 } });
    await expect(target.import(42 as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(target.import([null] as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(await target.stats()).toMatchObject({ memories: 0 });
    await target.close();
  });
});

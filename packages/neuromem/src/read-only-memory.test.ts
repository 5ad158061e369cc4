import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createTempDir } from '@neuromem/core/testing';
import { createMemory } from './create-memory';

describe('createMemory({ readOnly: true })', () => {
  let dir: ReturnType<typeof createTempDir>;
  beforeEach(() => {
    dir = createTempDir();
  });
  afterEach(() => dir.remove());

  /** The files of the memory (SQLite's shared-memory files aside, which a reader needs) with size and time. */
  const files = () =>
    Object.fromEntries(
      readdirSync(dir.path)
        .filter((name) => !/-(wal|shm)$/.test(name))
        .map((name) => [name, `${statSync(join(dir.path, name)).size}@${statSync(join(dir.path, name)).mtimeMs}`]),
    );

  it('should read beside the memory that holds the directory, see its new memories, and write nothing', async () => {
    const writer = await createMemory({ path: dir.path });
    const [added] = (await writer.add('Jonas finished the Bristol half marathon in 1:47:32', { userId: 'alice' })).results;
    const reader = await createMemory({ path: dir.path, readOnly: true });
    try {
      expect((await reader.search('half marathon time', { userId: 'alice' })).results[0]).toMatchObject({ id: added!.id });
      await writer.add('Ana ran the Porto marathon in 3:58', { userId: 'alice' });
      // The writer indexes its adds when it idles or reads; another process sees them from then on.
      await writer.getAll({ userId: 'alice' });
      // From here on only the reader works.
      const before = files();
      expect(await reader.get(added!.id, { userId: 'alice' })).toMatchObject({ memory: 'Jonas finished the Bristol half marathon in 1:47:32' });
      expect((await reader.search('Porto marathon', { userId: 'alice' })).results[0]!.memory).toBe('Ana ran the Porto marathon in 3:58');
      // A search by a read-only memory is not an access.
      expect((await writer.store.get(added!.id))!.accessCount).toBe(0);
      await expect(reader.add('more', { userId: 'alice' })).rejects.toMatchObject({ code: 'UNSUPPORTED', details: { readOnly: true } });
      await expect(reader.delete(added!.id, { userId: 'alice' })).rejects.toMatchObject({ code: 'UNSUPPORTED' });
      await reader.close();
      expect(files()).toEqual(before);
    } finally {
      await reader.close();
      await writer.close();
    }
  });

  it('should want a path that holds a memory', async () => {
    await expect(createMemory({ readOnly: true })).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { field: 'readOnly' } });
    await expect(createMemory({ path: join(dir.path, 'none'), readOnly: true })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(readdirSync(dir.path)).toEqual([]);
  });
});

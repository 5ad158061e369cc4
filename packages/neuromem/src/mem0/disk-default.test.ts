import os from 'node:os';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTempDir } from '@neuromem/core/testing';
import { createMemory } from '../create-memory';
import { Memory } from './index';

describe('neuromem/mem0 on disk', () => {
  const home = createTempDir('neuromem-mem0-home-');
  // `new Memory()` keeps its memories under the user's home directory: here, a temporary one.
  beforeAll(() => jest.spyOn(os, 'homedir').mockReturnValue(home.path));
  afterAll(() => {
    jest.restoreAllMocks();
    home.remove();
  });

  it('should keep memories on disk by default, shared by the instances of a process, until the last one closes', async () => {
    const first = new Memory();
    const second = new Memory({ vectorStore: { provider: 'memory', config: { collectionName: 'memories' } } });
    await first.add('I adopted a beagle named Biscuit', { userId: 'ana' });
    expect((await second.getAll({ filters: { user_id: 'ana' } })).results.map((r) => r.memory)).toEqual(['I adopted a beagle named Biscuit']);
    const directory = join(home.path, '.neuromem', 'mem0', 'memories');
    expect(existsSync(join(directory, 'memory.db'))).toBe(true);
    await first.close();
    expect((await second.getAll({ filters: { user_id: 'ana' } })).results).toHaveLength(1);
    await second.close();
    // Closed by the last instance: the directory opens again, with what was written.
    const reopened = await createMemory({ path: directory });
    expect((await reopened.getAll({ userId: 'ana' })).results).toHaveLength(1);
    await reopened.close();
  });

  it('should keep each collection in its own directory, and dbPath where it says', async () => {
    const support = new Memory({ vectorStore: { provider: 'memory', config: { collectionName: 'support' } } });
    await support.add('My order 1042 arrived broken', { userId: 'ana' });
    const other = new Memory({ vectorStore: { provider: 'memory', config: { collectionName: 'sales' } } });
    expect((await other.getAll({ filters: { user_id: 'ana' } })).results).toEqual([]);
    const chosen = join(home.path, 'chosen');
    const placed = new Memory({ vectorStore: { provider: 'memory', config: { dbPath: chosen } } });
    await placed.add('I prefer email', { userId: 'ana' });
    expect(existsSync(join(chosen, 'memory.db'))).toBe(true);
    await Promise.all([support.close(), other.close(), placed.close()]);
  });

  it("should refuse a dbPath that is a file, such as Mem0's own database, on first use", async () => {
    const file = join(home.path, 'vector_store.db');
    writeFileSync(file, 'SQLite format 3\u0000');
    const memory = new Memory({ vectorStore: { provider: 'memory', config: { dbPath: file } } });
    await expect(memory.getAll({ filters: { user_id: 'ana' } })).rejects.toThrow(/is a file \(Mem0's own SQLite database\?\).*vector_store\.db\.neuromem/);
    await memory.close();
  });
});

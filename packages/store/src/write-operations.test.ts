import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { onDiskStores } from './test-support';

/** Every edge's write number, and the counter `meta` keeps for the next one. */
function edgeNumbers(path: string): { seqs: number[]; counter: number } {
  const db = new BetterSqlite3(join(path, 'memory.db'), { readonly: true });
  const seqs = (db.prepare('SELECT seq FROM edges ORDER BY seq').all() as Array<{ seq: number }>).map((row) => row.seq);
  const counter = Number((db.prepare("SELECT value FROM meta WHERE key = 'edge_seq'").get() as { value: string }).value);
  db.close();
  return { seqs, counter };
}

describe('edge write numbers', () => {
  const stores = onDiskStores(8);
  const { open, items } = stores;

  it('should number edges 1, 2, 3... across transactions and keep the counter at the last one', async () => {
    const store = await open();
    const [first, second] = await store.put(items(3, 1));
    await store.put(items(2, 2));
    await store.link([{ from: first!.id, to: second!.id, type: 'causes', weight: 1, label: null }]);
    await store.close();
    const { seqs, counter } = edgeNumbers(stores.dir.path);
    expect(seqs.length).toBeGreaterThan(5);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(counter).toBe(seqs.length);
  });

  it('should forget the numbers of a write that rolled back, so the next write neither skips nor repeats one', async () => {
    const store = await open();
    const [kept] = await store.put(items(2, 1));
    const before = edgeNumbers(stores.dir.path).counter;
    // The second item repeats an id: the whole batch, edges included, rolls back.
    await expect(store.put([{ ...items(1, 5)[0]! }, { ...items(1, 6)[0]!, id: kept!.id }])).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(edgeNumbers(stores.dir.path).counter).toBe(before);
    await store.put(items(2, 7));
    await store.close();
    const { seqs, counter } = edgeNumbers(stores.dir.path);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(counter).toBe(seqs.length);
  });
});

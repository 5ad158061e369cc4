import { join } from 'node:path';
import { createTempDir } from '@neuromem/core/testing';
import { createMemory } from './create-memory';
import { ACCESS_WRITE_SLICE, createPendingAccesses } from './pending-accesses';

/** A store that records every access write, and can be told to fail them. */
function accessLog() {
  const writes: string[][] = [];
  let failing = false;
  return {
    writes,
    fail: () => (failing = true),
    store: {
      async recordAccess(ids: readonly string[]) {
        if (failing) throw new Error('disk full');
        writes.push([...ids]);
      },
    },
  };
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('createPendingAccesses', () => {
  it('should hold counts until flushed, then write them in one call, in order, duplicates kept', async () => {
    const log = accessLog();
    const pending = createPendingAccesses(log.store, 60_000);
    pending.record(['a', 'b']);
    pending.record(['b']);
    expect(log.writes).toEqual([]);
    expect(pending.size).toBe(3);
    await pending.flush();
    expect(log.writes).toEqual([['a', 'b', 'b']]);
    await pending.flush();
    expect(log.writes).toHaveLength(1);
  });

  it('should write them by itself once searches pause', async () => {
    const log = accessLog();
    const pending = createPendingAccesses(log.store, 5);
    pending.record(['a']);
    pending.record(['c']);
    await wait(40);
    expect(log.writes).toEqual([['a', 'c']]);
    await pending.close();
  });

  it('should write at once past its bound, so a stream of searches never piles up counts', async () => {
    const log = accessLog();
    const pending = createPendingAccesses(log.store, 60_000);
    for (let i = 0; i < 5000; i++) pending.record([`m${i}`]);
    // The first 4,096 went to the store without a flush.
    expect(pending.size).toBe(5000 - 4096);
    await pending.flush();
    expect(log.writes.flat()).toEqual(Array.from({ length: 5000 }, (_, i) => `m${i}`));
  });

  it('should write a large burst in slices, letting other work run between them', async () => {
    const log = accessLog();
    const pending = createPendingAccesses(log.store, 60_000);
    const ids = Array.from({ length: ACCESS_WRITE_SLICE * 3 + 1 }, (_, i) => `m${i}`);
    pending.record(ids);
    let between = 0;
    const flushed = pending.flush();
    // A timer set now fires before the last slice: the writes yield to the event loop.
    setImmediate(() => (between = log.writes.length));
    await flushed;
    expect(log.writes.map((slice) => slice.length)).toEqual([ACCESS_WRITE_SLICE, ACCESS_WRITE_SLICE, ACCESS_WRITE_SLICE, 1]);
    expect(log.writes.flat()).toEqual(ids);
    expect(between).toBeGreaterThan(0);
    expect(between).toBeLessThan(4);
  });

  it('should drop what a reset removed, and a failed write without failing the caller', async () => {
    const log = accessLog();
    const pending = createPendingAccesses(log.store, 60_000);
    pending.record(['gone']);
    pending.drop();
    await pending.flush();
    expect(log.writes).toEqual([]);
    log.fail();
    pending.record(['x']);
    await expect(pending.flush()).resolves.toBeUndefined();
    expect(pending.size).toBe(0);
  });

  it('should write what is pending on close and ignore counts after it', async () => {
    const log = accessLog();
    const pending = createPendingAccesses(log.store, 60_000);
    pending.record(['a']);
    await pending.close();
    pending.record(['late']);
    await pending.flush();
    expect(log.writes).toEqual([['a']]);
  });
});

describe('an on-disk memory counting accesses after its searches', () => {
  let dir: ReturnType<typeof createTempDir>;
  beforeEach(() => {
    dir = createTempDir();
  });
  afterEach(() => dir.remove());

  it('should write a search burst’s accesses once something reads them, and keep them across a reopen', async () => {
    const path = join(dir.path, 'memory');
    const memory = await createMemory({ path });
    const [added] = (await memory.add('Biscuit the beagle turns three in May', { userId: 'alice' })).results;
    await memory.getAll({ userId: 'alice' });
    const reader = await createMemory({ path, readOnly: true });
    try {
      for (let i = 0; i < 3; i++) expect((await memory.search('beagle birthday', { userId: 'alice' })).results[0]!.id).toBe(added!.id);
      // Another process sees nothing yet: the searches wrote nothing.
      expect((await reader.store.get(added!.id))!.accessCount).toBe(0);
      // A read through the memory writes them first.
      expect((await memory.store.get(added!.id))!.accessCount).toBe(3);
      expect((await reader.store.get(added!.id))!.accessCount).toBe(3);
      await memory.search('beagle', { userId: 'alice' });
      await memory.close();
      const reopened = await createMemory({ path });
      expect((await reopened.store.get(added!.id))!.accessCount).toBe(4);
      await reopened.close();
    } finally {
      await reader.close();
      await memory.close();
    }
  });
});

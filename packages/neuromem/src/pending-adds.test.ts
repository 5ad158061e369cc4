import { createReferenceStore, createSerialQueue, NeuroMemError, type MemoryStore } from '@neuromem/core';
import { createTempDir } from '@neuromem/core/testing';
import { openAddJournal, type JournaledAdd } from './add-journal';
import { createPendingAdds, DIRECT_TURNS, MAX_PENDING_ADDS } from './pending-adds';

const entry = (n: number): JournaledAdd => ({
  ids: [`0190a000-0000-7000-8000-${String(n).padStart(12, '0')}`],
  scope: { userId: 'alice' },
  turns: [{ text: `turn ${n}`, role: 'user', eventTime: Date.UTC(2024, 0, 1) + n, metadata: {} }],
});

describe('write-behind adds', () => {
  let dir: ReturnType<typeof createTempDir>;
  let store: MemoryStore;
  beforeEach(() => {
    dir = createTempDir();
    store = createReferenceStore({ vectorScales: {} });
  });
  afterEach(() => dir.remove());

  /** A reserve the test controls: `room` says whether the disk has the space to take it back. */
  const fakeReserve = () => ({
    held: true,
    room: true,
    release() {
      const was = this.held;
      this.held = false;
      return was;
    },
    take() {
      if (!this.held && this.room) this.held = true;
      return this.held;
    },
  });

  /** Pending adds whose indexing puts the adds' texts in the store (or fails as `fail` says). */
  function open(fail: () => Error | undefined = () => undefined, reserve = fakeReserve(), onReaderWaits?: () => () => void) {
    const batches: number[] = [];
    const pending = createPendingAdds({
      journal: openAddJournal(dir.path, { durability: 'normal' }),
      reserve,
      store,
      ...(onReaderWaits ? { onReaderWaits } : {}),
      queue: createSerialQueue(),
      async storeAdds(adds) {
        const error = fail();
        if (error) throw error;
        batches.push(adds.length);
        await store.put(adds.flatMap((add) => add.turns.map((turn, i) => ({ id: add.ids[i]!, text: turn.text, scope: add.scope }))));
      },
    });
    return { pending, batches };
  }

  it('should index nothing until asked, then everything acknowledged, in few batches', async () => {
    const { pending, batches } = open();
    for (let n = 0; n < MAX_PENDING_ADDS; n++) await pending.add(entry(n));
    expect(await store.count()).toBe(0);
    await pending.flush();
    expect(await store.count()).toBe(MAX_PENDING_ADDS);
    expect(batches).toEqual([MAX_PENDING_ADDS]);
    await pending.close();
  });

  it('should say when a read waits for a backlog, and when it has it, and stay quiet with none', async () => {
    const events: string[] = [];
    const opened = open(undefined, undefined, () => {
      events.push(`waits, ${opened.batches.length} batches indexed`);
      return () => events.push(`served, ${opened.batches.length} batches indexed`);
    });
    await opened.pending.beforeRead();
    expect(events).toEqual([]);
    await opened.pending.add(entry(1));
    await opened.pending.add(entry(2));
    await opened.pending.beforeRead();
    expect(events).toEqual(['waits, 0 batches indexed', 'served, 1 batches indexed']);
    expect(await store.count()).toBe(2);
    await opened.pending.close();
  });

  it('should index in the background once the caller idles', async () => {
    const { pending } = open();
    await pending.add(entry(1));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await store.count()).toBe(1);
    await pending.close();
  });

  it('should keep the backlog bounded for a caller that never idles', async () => {
    const { pending } = open();
    let most = 0;
    for (let n = 0; n < 3 * MAX_PENDING_ADDS; n++) {
      await pending.add(entry(n));
      most = Math.max(most, pending.turns);
    }
    expect(most).toBeLessThanOrEqual(MAX_PENDING_ADDS);
    expect(await store.count()).toBeGreaterThanOrEqual(3 * MAX_PENDING_ADDS - MAX_PENDING_ADDS);
    await pending.close();
  });

  it('should index after a reopen what a crash left journaled, skipping what a batch had already stored', async () => {
    const journal = openAddJournal(dir.path, { durability: 'normal' });
    for (let n = 0; n < 5; n++) journal.append(entry(n));
    journal.close();
    // Two were stored before the crash, and not as a prefix: lines kept for the WAL's sake may sit
    // before adds a crash cut off, and every line is checked on its own.
    await store.put([0, 3].map((n) => ({ id: entry(n).ids[0]!, text: `turn ${n}`, scope: { userId: 'alice' } })));
    const { pending, batches } = open();
    await pending.flush();
    expect(batches).toEqual([3]);
    expect((await store.list({ scope: { userId: 'alice' } })).map((r) => r.text).sort()).toEqual(['turn 0', 'turn 1', 'turn 2', 'turn 3', 'turn 4']);
    await pending.close();
  });

  it('should let reads through while the store refuses writes, reject new adds without journaling them, and catch up once it accepts', async () => {
    let full = false;
    const { pending } = open(() => (full ? new NeuroMemError('STORAGE', 'the disk is full', { module: 'store' }) : undefined));
    await pending.add(entry(1));
    full = true;
    await expect(pending.flush()).rejects.toMatchObject({ code: 'STORAGE' });
    await expect(pending.beforeRead()).resolves.toBeUndefined();
    await expect(pending.add(entry(2))).rejects.toMatchObject({ code: 'STORAGE' });
    expect(pending.turns).toBe(1);
    full = false;
    await pending.add(entry(3));
    await pending.flush();
    expect((await store.list({ scope: { userId: 'alice' } })).map((r) => r.text).sort()).toEqual(['turn 1', 'turn 3']);
    await pending.close();
  });

  it('should give up its reserve to index the backlog on a full disk, then index each add in its own call until the space is back', async () => {
    const reserve = fakeReserve();
    // The disk is full while the reserve is held; giving it up makes room for the backlog.
    let full = false;
    const { pending, batches } = open(() => (full && reserve.held ? new NeuroMemError('STORAGE', 'the disk is full', { module: 'store' }) : undefined), reserve);
    for (let n = 0; n < 5; n++) await pending.add(entry(n));
    full = true;
    reserve.room = false;
    await pending.flush();
    expect(reserve.held).toBe(false);
    expect(await store.count()).toBe(5);
    // No reserve: the add is stored in its own call, nothing journaled.
    await pending.add(entry(5));
    expect(pending.turns).toBe(0);
    expect(await store.count()).toBe(6);
    reserve.room = true;
    await pending.add(entry(6));
    expect(reserve.held).toBe(true);
    expect(pending.turns).toBe(1);
    expect(batches).toEqual([5, 1]);
    await pending.close();
  });

  it('should index an add of many turns in its own call, after what is pending', async () => {
    const { pending, batches } = open();
    await pending.add(entry(1));
    const many: JournaledAdd = {
      ids: Array.from({ length: DIRECT_TURNS }, (_, i) => entry(100 + i).ids[0]!),
      scope: { userId: 'alice' },
      turns: Array.from({ length: DIRECT_TURNS }, (_, i) => entry(100 + i).turns[0]!),
    };
    await pending.add(many);
    expect(pending.turns).toBe(0);
    expect(batches).toEqual([1, 1]);
    expect(await store.count()).toBe(1 + DIRECT_TURNS);
    await pending.close();
  });

  it('should journal adds of a few turns each and index them several to a transaction', async () => {
    const { pending, batches } = open();
    const session = (n: number, turns: number): JournaledAdd => ({
      ids: Array.from({ length: turns }, (_, i) => entry(n * 100 + i).ids[0]!),
      scope: { userId: 'alice' },
      turns: Array.from({ length: turns }, (_, i) => entry(n * 100 + i).turns[0]!),
    });
    for (let n = 0; n < 6; n++) await pending.add(session(n, 20));
    await pending.flush();
    expect(await store.count()).toBe(120);
    // Three 20-turn adds fill a batch; the fourth waits for the next.
    expect(batches).toEqual([3, 3]);
    await pending.close();
  });

  it('should not hide an error that is not the storage refusing writes', async () => {
    const { pending } = open(() => new TypeError('a bug'));
    await pending.add(entry(1));
    await expect(pending.beforeRead()).rejects.toThrow('a bug');
    await pending.close();
  });
});

import type { MemoryStore, StoreCapabilities } from '../memory-store';
import { itWhen, type StoreFixture } from './memory-store-retrieval-cases';

/** Capability `userState`: small JSON documents per user, kept beside their memories. */
export function userStateCases(f: StoreFixture & { reopen: () => Promise<void> }, capabilities: StoreCapabilities): void {
  const withState = itWhen(capabilities, 'userState');
  const persistentState = capabilities.persistent ? withState : it.skip;
  const store = () => f.store as Required<MemoryStore>;

  withState('should keep a JSON document per user and key, and remove it on null (capability userState)', async () => {
    expect(await store().readUserState('alice', 'adaptation')).toBeNull();
    const document = { format: 'x/v1', weights: { recency: 0.5, graph: -0.25 }, words: ['beagle', 'pup'], count: 3, nested: { on: true, none: null } };
    await store().writeUserState('alice', 'adaptation', document);
    await store().writeUserState('bob', 'adaptation', { count: 1 });
    await store().writeUserState('alice', 'other', 'text');
    expect(await store().readUserState('alice', 'adaptation')).toEqual(document);
    expect(await store().readUserState('bob', 'adaptation')).toEqual({ count: 1 });
    expect(await store().readUserState('alice', 'other')).toBe('text');
    await store().writeUserState('alice', 'adaptation', { count: 4 });
    expect(await store().readUserState('alice', 'adaptation')).toEqual({ count: 4 });
    await store().writeUserState('alice', 'adaptation', null);
    expect(await store().readUserState('alice', 'adaptation')).toBeNull();
    expect(await store().readUserState('bob', 'adaptation')).toEqual({ count: 1 });
  });

  withState('should refuse bad user ids, keys and documents without changing anything (capability userState)', async () => {
    await store().writeUserState('alice', 'model', { kept: true });
    for (const [userId, key, value] of [
      ['', 'model', {}],
      ['alice', '', {}],
      [42, 'model', {}],
      ['alice', 'model', { weight: Number.NaN }],
      ['alice', 'model', { big: 'x'.repeat(1_100_000) }],
      ['alice', 'model', undefined],
    ] as const) {
      await expect(store().writeUserState(userId as string, key as string, value as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
    await expect(store().readUserState('', 'model')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(await store().readUserState('alice', 'model')).toEqual({ kept: true });
  });

  withState('should forget every user state on reset (capability userState)', async () => {
    await store().writeUserState('alice', 'model', { a: 1 });
    await store().reset();
    expect(await store().readUserState('alice', 'model')).toBeNull();
  });

  persistentState('should find user state again after close and reopen (capability userState, persistent stores)', async () => {
    await store().writeUserState('alice', 'model', { weights: [0.25, -1] });
    await f.reopen();
    expect(await store().readUserState('alice', 'model')).toEqual({ weights: [0.25, -1] });
  });

  itWhen(capabilities, 'userStateSwap')('should swap a document only from what it holds, and let exactly one of many racing swaps win (capability userStateSwap)', async () => {
    expect(await store().swapUserState('alice', 'lease', { holder: 'x' }, { holder: 'a' })).toBe(false);
    expect(await store().readUserState('alice', 'lease')).toBeNull();
    expect(await store().swapUserState('alice', 'lease', null, { holder: 'a', at: 1 })).toBe(true);
    expect(await store().swapUserState('alice', 'lease', null, { holder: 'b' })).toBe(false);
    expect(await store().swapUserState('alice', 'lease', { holder: 'a', at: 2 }, { holder: 'b' })).toBe(false);
    expect(await store().readUserState('alice', 'lease')).toEqual({ holder: 'a', at: 1 });

    const read = await store().readUserState('alice', 'lease');
    const wins = await Promise.all(Array.from({ length: 8 }, (_, i) => store().swapUserState('alice', 'lease', read, { holder: `racer-${i}` })));
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect(await store().readUserState('alice', 'lease')).toEqual({ holder: `racer-${wins.indexOf(true)}` });
    // Another user's document of the same key is another document.
    expect(await store().swapUserState('bob', 'lease', null, { holder: 'bob' })).toBe(true);

    expect(await store().swapUserState('alice', 'lease', { holder: `racer-${wins.indexOf(true)}` }, null)).toBe(true);
    expect(await store().readUserState('alice', 'lease')).toBeNull();
    await expect(store().swapUserState('', 'lease', null, { a: 1 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
}

import { createLruCache } from './lru-cache';

describe('createLruCache', () => {
  it('should evict the least recently used entry first', () => {
    const cache = createLruCache<string, number>({ maxCost: 2 });
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect([cache.get('a'), cache.get('c'), cache.size]).toEqual([1, 3, 2]);
  });

  it('should keep to a budget measured by cost and replace a key in place', () => {
    const cache = createLruCache<string, string>({ maxCost: 5, costOf: (value) => value.length });
    cache.set('x', 'abc');
    cache.set('x', 'ab');
    cache.set('y', 'abc');
    expect([cache.size, cache.cost]).toEqual([2, 5]);
    cache.set('z', 'abcd');
    expect([cache.get('x'), cache.get('y'), cache.get('z'), cache.cost]).toEqual([undefined, undefined, 'abcd', 4]);
    cache.clear();
    expect([cache.size, cache.cost]).toEqual([0, 0]);
  });

  it('should forget a deleted key and give its cost back to the budget', () => {
    const cache = createLruCache<string, string>({ maxCost: 4, costOf: (value) => value.length });
    cache.set('x', 'ab');
    cache.set('y', 'ab');
    expect(cache.delete('x')).toBe(true);
    expect(cache.delete('x')).toBe(false);
    cache.set('z', 'ab'); // fits only because x's cost was returned
    expect([cache.get('x'), cache.get('y'), cache.get('z'), cache.size]).toEqual([undefined, 'ab', 'ab', 2]);
  });

  it('should agree with a plain recency list over thousands of random gets, sets and deletes', () => {
    const cache = createLruCache<number, number>({ maxCost: 40, costOf: (value) => 1 + (value % 3) });
    // The reference: most recent last, evicting from the front, as the contract says.
    let model: Array<[number, number]> = [];
    const modelCost = () => model.reduce((sum, [, value]) => sum + 1 + (value % 3), 0);
    let seed = 7;
    const random = (n: number) => (seed = (seed * 16807) % 2147483647) % n;
    for (let step = 0; step < 5000; step++) {
      const key = random(60);
      const found = model.find(([k]) => k === key);
      const op = random(10);
      if (op < 5) {
        expect(cache.get(key)).toBe(found?.[1]);
        if (found) model = [...model.filter(([k]) => k !== key), found];
      } else if (op < 9) {
        const value = random(1000);
        cache.set(key, value);
        model = [...model.filter(([k]) => k !== key), [key, value]];
        while (modelCost() > 40 && model.length > 1) model.shift();
      } else {
        expect(cache.delete(key)).toBe(found !== undefined);
        model = model.filter(([k]) => k !== key);
      }
      expect(cache.size).toBe(model.length);
    }
    for (const [key, value] of model) expect(cache.get(key)).toBe(value);
  });

  it('should tell onEvict of every entry that leaves, however it leaves', () => {
    const left: Array<[string, number]> = [];
    const cache = createLruCache<string, number>({ maxCost: 2, onEvict: (key, value) => left.push([key, value]) });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3); // over budget: 'a' goes
    cache.set('b', 20); // replaced
    cache.delete('c');
    cache.set('d', 4);
    cache.clear();
    expect(left).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 3],
      ['b', 20],
      ['d', 4],
    ]);
    expect(cache.size).toBe(0);
  });

  it('should keep a single entry that alone exceeds the budget', () => {
    const cache = createLruCache<string, string>({ maxCost: 2, costOf: (value) => value.length });
    cache.set('a', 'a');
    cache.set('big', 'abcdef');
    expect([cache.get('a'), cache.get('big'), cache.size]).toEqual([undefined, 'abcdef', 1]);
  });
});

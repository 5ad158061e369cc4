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
    expect(cache.size).toBe(2);
    cache.set('z', 'abcd');
    expect([cache.get('x'), cache.get('y'), cache.get('z')]).toEqual([undefined, undefined, 'abcd']);
    cache.clear();
    expect(cache.size).toBe(0);
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
});

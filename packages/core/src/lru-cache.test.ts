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
});

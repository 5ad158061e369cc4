import type { TextEncoder } from '@neuromem/core';
import { withEmbeddingCache } from './with-embedding-cache';

/** An encoder that counts what it encodes; each text's vector is [length, first char code]. */
function countingEncoder(deterministic = true): TextEncoder & { encoded: string[] } {
  const encoded: string[] = [];
  return {
    specVersion: 'neuromem.text-encoder/v1',
    id: 'counting',
    dimensions: 2,
    deterministic,
    encoded,
    async encode(texts) {
      encoded.push(...texts);
      return texts.map((text) => Float32Array.of(text.length, text.charCodeAt(0) || 0));
    },
  };
}

describe('withEmbeddingCache', () => {
  it('should encode a text once and answer repeats from the cache, in order', async () => {
    const base = countingEncoder();
    const cached = withEmbeddingCache(base);
    await cached.encode(['a', 'bb']);
    const again = await cached.encode(['bb', 'ccc', 'a']);
    expect(base.encoded).toEqual(['a', 'bb', 'ccc']);
    expect(again.map((v) => Array.from(v))).toEqual([
      [2, 98],
      [3, 99],
      [1, 97],
    ]);
    expect(cached.cacheStats).toEqual({ hits: 2, misses: 3, size: 3 });
  });

  it('should tell apart long texts that differ only at the end (they are keyed by a hash)', async () => {
    const base = countingEncoder();
    const cached = withEmbeddingCache(base);
    const long = 'x'.repeat(5_000);
    await cached.encode([`${long}1`, `${long}2`]);
    await cached.encode([`${long}2`, `${long}1`]);
    expect(base.encoded).toHaveLength(2);
    expect(cached.cacheStats.size).toBe(2);
  });

  it('should not confuse a short text with the key of a long one', async () => {
    const base = countingEncoder();
    const cached = withEmbeddingCache(base);
    const long = 'y'.repeat(1_000);
    const [longVector] = await cached.encode([long]);
    // Whatever a long text's key looks like, a short text is keyed by itself under another prefix.
    const [shortVector] = await cached.encode([`h${long.slice(0, 27)}`]);
    expect(base.encoded).toHaveLength(2);
    expect(shortVector![0]).toBe(28);
    expect(longVector![0]).toBe(1_000);
  });

  it('should evict the least recently used text beyond maxEntries', async () => {
    const base = countingEncoder();
    const cached = withEmbeddingCache(base, { maxEntries: 2 });
    await cached.encode(['a', 'b']);
    await cached.encode(['a']); // 'b' is now the least recently used
    await cached.encode(['c']);
    await cached.encode(['a', 'b']);
    expect(base.encoded).toEqual(['a', 'b', 'c', 'b']);
  });

  it('should pass a non-deterministic encoder through without caching', async () => {
    const base = countingEncoder(false);
    const cached = withEmbeddingCache(base);
    await cached.encode(['a']);
    await cached.encode(['a']);
    expect(base.encoded).toEqual(['a', 'a']);
  });
});

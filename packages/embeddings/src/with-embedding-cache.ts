import { createHash } from 'node:crypto';
import { createLruCache, type TextEncoder } from '@neuromem/core';

export interface EmbeddingCacheOptions {
  /** Most texts kept (least recently used go first). @default 20000 */
  maxEntries?: number;
}

export interface CachedEncoder extends TextEncoder {
  readonly cacheStats: { hits: number; misses: number; size: number };
}

/** Texts up to this length are their own cache key; longer ones are keyed by a hash. */
const MAX_LITERAL_KEY = 512;

/**
 * Remembers the encoder's vector per text, so re-embedding a session's earlier turns or a repeated
 * query costs a lookup, not a model call. Only deterministic encoders are cached; others pass
 * through.
 */
export function withEmbeddingCache(encoder: TextEncoder, options: EmbeddingCacheOptions = {}): CachedEncoder {
  const maxEntries = options.maxEntries ?? 20_000;
  const cache = createLruCache<string, Float32Array>({ maxCost: maxEntries });
  const stats = { hits: 0, misses: 0 };
  // A chat turn is its own key (exact, and hashing it cost more than the lookup); a longer text is
  // keyed by its SHA-1, so a key holds at most 512 characters (about 10 MB over a full cache of
  // 20,000 mostly Latin-1 texts, beside 8-31 MB of vectors at 100-384 dimensions). The first
  // character keeps the two kinds apart.
  const keyOf = (text: string) => (text.length <= MAX_LITERAL_KEY ? `t${text}` : `h${createHash('sha1').update(text).digest('base64')}`);

  return {
    specVersion: encoder.specVersion,
    id: encoder.id,
    dimensions: encoder.dimensions,
    deterministic: encoder.deterministic,
    ...(encoder.maxInputChars !== undefined ? { maxInputChars: encoder.maxInputChars } : {}),
    // Queries and tokens are not cached: queries vary, and token vectors are only needed for new turns.
    ...(encoder.encodeQuery ? { encodeQuery: encoder.encodeQuery.bind(encoder) } : {}),
    ...(encoder.encodeTokens ? { encodeTokens: encoder.encodeTokens.bind(encoder) } : {}),
    ...(encoder.contextFreeTokens ? { contextFreeTokens: true } : {}),
    ...(encoder.wordTokens ? { wordTokens: true } : {}),
    get cacheStats() {
      return { ...stats, size: cache.size };
    },
    async encode(texts) {
      if (!encoder.deterministic) return encoder.encode(texts);
      const keys = texts.map(keyOf);
      const found = keys.map((key) => cache.get(key));
      const missing = found.flatMap((vector, i) => (vector === undefined ? [i] : []));
      stats.hits += texts.length - missing.length;
      stats.misses += missing.length;
      if (missing.length > 0) {
        const fresh = await encoder.encode(missing.map((i) => texts[i]!));
        missing.forEach((i, n) => {
          found[i] = fresh[n]!;
          cache.set(keys[i]!, fresh[n]!);
        });
      }
      return found as Float32Array[];
    },
  };
}

import { formatThroughputTable, measureEmbeddingThroughput } from './measure-embedding-throughput';

describe('measureEmbeddingThroughput', () => {
  it('should time both embedders createMemory builds, with token vectors on demand and made eagerly', async () => {
    const texts = Array.from({ length: 30 }, (_, i) => `Turn ${i}: we talked about the trip to Lisbon and the ${i} tickets.`);
    const rows = await measureEmbeddingThroughput(texts, { batch: 7, passes: 2 });
    expect(rows.map((r) => [r.embedder, r.tokens])).toEqual([
      ['default (lexical + semantic)', false],
      ['default (lexical + semantic)', true],
      ['lexical only (semantic: false)', false],
      ['lexical only (semantic: false)', true],
    ]);
    for (const row of rows) {
      expect(row.passes).toHaveLength(2);
      expect(row.median).toBeGreaterThan(0);
    }
    expect(formatThroughputTable(rows, texts.length, 7)).toContain('| default (lexical + semantic) | on demand (as the memory writes) |');
  });
});

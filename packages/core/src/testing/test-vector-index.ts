import type { VectorIndex } from '../vector-index';
import { createRandom, perturb, randomUnitVectors } from './random';
import { createTempDir } from './temp-dir';

export interface VectorIndexSuiteOptions {
  /** Shown in the describe() title. */
  name?: string;
  /**
   * Opens an index. `directory` is fresh per test; calling `create` again with the same directory
   * must reopen what a persistent index flushed there.
   */
  create: (options: { dimensions: number; directory: string }) => Promise<VectorIndex>;
}

/** The behaviour every `VectorIndex` must show. Call inside a jest (or vitest with globals) test file. */
export function testVectorIndex({ name = 'VectorIndex', create }: VectorIndexSuiteOptions): void {
  const dimensions = 32;

  describe(`${name} (VectorIndex conformance)`, () => {
    let dir: ReturnType<typeof createTempDir>;
    let index: VectorIndex;

    beforeEach(async () => {
      dir = createTempDir();
      index = await create({ dimensions, directory: dir.path });
    });
    afterEach(async () => {
      await index.close();
      dir.remove();
    });

    it('should report its dimensions and start empty', () => {
      expect(index.specVersion).toBe('neuromem.vector-index/v1');
      expect(index.dimensions).toBe(dimensions);
      expect(index.size()).toBe(0);
    });

    it('should return the nearest vectors first with cosine similarities', async () => {
      const vectors = randomUnitVectors(50, dimensions, 1);
      await index.add(
        vectors.map((_, i) => i),
        vectors,
      );
      const query = perturb(vectors[7]!, 0.05, 2);
      const matches = await index.search(query, 5);
      expect(matches).toHaveLength(5);
      expect(matches[0]!.key).toBe(7);
      expect(matches[0]!.similarity).toBeGreaterThan(0.95);
      for (let i = 1; i < matches.length; i++) expect(matches[i - 1]!.similarity).toBeGreaterThanOrEqual(matches[i]!.similarity);
    });

    it('should replace the vector when a key is added again', async () => {
      const [a, b] = randomUnitVectors(2, dimensions, 3);
      await index.add([1], [a!]);
      await index.add([1], [b!]);
      expect(index.size()).toBe(1);
      const [top] = await index.search(b!, 1);
      expect(top).toMatchObject({ key: 1 });
      expect(top!.similarity).toBeGreaterThan(0.99);
    });

    it('should remove keys and ignore unknown ones', async () => {
      const vectors = randomUnitVectors(10, dimensions, 4);
      await index.add(
        vectors.map((_, i) => i),
        vectors,
      );
      expect(await index.remove([3, 4, 999])).toBe(2);
      expect(index.has(3)).toBe(false);
      expect(index.has(5)).toBe(true);
      expect(index.size()).toBe(8);
      const keys = (await index.search(vectors[3]!, 10)).map((m) => m.key);
      expect(keys).not.toContain(3);
      expect(keys).toHaveLength(8);
    });

    it('should fill k from keys that pass a selective filter', async () => {
      const vectors = randomUnitVectors(600, dimensions, 5);
      await index.add(
        vectors.map((_, i) => i),
        vectors,
      );
      const wanted = new Set([11, 222, 333, 444, 555]);
      const matches = await index.search(vectors[0]!, 5, { filter: (key) => wanted.has(key) });
      expect(matches.map((m) => m.key).sort((x, y) => x - y)).toEqual([11, 222, 333, 444, 555]);
    });

    it('should return every passing key when k exceeds the index size', async () => {
      const vectors = randomUnitVectors(20, dimensions, 6);
      await index.add(
        vectors.map((_, i) => i),
        vectors,
      );
      expect(await index.search(vectors[0]!, 100)).toHaveLength(20);
      expect(await index.search(vectors[0]!, 100, { filter: (key) => key % 2 === 0 })).toHaveLength(10);
    });

    it('should reject vectors of the wrong dimension and add nothing from that batch', async () => {
      const [good] = randomUnitVectors(1, dimensions, 7);
      await expect(index.add([1, 2], [good!, new Float32Array(dimensions + 1).fill(0.1)])).rejects.toMatchObject({ code: 'DIMENSION_MISMATCH' });
      expect(index.size()).toBe(0);
      await expect(index.search(new Float32Array(3).fill(1), 1)).rejects.toMatchObject({ code: 'DIMENSION_MISMATCH' });
    });

    it('should reject NaN vectors, bad keys and mismatched batches as invalid input', async () => {
      const nan = new Float32Array(dimensions).fill(0.1);
      nan[3] = Number.NaN;
      await expect(index.add([1], [nan])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      const [v] = randomUnitVectors(1, dimensions, 8);
      await expect(index.add([-1], [v!])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await expect(index.add([1.5], [v!])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await expect(index.add([1, 2], [v!])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await expect(index.search(v!, 0)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      expect(index.size()).toBe(0);
    });

    it('should keep its contents across close and reopen when persistent', async () => {
      if (!index.capabilities.persistent) return;
      const vectors = randomUnitVectors(40, dimensions, 9);
      await index.add(
        vectors.map((_, i) => i + 100),
        vectors,
      );
      await index.remove([105]);
      await index.flush();
      await index.close();
      index = await create({ dimensions, directory: dir.path });
      expect(index.size()).toBe(39);
      expect(index.has(105)).toBe(false);
      const [top] = await index.search(vectors[12]!, 1);
      expect(top!.key).toBe(112);
    });

    it('should find the exact nearest neighbour for most queries', async () => {
      const random = createRandom(10);
      const vectors = randomUnitVectors(1000, dimensions, 11);
      await index.add(
        vectors.map((_, i) => i),
        vectors,
      );
      let hits = 0;
      for (let q = 0; q < 50; q++) {
        const target = Math.floor(random() * vectors.length);
        const [top] = await index.search(perturb(vectors[target]!, 0.1, 100 + q), 1);
        if (top?.key === target) hits++;
      }
      expect(hits).toBeGreaterThanOrEqual(45);
    });

    it('should refuse use after close', async () => {
      await index.close();
      await expect(index.search(new Float32Array(dimensions).fill(0.1), 1)).rejects.toMatchObject({ code: 'CLOSED' });
      // Something open again for afterEach to close, in this test's own directory (removed after it).
      index = await create({ dimensions, directory: dir.path });
    });
  });
}

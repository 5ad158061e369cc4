import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTempDir, randomUnitVectors, testVectorIndex } from '@neuromem/core/testing';
import { createExactIndex } from './create-exact-index';
import { createUsearchIndex } from './create-usearch-index';

testVectorIndex({
  name: 'createUsearchIndex',
  create: ({ dimensions, directory }) => createUsearchIndex({ dimensions, path: join(directory, 'turn.usearch') }),
});

testVectorIndex({
  name: 'createUsearchIndex (in memory)',
  create: ({ dimensions }) => createUsearchIndex({ dimensions }),
});

describe('createUsearchIndex', () => {
  let dir: ReturnType<typeof createTempDir>;
  beforeEach(() => {
    dir = createTempDir();
  });
  afterEach(() => dir.remove());

  const keysOf = (count: number, offset = 0) => Array.from({ length: count }, (_, i) => i + offset);

  async function savedIndex(path: string, count = 20, dimensions = 16) {
    const index = await createUsearchIndex({ dimensions, path });
    await index.add(keysOf(count), randomUnitVectors(count, dimensions, 1));
    await index.flush();
    await index.close();
  }

  it('should be persistent only when given a path', async () => {
    expect((await createUsearchIndex({ dimensions: 4 })).capabilities).toEqual({ persistent: false, approximate: true });
    expect((await createUsearchIndex({ dimensions: 4, path: join(dir.path, 'a.usearch') })).capabilities.persistent).toBe(true);
  });

  it('should write the file only on flush, not on close, and leave no temporary file behind', async () => {
    const path = join(dir.path, 'nested', 'turn.usearch');
    const index = await createUsearchIndex({ dimensions: 16, path });
    await index.add([1], randomUnitVectors(1, 16, 2));
    await index.close();
    expect(existsSync(path)).toBe(false);
    await savedIndex(path);
    expect(readdirSync(join(dir.path, 'nested'))).toEqual(['turn.usearch']);
  });

  it('should ignore a stale temporary file left beside the index by a crashed save', async () => {
    const path = join(dir.path, 'turn.usearch');
    await savedIndex(path);
    writeFileSync(`${path}.tmp-99999`, readFileSync(path).subarray(0, 100));
    const index = await createUsearchIndex({ dimensions: 16, path });
    expect(index.size()).toBe(20);
    await index.add([100], randomUnitVectors(1, 16, 3));
    await index.flush();
    expect((await createUsearchIndex({ dimensions: 16, path })).size()).toBe(21);
  });

  it.each([
    ['text', () => Buffer.from('this is not a usearch index at all; '.repeat(20))],
    ['all zeros', () => Buffer.alloc(4_096)],
    ['empty', () => Buffer.alloc(0)],
    ['missing its last bytes', (saved: Buffer) => saved.subarray(0, saved.length - 7)],
    ['cut inside its vectors', (saved: Buffer) => saved.subarray(0, 200)],
    ['padded with extra bytes', (saved: Buffer) => Buffer.concat([saved, Buffer.alloc(3)])],
    [
      'damaged in a neighbour list',
      (saved: Buffer) => {
        // The first node's neighbour count sits after the vectors, both headers, the levels and its key + level.
        const rows = saved.readUInt32LE(0);
        const damaged = Buffer.from(saved);
        damaged.writeUInt32LE(0xffff_ffff, 8 + rows * saved.readUInt32LE(4) + 104 + 2 * rows + 10);
        return damaged;
      },
    ],
  ])('should raise STORAGE instead of crashing when the file is %s', async (_, corrupt) => {
    const path = join(dir.path, 'turn.usearch');
    await savedIndex(path);
    writeFileSync(path, corrupt(readFileSync(path)));
    const opening = createUsearchIndex({ dimensions: 16, path });
    await expect(opening).rejects.toMatchObject({ code: 'STORAGE' });
    await expect(opening).rejects.toThrow(/rebuild the index from the durable store/);
  });

  it('should refuse a file built with other dimensions or another quantization', async () => {
    const path = join(dir.path, 'turn.usearch');
    await savedIndex(path);
    await expect(createUsearchIndex({ dimensions: 8, path })).rejects.toMatchObject({ code: 'DIMENSION_MISMATCH' });
    await expect(createUsearchIndex({ dimensions: 16, path, quantization: 'i8' })).rejects.toMatchObject({ code: 'STORAGE' });
  });

  it('should reload an empty index that was flushed', async () => {
    const path = join(dir.path, 'turn.usearch');
    await savedIndex(path, 0);
    expect((await createUsearchIndex({ dimensions: 16, path })).size()).toBe(0);
  });

  it('should grow past its initial capacity over 5,000 single adds', async () => {
    const vectors = randomUnitVectors(5_000, 16, 4);
    const index = await createUsearchIndex({ dimensions: 16 });
    for (let i = 0; i < vectors.length; i++) await index.add([i], [vectors[i]!]);
    expect(index.size()).toBe(5_000);
    expect((await index.search(vectors[4_321]!, 1))[0]).toMatchObject({ key: 4_321 });
  });

  it('should keep the last vector when a key repeats within one batch', async () => {
    const index = await createUsearchIndex({ dimensions: 2 });
    await index.add([7, 7], [Float32Array.from([1, 0]), Float32Array.from([0, 1])]);
    expect(index.size()).toBe(1);
    expect((await index.search(Float32Array.from([0, 1]), 1))[0]!.similarity).toBeCloseTo(1, 5);
  });

  it('should replace existing keys and add new ones in the same batch', async () => {
    const vectors = randomUnitVectors(20, 16, 5);
    const index = await createUsearchIndex({ dimensions: 16 });
    await index.add(keysOf(10), vectors.slice(0, 10));
    await index.add(keysOf(10, 5), vectors.slice(10));
    expect(index.size()).toBe(15);
    expect((await index.search(vectors[10]!, 1))[0]).toMatchObject({ key: 5 });
  });

  it.each(['f16', 'i8'] as const)('should still find the nearest of well-separated vectors with %s quantization', async (quantization) => {
    const vectors = randomUnitVectors(200, 32, 6);
    const index = await createUsearchIndex({ dimensions: 32, quantization });
    await index.add(keysOf(200), vectors);
    for (const target of [0, 57, 199]) {
      const [top] = await index.search(vectors[target]!, 1);
      expect(top!.key).toBe(target);
      expect(top!.similarity).toBeGreaterThan(0.98);
    }
  });

  it.each([1, 2])('should reach a top-10 recall of at least 0.9 against the exact index on 2,000 random 64-d vectors bulk-loaded on %i thread(s)', async (bulkThreads) => {
    const vectors = randomUnitVectors(2_000, 64, 7);
    const approximate = await createUsearchIndex({ dimensions: 64, bulkThreads });
    const exact = await createExactIndex({ dimensions: 64 });
    await approximate.add(keysOf(2_000), vectors);
    await exact.add(keysOf(2_000), vectors);
    let found = 0;
    for (const query of randomUnitVectors(100, 64, 8)) {
      const truth = new Set((await exact.search(query, 10)).map((m) => m.key));
      found += (await approximate.search(query, 10)).filter((m) => truth.has(m.key)).length;
    }
    expect(found / 1_000).toBeGreaterThanOrEqual(0.9);
  });

  it('should fill k through a filter that only one key in a thousand passes', async () => {
    const vectors = randomUnitVectors(5_000, 16, 9);
    const index = await createUsearchIndex({ dimensions: 16, threads: 2 });
    await index.add(keysOf(5_000), vectors);
    const matches = await index.search(vectors[0]!, 5, { filter: (key) => key % 1_000 === 999 });
    expect(matches.map((m) => m.key).sort((a, b) => a - b)).toEqual([999, 1_999, 2_999, 3_999, 4_999]);
  });

  it('should reject bad options and refuse every call after close', async () => {
    await expect(createUsearchIndex({ dimensions: 16, quantization: 'f8' as 'f16' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(createUsearchIndex({ dimensions: 16, connectivity: 1 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(createUsearchIndex({ dimensions: 16, bulkThreads: -1 })).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { field: 'bulkThreads' } });
    const index = await createUsearchIndex({ dimensions: 16, path: join(dir.path, 'turn.usearch') });
    await index.close();
    expect(() => index.size()).toThrow(expect.objectContaining({ code: 'CLOSED' }));
    expect(() => index.has(1)).toThrow(expect.objectContaining({ code: 'CLOSED' }));
    await expect(index.add([1], randomUnitVectors(1, 16, 10))).rejects.toMatchObject({ code: 'CLOSED' });
    await expect(index.remove([1])).rejects.toMatchObject({ code: 'CLOSED' });
    await expect(index.flush()).rejects.toMatchObject({ code: 'CLOSED' });
    await expect(index.close()).resolves.toBeUndefined();
  });
});

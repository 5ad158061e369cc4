import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cosineSimilarity } from '@neuromem/core';
import { randomUnitVectors } from '@neuromem/core/testing';
import Database from 'better-sqlite3';
import { createSqliteStore } from './create-sqlite-store';
import { OWNER_VECTORS_BEFORE_SCHEMA_12 } from './test-support';
import { blobToVector, vectorToBlob } from './vector-codec';

const dimensions = 612;

describe('vector blobs', () => {
  const [unit] = randomUnitVectors(1, dimensions, 7);

  it('should write int8 in about a quarter of the bytes, reading back the same length and nearly the same direction', () => {
    const blob = vectorToBlob(unit!, 'int8');
    expect(blob.byteLength).toBe(dimensions + 8);
    const read = blobToVector(blob);
    expect(read).toHaveLength(dimensions);
    expect(Math.hypot(...read)).toBeCloseTo(1, 5);
    expect(cosineSimilarity(read, unit!)).toBeGreaterThan(0.9999);
    const largest = Math.max(...unit!.map(Math.abs));
    read.forEach((x, i) => expect(Math.abs(x - unit![i]!)).toBeLessThan(largest / 100));
  });

  it('should read float32 blobs exactly, so files written before int8 keep their vectors', () => {
    expect(Array.from(blobToVector(vectorToBlob(unit!, 'float32')))).toEqual(Array.from(unit!));
  });

  it('should keep a vector of zeros and a vector of mixed magnitudes finite', () => {
    expect(Array.from(blobToVector(vectorToBlob(new Float32Array(4), 'int8')))).toEqual([0, 0, 0, 0]);
    const read = blobToVector(vectorToBlob(Float32Array.of(1e-30, 3, -2, 0), 'int8'));
    expect(read.every(Number.isFinite)).toBe(true);
    expect(read[1]).toBeCloseTo(3, 2);
    expect(read[2]).toBeCloseTo(-2, 1);
  });
});

describe('vectorPrecision', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'neuromem-precision-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const vectorBytes = (path: string) => {
    const db = new Database(join(path, 'memory.db'), { readonly: true });
    try {
      return (db.prepare('SELECT sum(length(data)) AS bytes FROM vectors').get() as { bytes: number }).bytes;
    } finally {
      db.close();
    }
  };

  it('should store int8 by default and exact float32 on request; a file holds both after the setting changes', async () => {
    const vectors = randomUnitVectors(3, dimensions, 11);
    const exact = await createSqliteStore({ path: dir, vectorScales: { turn: dimensions }, vectorPrecision: 'float32' });
    const [old] = await exact.put([{ text: 'written as float32', scope: { userId: 'u' }, vectors: { turn: vectors[0]! } }]);
    expect(Array.from((await exact.vectors([old!.id], 'turn')).get(old!.id)!)).toEqual(Array.from(vectors[0]!));
    await exact.close();
    expect(vectorBytes(dir)).toBe(dimensions * 4);

    const compact = await createSqliteStore({ path: dir, vectorScales: { turn: dimensions } });
    const [fresh] = await compact.put([{ text: 'written as int8', scope: { userId: 'u' }, vectors: { turn: vectors[1]! } }]);
    const read = await compact.vectors([old!.id, fresh!.id], 'turn');
    expect(Array.from(read.get(old!.id)!)).toEqual(Array.from(vectors[0]!));
    expect(cosineSimilarity(read.get(fresh!.id)!, vectors[1]!)).toBeGreaterThan(0.9999);
    // Searches agree with what is read back: the nearest to the int8 memory's own vector is itself.
    const [hit] = await compact.searchVectors({ scale: 'turn', vector: vectors[1]!, k: 1, filter: { scope: { userId: 'u' } } });
    expect(hit!.record.id).toBe(fresh!.id);
    expect(await compact.verifyIndexes()).toEqual([]);
    await compact.close();
    // The int8 vector has a user: it is kept once, in its owner row (the bytes its segment scans).
    expect(vectorBytes(dir)).toBe(dimensions * 4);
    const db = new Database(join(dir, 'memory.db'), { readonly: true });
    const rows = db.prepare('SELECT length(data) AS bytes, length IS NOT NULL AS once FROM owner_vectors ORDER BY key').all();
    db.close();
    expect(rows).toEqual([
      { bytes: dimensions, once: 0 },
      { bytes: dimensions, once: 1 },
    ]);
  });

  it('should read a schema-6 file, whose int8 vectors sit in vectors with a copy per user, and keep new ones once', async () => {
    const vectors = randomUnitVectors(3, dimensions, 13);
    let store = await createSqliteStore({ path: dir, vectorScales: { turn: dimensions } });
    const [first, second] = await store.put(vectors.slice(0, 2).map((vector, i) => ({ text: `old ${i}`, scope: { userId: 'u' }, vectors: { turn: vector } })));
    const before = await store.vectors([first!.id, second!.id], 'turn');
    await store.close();
    // Back to schema 6: the bytes in vectors (tag, scale, int8), the owner rows a copy without `length`.
    const db = new Database(join(dir, 'memory.db'));
    const owned = db.prepare('SELECT key, length, data FROM owner_vectors').all() as Array<{ key: number; length: number; data: Buffer }>;
    const restore = db.prepare('UPDATE vectors SET data = ? WHERE key = ?');
    for (const row of owned) {
      const header = Buffer.alloc(8);
      header.writeUInt32LE(0x7fc05138, 0);
      header.writeFloatLE(row.length, 4);
      restore.run(Buffer.concat([header, row.data]), row.key);
    }
    db.exec(`${OWNER_VECTORS_BEFORE_SCHEMA_12} DROP INDEX owner_vectors_key; ALTER TABLE owner_vectors DROP COLUMN length; PRAGMA user_version = 6;`);
    db.close();
    expect(vectorBytes(dir)).toBe(2 * (dimensions + 8));

    store = await createSqliteStore({ path: dir, vectorScales: { turn: dimensions } });
    const read = await store.vectors([first!.id, second!.id], 'turn');
    expect(read).toEqual(before);
    const [third] = await store.put([{ text: 'new', scope: { userId: 'u' }, vectors: { turn: vectors[2]! } }]);
    const hits = await store.searchVectors({ scale: 'turn', vector: vectors[2]!, k: 3, filter: { scope: { userId: 'u' } } });
    expect(hits[0]!.record.id).toBe(third!.id);
    expect(await store.verifyIndexes()).toEqual([]);
    await store.close();
    expect(vectorBytes(dir)).toBe(2 * (dimensions + 8));
  });

  it('should keep an int8 vector without a user in vectors, and read kept-once vectors back alike', async () => {
    const vectors = randomUnitVectors(2, dimensions, 12);
    const store = await createSqliteStore({ path: dir, vectorScales: { turn: dimensions } });
    const [agents, users] = await store.put([
      { text: 'an agent memory', scope: { agentId: 'a' }, vectors: { turn: vectors[0]! } },
      { text: 'a user memory', scope: { userId: 'u', agentId: 'a' }, vectors: { turn: vectors[1]! } },
    ]);
    const read = await store.vectors([agents!.id, users!.id], 'turn');
    for (const [i, id] of [agents!.id, users!.id].entries()) expect(cosineSimilarity(read.get(id)!, vectors[i]!)).toBeGreaterThan(0.9999);
    // An agent-only search reads vectors through `vectors`, a kept-once one through its owner row.
    const found = await store.searchVectors({ scale: 'turn', vector: vectors[1]!, k: 2, filter: { scope: { agentId: 'a' } } });
    expect(found.map((hit) => hit.record.id)).toEqual([users!.id, agents!.id]);
    expect(found[0]!.similarity).toBeGreaterThan(0.9999);
    expect(await store.verifyIndexes()).toEqual([]);
    await store.close();
    expect(vectorBytes(dir)).toBe(dimensions + 8);
  });

  it('should refuse an unknown precision before touching anything', async () => {
    await expect(createSqliteStore({ path: join(dir, 'never'), vectorScales: { turn: 4 }, vectorPrecision: 'int4' as never })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });
});

import { createSegmentSlab } from './segment-slab';

const MB = 1024 * 1024;

describe('createSegmentSlab', () => {
  it('should hand out regions that never overlap, and reuse released ones', () => {
    const slab = createSegmentSlab({ maxBytes: 64 * MB });
    const a = slab.allocate(10_000)!;
    const b = slab.allocate(5_000)!;
    expect(a.buffer).toBe(b.buffer);
    expect(a.length).toBe(10_000);
    // Regions are whole 4 KiB units: b starts after a's three.
    expect(b.byteOffset).toBe(a.byteOffset + 12_288);
    a.fill(1);
    b.fill(2);
    expect(a.every((x) => x === 1)).toBe(true);
    expect(slab.usedBytes).toBe(12_288 + 8_192);

    slab.release(a);
    expect(slab.usedBytes).toBe(8_192);
    const c = slab.allocate(4_096)!;
    expect(c.byteOffset).toBe(a.byteOffset); // first fit: a's old place
    expect(b.every((x) => x === 2)).toBe(true);
  });

  it('should merge neighbouring free regions, so a large region fits again once its parts are back', () => {
    const slab = createSegmentSlab({ maxBytes: 8 * MB });
    const parts = Array.from({ length: 8 }, () => slab.allocate(MB)!);
    expect(slab.allocate(MB)).toBeUndefined(); // full, and no room to add a chunk
    // Back in an order that merges from both sides.
    for (const i of [1, 3, 2, 0, 6, 5, 7, 4]) slab.release(parts[i]!);
    expect(slab.usedBytes).toBe(0);
    const whole = slab.allocate(8 * MB)!;
    expect(whole.byteOffset).toBe(0);
    expect(whole.length).toBe(8 * MB);
  });

  it('should add chunks as needed, each at least twice what it holds, within its limit', () => {
    const slab = createSegmentSlab({ maxBytes: 200 * MB });
    slab.allocate(MB);
    expect(slab.reservedBytes).toBe(8 * MB);
    slab.allocate(10 * MB);
    expect(slab.reservedBytes).toBe(8 * MB + 16 * MB);
    slab.allocate(100 * MB);
    expect(slab.reservedBytes).toBe(24 * MB + 100 * MB);
    slab.allocate(60 * MB);
    expect(slab.reservedBytes).toBe(200 * MB);
    expect(slab.allocate(20 * MB)).toBeUndefined();
  });

  it('should ignore views it did not give, and forget everything on reset', () => {
    const slab = createSegmentSlab({ maxBytes: 64 * MB });
    const given = slab.allocate(100)!;
    slab.release(new Int8Array(100));
    slab.release(given.subarray(0, 10));
    expect(slab.usedBytes).toBe(4_096);
    slab.release(given);
    slab.release(given); // twice: no effect the second time
    expect(slab.usedBytes).toBe(0);
    slab.allocate(100);
    slab.reset();
    expect(slab.reservedBytes).toBe(0);
    expect(slab.usedBytes).toBe(0);
    for (const bytes of [0, -1, Number.NaN, 1.5]) expect(slab.allocate(bytes)).toBeUndefined();
  });
});

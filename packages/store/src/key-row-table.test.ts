import { createKeyRowTable } from './key-row-table';

describe('createKeyRowTable', () => {
  it('should answer every key it holds with its row, and -1 for any other', () => {
    const table = createKeyRowTable();
    for (let i = 0; i < 1_000; i++) table.set(i * 7 + 4_294_967_296, i);
    expect(table.size).toBe(1_000);
    for (let i = 0; i < 1_000; i++) expect(table.get(i * 7 + 4_294_967_296)).toBe(i);
    expect(table.get(5)).toBe(-1);
    expect(table.get(4_294_967_297)).toBe(-1);
  });

  it('should follow sets, moves and deletes in any order as a Map would', () => {
    // A seeded mix of operations on a small key range, so probe runs collide, wrap and shift back.
    let seed = 11;
    const random = () => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 4_294_967_296;
    const table = createKeyRowTable(4);
    const expected = new Map<number, number>();
    for (let step = 0; step < 20_000; step++) {
      const key = Math.floor(random() * 300);
      if (random() < 0.4) {
        table.delete(key);
        expected.delete(key);
      } else {
        table.set(key, step);
        expected.set(key, step);
      }
      if (step % 997 === 0) for (let probe = 0; probe < 300; probe++) expect(table.get(probe)).toBe(expected.get(probe) ?? -1);
    }
    expect(table.size).toBe(expected.size);
    for (let probe = 0; probe < 300; probe++) expect(table.get(probe)).toBe(expected.get(probe) ?? -1);
  });

  it('should refuse a key it cannot hold exactly', () => {
    const table = createKeyRowTable();
    expect(() => table.set(-1, 0)).toThrow(RangeError);
    expect(() => table.set(1.5, 0)).toThrow(RangeError);
    expect(() => table.set(Number.NaN, 0)).toThrow(RangeError);
  });

  it('should keep its buffers at most four times the rows it holds, at 12 bytes a slot', () => {
    const table = createKeyRowTable(10_000);
    for (let i = 0; i < 10_000; i++) table.set(i, i);
    expect(table.byteLength).toBeLessThanOrEqual(10_000 * 4 * 12);
  });
});

import { createRequire } from 'node:module';
import { randomUnitVectors } from '@neuromem/core/testing';
import { quantizeUnit } from './int8-vector';
import { exactSearch, MetricKind, type Matches } from './usearch-module';

const dimensions = 32;
const rows = new Int8Array(4 * dimensions);
randomUnitVectors(4, dimensions, 7).forEach((vector, key) => rows.set(quantizeUnit(vector).data, key * dimensions));
const query = Int8Array.from(rows.subarray(2 * dimensions, 3 * dimensions));
/** The same rows as a view into a larger buffer, after as many zeros. */
const shifted = new Int8Array(dimensions * 8).subarray(dimensions * 4);
shifted.set(rows);

describe("usearch's exactSearch", () => {
  it("should read from the start of the typed array's buffer, whatever its byteOffset (why a scan copies slab rows first)", () => {
    // When this fails, usearch honours byteOffset: the wrapper and `scan` in owner-segment.ts can drop their care.
    const raw: typeof import('usearch') = createRequire(require.resolve('@neuromem/store/package.json'))('usearch');
    const best = (dataset: Int8Array) => Number((raw.exactSearch(dataset, query, dimensions, 1, raw.MetricKind.Cos, 1) as Matches).keys[0]);
    expect(best(Int8Array.from(rows))).toBe(2);
    expect(best(shifted)).not.toBe(2); // it scanned the zeros before the view
  });

  it('should be refused, through this module, an array that does not start its buffer', () => {
    expect(Number((exactSearch(Int8Array.from(rows), query, dimensions, 1, MetricKind.Cos, 1) as Matches).keys[0])).toBe(2);
    expect(() => exactSearch(shifted, query, dimensions, 1, MetricKind.Cos, 1)).toThrow(RangeError);
    expect(() => exactSearch(Int8Array.from(rows), shifted.subarray(0, dimensions), dimensions, 1, MetricKind.Cos, 1)).toThrow(RangeError);
  });
});

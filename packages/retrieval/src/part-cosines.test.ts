import type { Embedder } from '@neuromem/core';
import { partCosines } from './part-cosines';

/** Vectors of 4: a lexical part [0, 2) and a semantic part [2, 4), at the turn scale only. */
const embedder = {
  parts: [
    { name: 'lexical', ranges: { turn: [0, 2] } },
    { name: 'semantic', ranges: { turn: [2, 4] } },
  ],
} as unknown as Embedder;
const v = (...values: number[]) => Float32Array.from(values);
const cosine = (a: number[], b: number[]) => (a[0]! * b[0]! + a[1]! * b[1]!) / (Math.hypot(a[0]!, a[1]!) * Math.hypot(b[0]!, b[1]!));

describe('partCosines', () => {
  const query = v(9, 9, 1, 0);
  const semantic = partCosines(embedder, 'semantic', 'turn', query)!;

  it('should measure one part alone, whatever the other parts hold', () => {
    expect(semantic.of(v(5, -5, 3, 0))).toBeCloseTo(1, 6);
    expect(semantic.of(v(0, 0, 0, 2))).toBeCloseTo(0, 6);
    expect(semantic.of(v(1, 1, 1, 1))).toBeCloseTo(Math.SQRT1_2, 6);
  });

  it('should join a memory with a neighbour as unit vectors, the neighbour at half weight', () => {
    const memory = [0, 2]; // orthogonal to the query: alone it says nothing about it
    const neighbor = [3, 0]; // what the query asks about
    const joined = [memory[0]! / 2 + 0.5 * (neighbor[0]! / 3), memory[1]! / 2 + 0.5 * (neighbor[1]! / 3)];
    expect(semantic.withNeighbor(v(0, 0, ...memory), v(0, 0, ...neighbor))).toBeCloseTo(cosine([1, 0], joined), 6);
    expect(semantic.withNeighbor(v(0, 0, ...memory), v(0, 0, ...neighbor))).toBeCloseTo(0.5 / Math.sqrt(1.25), 6);
    // A neighbour on the same subject keeps a relevant memory relevant; an unrelated one lowers it.
    expect(semantic.withNeighbor(v(0, 0, 1, 0), v(0, 0, 4, 0))).toBeCloseTo(1, 6);
    expect(semantic.withNeighbor(v(0, 0, 1, 0), v(0, 0, 0, 1))).toBeLessThan(1);
  });

  it('should take the better neighbour, and the memory alone without one', () => {
    const memory = v(0, 0, 1, 1);
    const before = v(0, 0, 0, 1);
    const after = v(0, 0, 1, 0);
    expect(semantic.inContext(memory, [before, after])).toBeCloseTo(semantic.withNeighbor(memory, after), 6);
    expect(semantic.inContext(memory, [before, after])).toBeGreaterThan(semantic.withNeighbor(memory, before));
    expect(semantic.inContext(memory, [])).toBeCloseTo(semantic.of(memory), 6);
  });

  it('should give 0 or the memory alone where a vector has nothing to measure', () => {
    expect(semantic.of(v(1, 1))).toBe(0); // too short to hold the part
    expect(semantic.of(v(1, 1, 0, 0))).toBe(0);
    expect(semantic.withNeighbor(v(0, 0, 1, 0), v(0, 0, 0, 0))).toBeCloseTo(1, 6);
    expect(semantic.withNeighbor(v(0, 0, 1, 0), v(0, 0))).toBeCloseTo(1, 6);
    const blank = partCosines(embedder, 'semantic', 'turn', v(1, 1, 0, 0))!;
    expect([blank.of(v(0, 0, 1, 0)), blank.withNeighbor(v(0, 0, 1, 0), v(0, 0, 1, 0))]).toEqual([0, 0]);
    expect(partCosines(embedder, 'semantic', 'session', query)).toBeUndefined();
    expect(partCosines(embedder, 'meaning', 'turn', query)).toBeUndefined();
    expect(partCosines({} as Embedder, 'semantic', 'turn', query)).toBeUndefined();
  });
});

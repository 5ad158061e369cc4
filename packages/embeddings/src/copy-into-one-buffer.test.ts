import { copyIntoOneBuffer } from './copy-into-one-buffer';

describe('copyIntoOneBuffer', () => {
  it('gives copies equal to the vectors, of their own lengths, that the caller may change freely', () => {
    const vectors = [Float32Array.from([1, 2, 3]), Float32Array.from([4]), Float32Array.from([5, 6])];
    const copies = copyIntoOneBuffer(vectors);
    expect(copies.map((copy) => [...copy])).toEqual([[1, 2, 3], [4], [5, 6]]);
    copies[0]![0] = 99;
    copies[2]![1] = -1;
    expect([...vectors[0]!]).toEqual([1, 2, 3]);
    expect([...vectors[2]!]).toEqual([5, 6]);
    expect([...copies[1]!]).toEqual([4]);
  });

  it('puts every copy in one buffer', () => {
    const copies = copyIntoOneBuffer([new Float32Array(4), new Float32Array(4)]);
    expect(copies[0]!.buffer).toBe(copies[1]!.buffer);
    expect(copies[1]!.byteOffset).toBe(16);
  });

  it('gives nothing for nothing', () => {
    expect(copyIntoOneBuffer([])).toEqual([]);
  });
});

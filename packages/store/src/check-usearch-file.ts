import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { ScalarKind } from './usearch-module';
import { createErrorFactory } from '@neuromem/core';

const fail = createErrorFactory('store');

export type UsearchQuantization = 'f32' | 'f16' | 'i8';

// Codes and widths from usearch's `scalar_kind_t`, for checking a file before `load` sees it.
export const SCALARS = { f32: { kind: ScalarKind.F32, code: 11, bytes: 4 }, f16: { kind: ScalarKind.F16, code: 12, bytes: 2 }, i8: { kind: ScalarKind.I8, code: 23, bytes: 1 } } as const;

export function unloadable(path: string, reason: string, cause?: unknown) {
  return fail('STORAGE', `the vector index file ${path} cannot be loaded (${reason}). It holds derived data: delete it and rebuild the index from the durable store.`, { cause, details: { path } });
}

/**
 * usearch 2.25 kills the process (segfault or heap abort) instead of throwing when `load` reads a
 * truncated or foreign file, or when a search follows a corrupt neighbour list. So every structural
 * field is checked first: headers, node levels, exact length, and each neighbour count and slot.
 * Corrupt vector values or keys are not detected (they cannot crash, only mislead).
 */
export function checkIndexFile(path: string, dimensions: number, quantization: UsearchQuantization): void {
  const fd = openSync(path, 'r');
  try {
    const fileSize = fstatSync(fd).size;
    const read = (offset: number, length: number): Buffer => {
      if (offset + length > fileSize) throw unloadable(path, 'file is truncated');
      const buffer = Buffer.alloc(length);
      if (readSync(fd, buffer, 0, length, offset) !== length) throw unloadable(path, 'short read');
      return buffer;
    };
    // Layout: [rows u32, rowBytes u32, vectors][64-byte dense header][40-byte graph header][levels i16 x rows][nodes]
    const matrix = read(0, 8);
    const rows = matrix.readUInt32LE(0);
    const headAt = 8 + rows * matrix.readUInt32LE(4);
    const head = read(headAt, 104);
    if (head.toString('latin1', 0, 7) !== 'usearch') throw unloadable(path, 'not a usearch index');
    if (head.readUInt16LE(7) !== 2 || head[15] !== 14 || head[16] !== 15) throw unloadable(path, 'written by an incompatible usearch version');
    const scalar = Object.values(SCALARS).find(({ code }) => code === head[14]);
    if (head[13] !== 0x63 || head[41] !== 0 || scalar === undefined) throw unloadable(path, 'not a single-key cosine index');
    const fileDimensions = Number(head.readBigUInt64LE(33));
    const [present, deleted, nodes, m, m0, maxLevel, entry] = [17, 25, 64, 72, 80, 88, 96].map((at) => Number(head.readBigUInt64LE(at))) as [number, number, number, number, number, number, number];
    if (matrix.readUInt32LE(4) !== fileDimensions * scalar.bytes || present + deleted !== rows || nodes !== rows) throw unloadable(path, 'inconsistent headers');
    if (rows > 0 && (m < 2 || m > 0xffff || m0 < m || m0 > 0xffff || maxLevel > 64 || entry >= rows)) throw unloadable(path, 'implausible graph parameters');
    if (fileDimensions !== dimensions) {
      throw fail(
        'DIMENSION_MISMATCH',
        `the vector index file ${path} holds ${fileDimensions}-dimensional vectors but ${dimensions} are expected; use the encoder it was built with, or delete it and rebuild from the durable store.`,
        { details: { path, expected: dimensions, actual: fileDimensions } },
      );
    }
    if (scalar !== SCALARS[quantization]) throw unloadable(path, `built with a different quantization than '${quantization}'`);
    const levels = read(headAt + 104, 2 * rows);
    // A node: key u64, level i16, then per level 0..L a neighbour count u32 and m0 (level 0) or m slots u32.
    const nodeBytes = (level: number) => 10 + 4 * (m0 + 1) + level * 4 * (m + 1);
    let expected = headAt + 104 + 2 * rows;
    for (let i = 0; i < rows; i++) {
      const level = levels.readInt16LE(2 * i);
      if (level < 0 || level > maxLevel) throw unloadable(path, 'corrupt node levels');
      expected += nodeBytes(level);
    }
    if (expected !== fileSize) throw unloadable(path, `expected ${expected} bytes, found ${fileSize}`);
    if (rows > 0 && levels.readInt16LE(2 * entry) !== maxLevel) throw unloadable(path, 'corrupt entry point');
    // Whole nodes in ~4 MiB chunks, so a large file never needs one huge buffer.
    for (let first = 0, at = headAt + 104 + 2 * rows; first < rows; ) {
      let end = first;
      let bytes = 0;
      while (end < rows && bytes < 1 << 22) bytes += nodeBytes(levels.readInt16LE(2 * end++));
      const chunk = read(at, bytes);
      for (let i = first, offset = 0; i < end; i++) {
        const level = levels.readInt16LE(2 * i);
        if (chunk.readInt16LE(offset + 8) !== level) throw unloadable(path, 'corrupt node levels');
        offset += 10;
        for (let l = 0; l <= level; l++) {
          const slots = l === 0 ? m0 : m;
          const neighbours = chunk.readUInt32LE(offset);
          if (neighbours > slots) throw unloadable(path, 'corrupt neighbour lists');
          for (let j = 1; j <= neighbours; j++) {
            // A level-l list may only link nodes that exist on level l.
            const slot = chunk.readUInt32LE(offset + 4 * j);
            if (slot >= rows || levels.readInt16LE(2 * slot) < l) throw unloadable(path, 'corrupt neighbour lists');
          }
          offset += 4 * (slots + 1);
        }
      }
      [first, at] = [end, at + bytes];
    }
  } finally {
    closeSync(fd);
  }
}

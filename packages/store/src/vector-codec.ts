import { quantizeUnit } from './int8-vector';

/**
 * How a memory's vectors are stored: `int8` (one float scale, then one byte per dimension: about a
 * quarter of the bytes) or `float32` (exact).
 */
export type VectorPrecision = 'int8' | 'float32';

/**
 * Marks an int8 blob. As a float32 it is a NaN, which no stored float32 vector holds (every vector is
 * checked finite before it is written), so a blob is read right whichever precision wrote it.
 */
const INT8_TAG = 0x7fc05138;
const INT8_HEADER_BYTES = 8;

/** A vector as a blob: little-endian float32, or the int8 tag, a float32 scale and one int8 per dimension. */
export function vectorToBlob(vector: Float32Array, precision: VectorPrecision = 'float32'): Buffer {
  if (precision === 'float32') return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
  // Rounded as the owner segments round (largest magnitude to ±127), so both hold the same bytes.
  const { data } = quantizeUnit(vector);
  let norm = 0;
  let roundedNorm = 0;
  for (let j = 0; j < vector.length; j++) {
    norm += vector[j]! * vector[j]!;
    roundedNorm += data[j]! * data[j]!;
  }
  const blob = Buffer.allocUnsafe(INT8_HEADER_BYTES + data.length);
  blob.writeUInt32LE(INT8_TAG, 0);
  // The scale keeps the vector's length (a unit vector reads back as a unit vector); rounding moves only its direction.
  blob.writeFloatLE(roundedNorm === 0 ? 0 : Math.sqrt(norm / roundedNorm), 4);
  blob.set(new Uint8Array(data.buffer, data.byteOffset, data.length), INT8_HEADER_BYTES);
  return blob;
}

/** A stored vector as kept in memory: float32, or int8 with its scale (a quarter of the bytes). */
export type StoredVector = Float32Array | { scale: number; data: Int8Array };

/** A stored vector, whichever precision wrote it. Copies, because SQLite's buffers may be pooled and unaligned for a Float32Array view. */
export function blobToVector(blob: Buffer): Float32Array {
  return widen(decodeVector(blob));
}

/** A blob as kept in memory, not yet widened to float32 (a copy, as `blobToVector`). */
export function decodeVector(blob: Buffer): StoredVector {
  if (blob.byteLength >= INT8_HEADER_BYTES && blob.readUInt32LE(0) === INT8_TAG) {
    const data = new Int8Array(blob.byteLength - INT8_HEADER_BYTES);
    data.set(new Int8Array(blob.buffer, blob.byteOffset + INT8_HEADER_BYTES, data.length));
    return { scale: blob.readFloatLE(4), data };
  }
  const copy = new Uint8Array(blob.byteLength);
  copy.set(blob);
  return new Float32Array(copy.buffer);
}

/** The float32 vector of a kept one (the int8 values times their scale). */
export function widen(vector: StoredVector): Float32Array {
  if (vector instanceof Float32Array) return vector;
  const { scale, data } = vector;
  const widened = new Float32Array(data.length);
  for (let j = 0; j < data.length; j++) widened[j] = data[j]! * scale;
  return widened;
}

/** The vector as it will read back once stored (what indexes and caches must hold, so reads agree). */
export function storedVector(vector: Float32Array, precision: VectorPrecision): { blob: Buffer; vector: Float32Array } {
  const blob = vectorToBlob(vector, precision);
  return { blob, vector: precision === 'float32' ? vector : blobToVector(blob) };
}

/**
 * Token vectors are many per memory, so they are stored as int8 with one float scale per vector
 * (a quarter of float32); MaxSim over unit vectors barely notices the rounding.
 */
export function encodeTokenVectors(vectors: readonly Float32Array[]): { dims: number; count: number; scales: Buffer; data: Buffer } {
  const dims = vectors[0]?.length ?? 0;
  const scales = new Float32Array(vectors.length);
  const data = new Int8Array(vectors.length * dims);
  // Index loops and one multiply per element: this runs for every token of every stored turn.
  for (let i = 0; i < vectors.length; i++) {
    const vector = vectors[i]!;
    let max = 0;
    for (let j = 0; j < dims; j++) {
      const magnitude = Math.abs(vector[j]!);
      if (magnitude > max) max = magnitude;
    }
    const scale = max === 0 ? 1 : max / 127;
    const inverse = 1 / scale;
    scales[i] = scale;
    const offset = i * dims;
    for (let j = 0; j < dims; j++) data[offset + j] = Math.round(vector[j]! * inverse);
  }
  return { dims, count: vectors.length, scales: Buffer.from(scales.buffer), data: Buffer.from(data.buffer) };
}

export function decodeTokenVectors(row: { dims: number; count: number; scales: Buffer; data: Buffer }): Float32Array[] {
  const scales = blobToVector(row.scales);
  const data = new Int8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength);
  const vectors: Float32Array[] = [];
  for (let i = 0; i < row.count; i++) {
    const vector = new Float32Array(row.dims);
    const scale = scales[i]!;
    const offset = i * row.dims;
    for (let j = 0; j < row.dims; j++) vector[j] = data[offset + j]! * scale;
    vectors.push(vector);
  }
  return vectors;
}

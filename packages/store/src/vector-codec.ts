/** Vectors are stored as little-endian float32 blobs. */
export function vectorToBlob(vector: Float32Array): Buffer {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
}

/** Copies, because SQLite's buffers may be pooled and unaligned for a Float32Array view. */
export function blobToVector(blob: Buffer): Float32Array {
  const copy = new Uint8Array(blob.byteLength);
  copy.set(blob);
  return new Float32Array(copy.buffer);
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

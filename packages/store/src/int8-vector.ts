/**
 * A vector as int8 with one factor: scaled to unit length, then by its largest magnitude to ±127, so
 * `factor * Σ query[j] * data[j]` is its cosine with a unit query to within about 1 %. One function
 * for what is stored and what is appended in memory, so both round alike.
 */
export function quantizeUnit(vector: Float32Array): { factor: number; data: Int8Array } {
  let norm = 0;
  let max = 0;
  for (let j = 0; j < vector.length; j++) {
    const x = vector[j]!;
    norm += x * x;
    if (Math.abs(x) > max) max = Math.abs(x);
  }
  norm = Math.sqrt(norm);
  const data = new Int8Array(vector.length);
  if (max === 0 || norm === 0) return { factor: 0, data };
  const toInt8 = 127 / max;
  for (let j = 0; j < vector.length; j++) data[j] = Math.round(vector[j]! * toInt8);
  return { factor: max / norm / 127, data };
}

/** An int8 blob read from SQLite, as a view (no copy: it is read once, into a segment). */
export const blobToInt8 = (blob: Buffer): Int8Array => new Int8Array(blob.buffer, blob.byteOffset, blob.byteLength);

import { decodeVector, widen, type StoredVector } from './vector-codec';

/**
 * Where a `vectors` row's bytes are. An int8 vector that has a user is kept once, in its owner's
 * row of `owner_vectors` (the bytes its owner segment scans), with its own `data` left empty; every
 * other vector (float32, or without a user) is kept in `data`. Select these columns with the join
 * below, from `vectors` as `vec`, and read the vector with `storedVectorOf`.
 */
export const STORED_VECTOR_COLUMNS = 'vec.data AS data, ov.length AS owned_length, ov.data AS owned_data';
export const OWNED_COPY_JOIN = 'LEFT JOIN owner_vectors ov INDEXED BY owner_vectors_by_key ON length(vec.data) = 0 AND ov.key = vec.key';

/** A `FROM … WHERE …` clause over `vectors vec` with the owner copies joined in (before its first WHERE). */
export const withOwnedCopies = (fromWhere: string): string => fromWhere.replace(' WHERE ', ` ${OWNED_COPY_JOIN} WHERE `);

export interface StoredVectorRow {
  data: Buffer;
  owned_length: number | null;
  owned_data: Buffer | null;
}

/** The row's vector as stored; undefined when a kept-once vector lost its owner row (a damaged file). */
export function storedVectorOf(row: StoredVectorRow): StoredVector | undefined {
  if (row.data.byteLength > 0) return decodeVector(row.data);
  if (row.owned_data === null || row.owned_length === null) return undefined;
  // A copy: SQLite's buffers may be pooled.
  const data = new Int8Array(row.owned_data.byteLength);
  data.set(new Int8Array(row.owned_data.buffer, row.owned_data.byteOffset, row.owned_data.byteLength));
  return { scale: row.owned_length, data };
}

/** The rows' vectors as float32, with their keys; one lost with its owner row (a damaged file) is left out. */
export function presentVectors(rows: ReadonlyArray<StoredVectorRow & { key: number }>): Array<{ key: number; vector: Float32Array }> {
  return rows.flatMap((row) => {
    const stored = storedVectorOf(row);
    return stored === undefined ? [] : [{ key: row.key, vector: widen(stored) }];
  });
}

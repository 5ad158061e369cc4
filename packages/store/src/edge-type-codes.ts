import type { EdgeType } from '@neuromem/core';

/**
 * The number that stands for each edge type in `edges` (schema 13; before, its name, in the table's
 * key and again in `edges_in`: ~30 bytes a memory). Written to files: a code is never changed or
 * reused, and a new type takes the next one. `next` and `part_of`, one or two per turn, are 0 and 1,
 * which SQLite stores in no bytes at all.
 */
export const EDGE_TYPE_CODES: Readonly<Record<EdgeType, number>> = {
  next: 0,
  part_of: 1,
  same_entity: 2,
  causes: 3,
  supersedes: 4,
  consolidates: 5,
  related: 6,
};

const TYPE_OF_CODE: readonly EdgeType[] = Object.entries(EDGE_TYPE_CODES)
  .sort((a, b) => a[1] - b[1])
  .map(([type]) => type as EdgeType);

/** The type a stored code stands for. */
export const edgeTypeOf = (code: number): EdgeType => TYPE_OF_CODE[code]!;

/** SQL for the name of the type coded in `column`. */
export const EDGE_TYPE_NAME_SQL = (column: string) => `CASE ${column} ${TYPE_OF_CODE.map((type, code) => `WHEN ${code} THEN '${type}'`).join(' ')} END`;

/** SQL for the code of the type named by `expression` (NULL for no known type). */
export const EDGE_TYPE_CODE_SQL = (expression: string) => `CASE ${expression} ${TYPE_OF_CODE.map((type, code) => `WHEN '${type}' THEN ${code}`).join(' ')} END`;

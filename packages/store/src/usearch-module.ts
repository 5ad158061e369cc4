import { createRequire } from 'node:module';

/**
 * usearch, loaded through its CommonJS entry. Its ESM entry finds its native build by walking up
 * from `__dirname` when a global of that name exists, and `node -e` and the REPL define one as "."
 * — a relative path the walk never leaves, so a plain `import 'usearch'` there spins forever at
 * import time. The CommonJS entry uses its own module's `__dirname`, always absolute.
 */
const usearch: typeof import('usearch') = createRequire(import.meta.url)('usearch');

export const { Index, MetricKind, ScalarKind } = usearch;

/**
 * usearch's `exactSearch`, refusing arrays that do not start their buffer: usearch (2.26) reads the
 * dataset and the query from the start of their buffers, whatever their `byteOffset` (lib.cpp takes
 * `ArrayBuffer().Data()`), so a view into a larger buffer would be scored as the wrong rows, silently.
 * Callers copy such views first (owner-segment.ts `scan`).
 */
export const exactSearch: typeof usearch.exactSearch = (dataset, queries, ...rest) => {
  for (const array of [dataset, queries])
    if (ArrayBuffer.isView(array) && array.byteOffset !== 0)
      throw new RangeError(`usearch's exactSearch reads from the start of the buffer: pass an array with byteOffset 0 (got ${array.byteOffset}).`);
  return usearch.exactSearch(dataset, queries, ...rest);
};
export type Index = import('usearch').Index;
export type { Matches } from 'usearch';

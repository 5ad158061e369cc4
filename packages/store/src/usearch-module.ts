import { createRequire } from 'node:module';

/**
 * usearch, loaded through its CommonJS entry. Its ESM entry finds its native build by walking up
 * from `__dirname` when a global of that name exists, and `node -e` and the REPL define one as "."
 * — a relative path the walk never leaves, so a plain `import 'usearch'` there spins forever at
 * import time. The CommonJS entry uses its own module's `__dirname`, always absolute.
 */
const usearch: typeof import('usearch') = createRequire(import.meta.url)('usearch');

export const { Index, MetricKind, ScalarKind, exactSearch } = usearch;
export type Index = import('usearch').Index;
export type { Matches } from 'usearch';

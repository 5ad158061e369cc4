import { posix } from 'node:path';

/** The import the drop-in is reached by, in place of Mem0's own modules. */
export const DROP_IN = 'neuromem/mem0';

/** Mem0's public modules: `Memory` and its types. Imports of them are what a user switching changes. */
const PUBLIC_MODULES = new Set([
  'mem0-ts/src/oss/src',
  'mem0-ts/src/oss/src/index',
  'mem0-ts/src/oss/src/memory',
  'mem0-ts/src/oss/src/memory/index',
  'mem0-ts/src/oss/src/types',
  'mem0-ts/src/oss/src/types/index',
]);

/** A relative module named by an import, a require or a jest.mock / requireActual call. */
const SPECIFIER = /(\bfrom\s+|\brequire\(\s*|\bjest\.(?:mock|doMock|unmock|requireActual|requireMock)\(\s*|\bimport\(\s*)(['"])(\.{1,2}\/[^'"\n]+)\2/g;

export interface RewrittenTest {
  text: string;
  /** Each changed import, as `before -> after`. */
  changes: string[];
  /** Mem0's internal modules the test names (repository paths, no extension): inert stand-ins are written for them. */
  internals: string[];
}

/**
 * A Mem0 test changed only where a user's code changes: imports of Mem0's public modules
 * (`Memory`, its types) now name `neuromem/mem0`. Every other relative module the test imports or
 * mocks is one of Mem0's internals; it is listed so an inert stand-in can be put at its path (a
 * jest.mock of a missing module fails before any test runs, and the drop-in never loads them).
 */
export function rewriteTestFile(text: string, testPath: string): RewrittenTest {
  const changes: string[] = [];
  const internals = new Set<string>();
  const rewritten = text.replace(SPECIFIER, (whole, lead: string, quote: string, specifier: string) => {
    const module = posix.normalize(posix.join(posix.dirname(testPath), specifier)).replace(/\.(ts|js)$/, '');
    if (lead.startsWith('from') && PUBLIC_MODULES.has(module)) {
      const after = `${lead}${quote}${DROP_IN}${quote}`;
      changes.push(`${whole} -> ${after}`);
      return after;
    }
    internals.add(module);
    return whole;
  });
  return { text: rewritten, changes, internals: [...internals].sort() };
}

/**
 * An internal module's inert stand-in: every export is a callable, constructible object whose
 * members are the same, so a test can import, spy on or mock it, and nothing it does reaches Mem0.
 */
export const INERT_MODULE = `'use strict';
// A Mem0 internal module named by a test. neuromem/mem0 never loads Mem0's code; this stand-in only lets the test file load.
const inert = () =>
  new Proxy(function () {}, {
    get: (target, key) => (key === '__esModule' ? true : key === 'then' || typeof key === 'symbol' || key in target ? target[key] : (target[key] = inert())),
    apply: () => undefined,
    construct: () => inert(),
  });
module.exports = inert();
`;

import fc from 'fast-check';
import { NeuroMemError } from '@neuromem/core';
import { createTempDir } from '@neuromem/core/testing';
import type { Memory } from 'neuromem';
import { createFuzzTarget, loadSharedModels, type SharedModels } from './fuzz-target';
import { emptyTally, failuresOf, fuzzProperty, runFuzzOf } from './fuzz-memory';
import { FUZZED_METHODS, type FuzzedMethod } from './hostile-arbitraries';

const SEED = 12;
const NO_ARGUMENTS: readonly FuzzedMethod[] = ['reset', 'close'];

describe('the fuzz check of the memory methods', () => {
  let models: SharedModels;
  let holder: { target: Awaited<ReturnType<typeof createFuzzTarget>>; models: SharedModels };
  beforeAll(async () => {
    models = await loadSharedModels();
    holder = { target: await createFuzzTarget({ models }), models };
  });
  afterAll(() => holder.target.close());

  // fc.assert shrinks a failing case to a small one and prints it with the seed to replay it.
  it.each(FUZZED_METHODS)('should answer hostile input to %s() with a result or a NeuroMemError, unchanged on rejection', async (method) => {
    const tally = emptyTally();
    await fc.assert(fuzzProperty(holder, method, tally, { strict: true }), { numRuns: 120, seed: SEED });
    expect(tally.problems).toEqual([]);
    expect(tally.accepted).toBeGreaterThan(0);
    // reset() and close() take no arguments, so every call is one they must accept.
    expect(Object.values(tally.rejected).reduce((a, b) => a + b, 0) > 0).toBe(!NO_ARGUMENTS.includes(method));
  });

  it('should fill one row per method and one for the disk run', async () => {
    const dir = createTempDir();
    try {
      const result = await runFuzzOf({ quick: true, seed: SEED, workDir: `${dir.path}/db`, cases: 10, diskCases: 25 });
      expect(result.failures).toEqual([]);
      expect(result.rows.map((row) => row.check)).toEqual([...FUZZED_METHODS.map((method) => `fuzz ${method}()`), 'fuzz on disk (add, search, update, delete, deleteAll, close)']);
      expect(result.rows.every((row) => row.failures === 0 && /accepted, rejected/.test(row.detail))).toBe(true);
    } finally {
      dir.remove();
    }
  });

  const faulty: Array<[string, FuzzedMethod, (memory: Memory) => Memory, RegExp]> = [
    [
      'a raw TypeError',
      'search',
      (memory) => ({
        ...memory,
        search: async (query, options) => ((options as { kinds?: unknown })?.kinds !== undefined ? Promise.reject(new TypeError('kinds.map is not a function')) : memory.search(query, options)),
      }),
      /raw TypeError/,
    ],
    [
      'a change before a rejection',
      'deleteAll',
      (memory) => ({
        ...memory,
        deleteAll: async (ids) =>
          typeof ids === 'object' && ids !== null ? memory.deleteAll(ids) : (await memory.store.deleteWhere({}), Promise.reject(new NeuroMemError('INVALID_INPUT', 'bad', { module: 'test' }))),
      }),
      /changed/,
    ],
    ['a polluted prototype', 'getAll', (memory) => ({ ...memory, getAll: async (options) => (Object.assign(Object.prototype, { polluted: 'yes' }), memory.getAll(options)) }), /prototype gained/],
  ];

  it.each(faulty)('should count %s as a failure', async (_label, method, wrap, expected) => {
    const target = await createFuzzTarget({ models, wrap });
    try {
      const tally = emptyTally();
      await fc.check(fuzzProperty({ target, models, wrap }, method, tally, { strict: false }), { numRuns: 60, seed: SEED });
      expect(failuresOf(tally)).toBeGreaterThan(0);
      expect(tally.problems.join('\n')).toMatch(expected);
    } finally {
      await target.close();
    }
  });
});

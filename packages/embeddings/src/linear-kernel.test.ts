import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { applyLinear, createLinearScratch, type LinearWeights } from './apply-linear';
import { createLinearKernel } from './linear-kernel';

/** A seeded stream of floats in [-1, 1). */
function floats(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 31 - 1;
  };
}

function weights(inputs: number, outputs: number, seed: number, withBias: boolean): LinearWeights {
  const next = floats(seed);
  return {
    matrix: Float32Array.from({ length: inputs * outputs }, next),
    bias: withBias ? Float32Array.from({ length: outputs }, next) : undefined,
    inputs,
    outputs,
  };
}

/** An input with the given share of zeros (hashed words leave most dimensions empty). */
function input(inputs: number, seed: number, zeros: number): Float32Array {
  const next = floats(seed);
  return Float32Array.from({ length: inputs }, () => (Math.abs(next()) < zeros ? 0 : next()));
}

const expected = (w: LinearWeights, x: Float32Array) => {
  const sums = new Float32Array(w.outputs);
  applyLinear(w, x, sums, createLinearScratch(w.inputs));
  return sums;
};

describe('createLinearKernel', () => {
  const heads = [weights(384, 512, 1, false), weights(384, 256, 2, true), weights(384, 1024, 3, false), weights(5, 6, 4, true)];
  const kernel = createLinearKernel(heads);

  it('should run the WebAssembly kernel on Node', () => {
    expect(kernel.runs).toBe('wasm');
  });

  it.each([
    ['dense', 0],
    ['half empty', 0.5],
    ['nearly empty (a hashed word)', 0.95],
    ['empty', 1],
  ])('should give the same bits as applyLinear for %s inputs, with and without a bias', (_, zeros) => {
    for (const [i, w] of heads.entries()) {
      for (let seed = 0; seed < 5; seed++) {
        const x = input(w.inputs, 100 * i + seed, zeros);
        expect(Array.from(kernel.apply(w, x))).toEqual(Array.from(expected(w, x)));
      }
    }
  });

  it('should give the same bits for inputs whose non-zero count is not a multiple of eight', () => {
    const w = heads[0]!;
    for (const used of [1, 7, 8, 9, 15, 17, 383]) {
      const x = new Float32Array(w.inputs);
      const next = floats(used);
      for (let j = 0; j < used; j++) x[(j * 37) % w.inputs] = next();
      expect(Array.from(kernel.apply(w, x))).toEqual(Array.from(expected(w, x)));
    }
  });

  it('should apply a map whose outputs are not a multiple of four (rows padded in the kernel), with the same result', () => {
    const salience = weights(384, 1, 9, true);
    const both = createLinearKernel([heads[0]!, salience]);
    const x = input(384, 5, 0.2);
    expect(Array.from(both.apply(salience, x))).toEqual(Array.from(expected(salience, x)));
    expect(Array.from(both.apply(heads[0]!, x))).toEqual(Array.from(expected(heads[0]!, x)));
  });

  it('should apply weights it was not made with, in JavaScript, with the same result', () => {
    const other = weights(384, 12, 10, true);
    const x = input(384, 6, 0.4);
    expect(Array.from(kernel.apply(other, x))).toEqual(Array.from(expected(other, x)));
  });

  it('should give applyRows the bits of apply on the same sparse input, in WebAssembly and in JavaScript', () => {
    const w = heads[1]!; // with a bias
    const chosen = [3, 17, 200, 383, 42, 7, 99, 250, 11, 12];
    const values = chosen.map((_, t) => 0.1 * (t + 1) - 0.37);
    const x = new Float32Array(w.inputs);
    // apply visits the rows in index order: give applyRows the same order.
    const order = chosen.map((r, t) => [r, values[t]!] as const).sort((a, b) => a[0] - b[0]);
    for (const [r, v] of order) x[r] = v;
    const dense = Array.from(kernel.apply(w, x));
    const sparse = (by: ReturnType<typeof createLinearKernel>) =>
      Array.from(
        by.applyRows(
          w,
          order.map(([r]) => r),
          order.map(([, v]) => v),
          order.length,
        ),
      );
    expect(sparse(kernel)).toEqual(dense);
    const elsewhere = createLinearKernel([heads[0]!]); // w is not in its memory: JavaScript
    expect(sparse(elsewhere)).toEqual(dense);
  });

  it('should take more rows than its buffers hold, and the same row twice, with the bits of JavaScript', () => {
    const small = weights(50, 8, 21, false);
    const own = createLinearKernel([small]);
    const elsewhere = createLinearKernel([heads[0]!]);
    const next = floats(22);
    const chosen = Array.from({ length: 130 }, (_, t) => (t * 7) % 50);
    const values = chosen.map(() => next());
    expect(Array.from(own.applyRows(small, chosen, values, chosen.length))).toEqual(Array.from(elsewhere.applyRows(small, chosen, values, chosen.length)));
  });

  it('should multiply by a row written through rowOf', () => {
    const w = weights(16, 4, 23, false);
    for (const k of [createLinearKernel([w]), createLinearKernel([heads[0]!])]) {
      k.rowOf(w, 5).set([1, 2, 3, 4]);
      expect(Array.from(k.applyRows(w, [5], [0.5], 1))).toEqual([0.5, 1, 1.5, 2]);
    }
  });

  it('should keep each map apart when several share the kernel', () => {
    const x = input(384, 11, 0.3);
    const turn = Array.from(kernel.apply(heads[0]!, x));
    kernel.apply(heads[2]!, x);
    expect(Array.from(kernel.apply(heads[0]!, x))).toEqual(turn);
  });

  it('should ship the bytes its WebAssembly source compiles to', () => {
    const script = join(__dirname, '..', '..', '..', 'tools', 'wasm', 'build-linear-kernel.mjs');
    const check = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8', timeout: 60_000 });
    expect(check.stdout).toMatch(/is current/);
    expect(check.status).toBe(0);
  });
});

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

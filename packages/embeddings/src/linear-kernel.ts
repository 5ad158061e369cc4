import { accumulateRows, applyLinear, createLinearScratch, startLinear, startSums, type LinearInput, type LinearWeights } from './apply-linear';
import { LINEAR_KERNEL_WASM } from './linear-kernel-wasm';

/** Linear maps fixed at creation, applied to one input at a time. */
export interface LinearKernel {
  /**
   * `x · matrix (+ bias)` in float32, for weights the kernel was made with. The result is a view the
   * next call overwrites: read it (or copy it) first.
   */
  apply(weights: LinearWeights, x: LinearInput): Float32Array;
  /**
   * `Σ_t values[t] · matrix row rows[t] (+ bias)` for t < n: `apply` of an input that is `values` at
   * `rows` and 0 elsewhere (a row may come twice), without scanning the whole input. Same view rule.
   */
  applyRows(weights: LinearWeights, rows: ArrayLike<number>, values: ArrayLike<number>, n: number): Float32Array;
  /** Row `r` of the matrix the kernel multiplies by, writable: a change shows in the next products. */
  rowOf(weights: LinearWeights, r: number): Float32Array;
  /** `wasm`: the SIMD kernel; `js`: `applyLinear` (a runtime without WebAssembly SIMD). */
  readonly runs: 'wasm' | 'js';
}

interface KernelExports {
  memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  accumulate(matrix: number, rows: number, values: number, n: number, sums: number, outputs: number): void;
}

const PAGE_BYTES = 65_536;
/** Float32 outputs per SIMD step. */
const LANES = 4;
const align16 = (bytes: number) => Math.ceil(bytes / 16) * 16;

/**
 * The scale heads' matrix products in WebAssembly SIMD: the matrices are copied into the module's
 * memory once, and each product adds four float32 outputs per step in the same order as
 * `applyLinear`, so the results are bit-identical to it and faster. Float32 is the precision of the
 * weights and of the vectors that come out (stored as int8 at most), and it does twice the work of
 * float64 per step. Runtimes without WebAssembly SIMD use `applyLinear`.
 */
export function createLinearKernel(all: readonly LinearWeights[]): LinearKernel {
  const kernel = instantiate();
  if (kernel === undefined) return jsKernel(all);
  // Each matrix is stored with its rows padded to a whole number of SIMD steps (a salience head has
  // one output: its rows take four floats, three of them zero), so every map runs in the kernel.
  const strideOf = (weights: LinearWeights) => Math.ceil(weights.outputs / LANES) * LANES;
  const inputs = Math.max(1, ...all.map((w) => w.inputs));
  const outputs = Math.max(LANES, ...all.map(strideOf));
  const layout: Array<{ weights: LinearWeights; at: number; stride: number }> = [];
  let end = 0;
  for (const weights of new Set(all)) {
    const stride = strideOf(weights);
    layout.push({ weights, at: end, stride });
    end = align16(end + weights.inputs * stride * 4);
  }
  const rowsAt = end;
  const valuesAt = align16(rowsAt + inputs * 4);
  const sumsAt = align16(valuesAt + inputs * 4);
  const bytes = sumsAt + outputs * 4;
  const { memory, accumulate } = kernel;
  if (bytes > memory.buffer.byteLength) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE_BYTES));
  for (const { weights, at, stride } of layout) {
    const matrix = new Float32Array(memory.buffer, at, weights.inputs * stride);
    if (stride === weights.outputs) matrix.set(weights.matrix);
    else for (let j = 0; j < weights.inputs; j++) matrix.set(weights.matrix.subarray(j * weights.outputs, (j + 1) * weights.outputs), j * stride);
  }
  // The memory never grows again, so these views stay valid.
  const rows = new Int32Array(memory.buffer, rowsAt, inputs);
  const values = new Float32Array(memory.buffer, valuesAt, inputs);
  const sums = new Float32Array(memory.buffer, sumsAt, outputs);
  // Per map: where its matrix is, its row length, and its sums (padded, and as returned).
  const placed = new Map(layout.map(({ weights, at, stride }) => [weights, { at, stride, padded: sums.subarray(0, stride), out: sums.subarray(0, weights.outputs) }]));
  const others = jsKernel([]);

  return {
    runs: 'wasm',
    apply(weights, x) {
      const place = placed.get(weights);
      if (place === undefined) return others.apply(weights, x); // not given at creation: not in the module's memory
      const n = startLinear(weights, x, place.padded, rows, values, place.stride);
      accumulate(place.at, rowsAt, valuesAt, n, sumsAt, place.stride);
      return place.out;
    },
    applyRows(weights, chosen, weightsOfRows, n) {
      const place = placed.get(weights);
      if (place === undefined) return others.applyRows(weights, chosen, weightsOfRows, n);
      startSums(weights, place.padded);
      // In pieces the module's buffers hold, each a whole number of the kernel's groups of eight
      // rows, so the sums add in the same order as in one piece.
      const piece = rows.length >= 8 ? rows.length - (rows.length % 8) : rows.length;
      for (let from = 0; from < n; from += piece) {
        const count = Math.min(piece, n - from);
        for (let t = 0; t < count; t++) {
          rows[t] = chosen[from + t]! * place.stride;
          values[t] = weightsOfRows[from + t]!;
        }
        accumulate(place.at, rowsAt, valuesAt, count, sumsAt, place.stride);
      }
      return place.out;
    },
    rowOf(weights, r) {
      const place = placed.get(weights);
      if (place === undefined) return others.rowOf(weights, r);
      return new Float32Array(memory.buffer, place.at + r * place.stride * 4, weights.outputs);
    },
  };
}

/** The compiled module, or undefined where WebAssembly (with SIMD) is not available. */
function instantiate(): KernelExports | undefined {
  // The global, typed here: this package's TypeScript libs have no WebAssembly declarations.
  const wasm = (globalThis as { WebAssembly?: { Module: new (bytes: Uint8Array) => object; Instance: new (module: object) => { exports: unknown } } }).WebAssembly;
  if (wasm === undefined) return undefined;
  try {
    const module = new wasm.Module(Buffer.from(LINEAR_KERNEL_WASM, 'base64'));
    return new wasm.Instance(module).exports as KernelExports;
  } catch {
    return undefined;
  }
}

function jsKernel(all: readonly LinearWeights[]): LinearKernel {
  const scratch = createLinearScratch(Math.max(1, ...all.map((w) => w.inputs)));
  const sums = new Map(all.map((weights) => [weights, new Float32Array(weights.outputs)]));
  return {
    runs: 'js',
    apply(weights, x) {
      let out = sums.get(weights);
      if (out === undefined) sums.set(weights, (out = new Float32Array(weights.outputs)));
      applyLinear(weights, x, out, scratch.rows.length >= weights.inputs ? scratch : createLinearScratch(weights.inputs));
      return out;
    },
    applyRows(weights, chosen, weightsOfRows, n) {
      let out = sums.get(weights);
      if (out === undefined) sums.set(weights, (out = new Float32Array(weights.outputs)));
      const rows = new Int32Array(n);
      const values = new Float32Array(n);
      for (let t = 0; t < n; t++) {
        rows[t] = chosen[t]! * weights.outputs;
        values[t] = weightsOfRows[t]!;
      }
      startSums(weights, out);
      accumulateRows(weights.matrix, weights.outputs, rows, values, n, out);
      return out;
    },
    rowOf(weights, r) {
      return weights.matrix.subarray(r * weights.outputs, (r + 1) * weights.outputs);
    },
  };
}

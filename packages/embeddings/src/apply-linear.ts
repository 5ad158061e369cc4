/** One linear map: `output = input · matrix (+ bias)`, matrix [inputs x outputs] row-major. */
export interface LinearWeights {
  readonly matrix: Float32Array;
  /** Present on every head (undefined when none), so every call sees one object shape. */
  readonly bias: Float32Array | undefined;
  readonly inputs: number;
  readonly outputs: number;
}

/** An input vector: float32 (an embedding) or float64 (an intermediate result; rounded to float32 on the way in). */
export type LinearInput = Float32Array | Float64Array;

/** Buffers `applyLinear` reuses between calls, sized for `inputs` dimensions. */
export interface LinearScratch {
  readonly rows: Int32Array;
  readonly values: Float32Array;
}

export function createLinearScratch(inputs: number): LinearScratch {
  return { rows: new Int32Array(inputs), values: new Float32Array(inputs) };
}

const f32 = Math.fround;

/**
 * `sums = x · matrix (+ bias)` in float32, each product and each sum rounded on its own — the
 * arithmetic of the WebAssembly kernel (`linear-kernel.wat`), which this is the reference and the
 * fallback for. Only the non-zero inputs are visited (a hashed word has a few dozen of 384, a
 * sentence about half), and their matrix rows are added eight at a time, so each partial sum is
 * loaded and stored once per eight rows instead of once per row.
 */
export function applyLinear(weights: LinearWeights, x: LinearInput, sums: Float32Array, scratch: LinearScratch): void {
  const n = startLinear(weights, x, sums, scratch.rows, scratch.values);
  accumulateRows(weights.matrix, weights.outputs, scratch.rows, scratch.values, n, sums);
}

/**
 * `sums[k] += values[t] · m[rows[t] + k]` for t < n, eight rows at a time, each product and sum
 * rounded to float32 — the WebAssembly kernel's order and arithmetic (`linear-kernel.wat`).
 */
export function accumulateRows(m: Float32Array, outputs: number, rows: Int32Array, values: Float32Array, n: number, sums: Float32Array): void {
  let t = 0;
  for (; t + 8 <= n; t += 8) {
    const a0 = values[t]!,
      a1 = values[t + 1]!,
      a2 = values[t + 2]!,
      a3 = values[t + 3]!,
      a4 = values[t + 4]!,
      a5 = values[t + 5]!,
      a6 = values[t + 6]!,
      a7 = values[t + 7]!;
    const r0 = rows[t]!,
      r1 = rows[t + 1]!,
      r2 = rows[t + 2]!,
      r3 = rows[t + 3]!,
      r4 = rows[t + 4]!,
      r5 = rows[t + 5]!,
      r6 = rows[t + 6]!,
      r7 = rows[t + 7]!;
    for (let k = 0; k < outputs; k++) {
      let s = sums[k]!;
      s = f32(s + f32(a0 * m[r0 + k]!));
      s = f32(s + f32(a1 * m[r1 + k]!));
      s = f32(s + f32(a2 * m[r2 + k]!));
      s = f32(s + f32(a3 * m[r3 + k]!));
      s = f32(s + f32(a4 * m[r4 + k]!));
      s = f32(s + f32(a5 * m[r5 + k]!));
      s = f32(s + f32(a6 * m[r6 + k]!));
      sums[k] = s + f32(a7 * m[r7 + k]!);
    }
  }
  for (; t < n; t++) {
    const a = values[t]!;
    const r = rows[t]!;
    for (let k = 0; k < outputs; k++) sums[k] = sums[k]! + f32(a * m[r + k]!);
  }
}

/**
 * The first half of a linear map, shared with the WebAssembly kernel: the non-zero inputs into
 * `rows` (each one's matrix row offset, `j * stride`) and `values`, and `sums` set to the bias (or
 * 0; entries past `outputs` to 0). `stride` is the length of a stored matrix row: `outputs`, or more
 * when the kernel pads rows to its SIMD width. Returns how many inputs are non-zero.
 */
export function startLinear(weights: LinearWeights, x: LinearInput, sums: Float32Array, rows: Int32Array, values: Float32Array, stride = weights.outputs): number {
  const { inputs } = weights;
  let n = 0;
  for (let j = 0; j < inputs; j++) {
    const value = x[j]!;
    if (value !== 0) {
      rows[n] = j * stride;
      values[n++] = value;
    }
  }
  startSums(weights, sums);
  return n;
}

/** `sums` set to the map's bias (or 0), and 0 past its outputs (a padded row's extra lanes). */
export function startSums(weights: LinearWeights, sums: Float32Array): void {
  if (weights.bias === undefined) sums.fill(0);
  else {
    sums.set(weights.bias);
    sums.fill(0, weights.outputs);
  }
}

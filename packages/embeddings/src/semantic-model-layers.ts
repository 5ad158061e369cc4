import type { LinearWeights } from './apply-linear';
import { fastTanh } from './fast-tanh';
import { createLinearKernel } from './linear-kernel';
import type { SemanticModel } from './semantic-model';

/**
 * A semantic model's residual MLP, h = p + W2 tanh(W1 p + b1) + b2, for one pooled vector at a
 * time, on the linear kernel (WebAssembly SIMD where the runtime has it, in float32 like the
 * weights): its two 100 x 256 products were most of an encoding's cost in plain loops (about 135 µs
 * of a turn's 150).
 * Returns a new array.
 */
export function createSemanticModelLayers(model: SemanticModel): (pooled: Float64Array) => Float64Array {
  const { dimensions, hidden: size } = model;
  // The kernel multiplies `x · matrix`, [inputs x outputs]; the model stores each layer [outputs x inputs].
  const first: LinearWeights = { matrix: transpose(model.w1, size, dimensions), bias: model.b1, inputs: dimensions, outputs: size };
  const second: LinearWeights = { matrix: transpose(model.w2, dimensions, size), bias: model.b2, inputs: size, outputs: dimensions };
  const kernel = createLinearKernel([first, second]);
  const hidden = new Float64Array(size);
  return (pooled) => {
    // Each apply returns a view the next one overwrites: read the first before the second.
    const preActivation = kernel.apply(first, pooled);
    for (let j = 0; j < size; j++) hidden[j] = fastTanh(preActivation[j]!);
    const sums = kernel.apply(second, hidden);
    const out = new Float64Array(dimensions);
    for (let d = 0; d < dimensions; d++) out[d] = sums[d]! + pooled[d]!;
    return out;
  };
}

function transpose(matrix: Float32Array, rows: number, columns: number): Float32Array {
  const out = new Float32Array(matrix.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < columns; c++) out[c * rows + r] = matrix[r * columns + c]!;
  return out;
}

import { createErrorFactory } from '@neuromem/core';
import type { InferenceSession } from 'onnxruntime-node';
import { SCALE_HEADS_COMMAND } from './heads-manifest';
import type { OnnxRuntime } from './load-onnx-runtime';

const fail = createErrorFactory('embeddings');

/** A project-trained linear ONNX model: one float input 'input' [N, in], one output 'output' [N, out]. */
export interface OnnxLinearModel {
  /** Runs a batch in one inference call: the flat row-major output and its width. */
  run(vectors: readonly Float32Array[], inputDimensions: number): Promise<{ data: Float32Array; width: number }>;
}

/** Opens an ONNX file's bytes with onnxruntime-node (from `loadOnnxRuntime`). */
export async function openOnnxLinearModel(ort: OnnxRuntime, bytes: Uint8Array, path: string): Promise<OnnxLinearModel> {
  let model: InferenceSession;
  try {
    // The heads are small linear layers: one thread does them in microseconds, while a thread pool
    // spins idle workers that steal a core from the caller (and jitter every search on 2 cores).
    model = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential' });
  } catch (error) {
    throw fail('INVALID_INPUT', `${path} is not a valid ONNX model (${(error as Error).message}); regenerate it with \`${SCALE_HEADS_COMMAND}\`.`, { details: { path }, cause: error });
  }
  if (!model.inputNames.includes('input') || !model.outputNames.includes('output')) {
    throw fail('INVALID_INPUT', `${path} must have an input named 'input' and an output named 'output', has ${model.inputNames.join(', ')} -> ${model.outputNames.join(', ')}.`, { details: { path } });
  }
  return { run: (vectors, inputDimensions) => run(ort, model, vectors, inputDimensions) };
}

async function run(ort: OnnxRuntime, model: InferenceSession, vectors: readonly Float32Array[], inputDimensions: number): Promise<{ data: Float32Array; width: number }> {
  const input = new Float32Array(vectors.length * inputDimensions);
  vectors.forEach((vector, i) => input.set(vector, i * inputDimensions));
  const result = await model.run({ input: new ort.Tensor('float32', input, [vectors.length, inputDimensions]) });
  const output = result.output!;
  return { data: output.data as Float32Array, width: Number(output.dims[1]) };
}

import { createErrorFactory } from '@neuromem/core';

const fail = createErrorFactory('embeddings');

export type OnnxRuntime = typeof import('onnxruntime-node');

/**
 * onnxruntime-node is an optional peer dependency (its native code is ~200 MB and its install
 * script fetches CUDA files from outside the npm registry), so only the ONNX factories import it,
 * when they are called. `factory` names the caller in the error.
 */
export async function loadOnnxRuntime(factory: string): Promise<OnnxRuntime> {
  try {
    return await import('onnxruntime-node');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException)?.code;
    const missing = (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') && String((error as Error).message).includes('onnxruntime-node');
    if (missing) {
      throw fail(
        'NOT_FOUND',
        `${factory} needs onnxruntime-node, an optional peer dependency of @neuromem/embeddings: install it with \`npm install onnxruntime-node\`. The default heads (createLinearScaleHeads) run without it.`,
        {
          details: { package: 'onnxruntime-node' },
          cause: error,
        },
      );
    }
    throw fail(
      'UNSUPPORTED',
      `onnxruntime-node is installed but does not load on this machine (${(error as Error).message}); reinstall it (\`npm install onnxruntime-node\`) or use createLinearScaleHeads, which needs no native code.`,
      {
        details: { package: 'onnxruntime-node' },
        cause: error,
      },
    );
  }
}

import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.shared';

// shims: `__dirname` in the ESM build, to find the shipped heads/ folder.
// external: the optional peers stay dynamic `import()`s that run only when their factory is called.
export default defineConfig({ ...libraryBuild, entry: { index: 'src/index.ts' }, shims: true, external: ['onnxruntime-node', '@huggingface/transformers'] });

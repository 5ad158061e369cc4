import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.shared';

// Shims give the CommonJS build `import.meta.url`, which finds the worker file (create-annotator.ts).
export default defineConfig({ ...libraryBuild, shims: true, entry: { index: 'src/index.ts', 'annotate-worker': 'src/annotate-worker.ts' } });

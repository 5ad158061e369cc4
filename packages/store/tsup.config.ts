import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.shared';

// Shims give the CommonJS build `import.meta.url` (usearch-module.ts loads usearch through createRequire).
export default defineConfig({ ...libraryBuild, shims: true, entry: { index: 'src/index.ts' } });

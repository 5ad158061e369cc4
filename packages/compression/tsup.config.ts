import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.shared';

// Shims give the CommonJS build `import.meta.url`, from which an encoding's ranks are required (token-counter.ts).
export default defineConfig({ ...libraryBuild, shims: true, entry: { index: 'src/index.ts' } });

import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.shared';

// shims: `__dirname` in the ESM build, to find the shipped taxonomy/ folder.
export default defineConfig({ ...libraryBuild, entry: { index: 'src/index.ts' }, shims: true });

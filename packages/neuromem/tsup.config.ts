import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.shared';

export default defineConfig([
  { ...libraryBuild, entry: { index: 'src/index.ts', mem0: 'src/mem0/index.ts' } },
  // The CLI is an executable, not an import target: ESM only, no types.
  { entry: { cli: 'src/cli.ts' }, format: ['esm'], sourcemap: true, target: 'node20' },
]);

import { defineConfig } from 'tsup';

// An application: one ESM executable, no type declarations.
export default defineConfig({ entry: { cli: 'src/cli.ts' }, format: ['esm'], clean: true, sourcemap: true, target: 'node20' });

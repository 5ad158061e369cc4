import type { Options } from 'tsup';

/** Every publishable package ships ESM + CJS + type declarations for Node 20. */
export const libraryBuild = {
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
} satisfies Options;

import { defineConfig } from 'tsup';

// An application: one ESM executable (and the worker `fit-ranker` runs its fits on, and the process `cold-start` times), no type declarations. wink-nlp-utils is bundled only for its
// stop-word JSON, which Node's ESM loader would not import without an import attribute.
export default defineConfig({
  entry: { cli: 'src/cli.ts', 'fit-ranker-worker': 'src/ranker/fit-ranker-worker.ts', 'cold-start-child': 'src/cold-start/cold-start-child.ts' },
  format: ['esm'],
  clean: true,
  sourcemap: true,
  target: 'node20',
  noExternal: ['wink-nlp-utils'],
});

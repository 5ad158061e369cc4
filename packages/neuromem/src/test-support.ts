import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The built package, which child-process tests run exactly as users would. */
export const DIST = join(__dirname, '..', 'dist');

export function requireBuild(): void {
  if (!existsSync(join(DIST, 'index.js')) || !existsSync(join(DIST, 'cli.js'))) {
    throw new Error(`packages/neuromem/dist is missing: run "npm run build" first (npm test does it for you).`);
  }
}

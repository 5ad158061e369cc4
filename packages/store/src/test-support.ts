import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The built package, which child-process tests run exactly as users would. */
export const DIST = join(__dirname, '..', 'dist');

/**
 * Child processes run the build while the test runs the sources, so a build older than `source`
 * would test yesterday's code against today's.
 */
export function requireBuild(source: string): void {
  const entry = join(DIST, 'index.js');
  if (!existsSync(entry)) throw new Error(`packages/store/dist is missing: run "npm run build" first (npm test does it for you).`);
  if (statSync(entry).mtimeMs < statSync(join(__dirname, source)).mtimeMs) {
    throw new Error(`packages/store/dist is older than src/${source}: run "npm run build" first (npm test does it for you).`);
  }
}

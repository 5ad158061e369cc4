// The workspace as the root package.json declares it, shared by the repository's check scripts.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

/** Every workspace directory (relative to the root, sorted), expanding `dir/*` patterns. */
export function workspaceDirs() {
  const patterns = readJson(join(root, 'package.json')).workspaces ?? [];
  return patterns.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [pattern];
    const parent = join(root, pattern.slice(0, -2));
    return existsSync(parent)
      ? readdirSync(parent)
          .sort()
          .map((name) => `${pattern.slice(0, -2)}/${name}`)
      : [];
  });
}

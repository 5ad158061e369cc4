import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** What an interrupted atomic save leaves behind: `<file>.tmp-<pid>`. */
const TEMP_FILE = /\.tmp-\d+$/;

/**
 * Deletes temporary files left by saves that a crash interrupted. Only safe while holding the
 * directory's lock: then no other process can be writing one. `only` narrows them by name (an index
 * not opened yet may still need its own). Returns the names removed.
 */
export function removeLeftoverTempFiles(directory: string, only: (name: string) => boolean = () => true): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(directory)) {
    if (!TEMP_FILE.test(name) || !only(name)) continue;
    rmSync(join(directory, name), { force: true, recursive: true });
    removed.push(name);
  }
  return removed;
}

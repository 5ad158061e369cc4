import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The nearest folder above `from` with a package.json: apps/eval, whether this code runs from
 * src/paraphrase/ (jest) or bundled into dist/cli.js (the built `neuromem-eval`).
 */
function packageRoot(from: string): string {
  for (let directory = from; ; directory = dirname(directory)) {
    if (existsSync(join(directory, 'package.json'))) return directory;
    if (dirname(directory) === directory) return from;
  }
}

/** The shipped paraphrase benchmark (`data/paraphrase-v1.json`, LoCoMo format, written for this project). */
export const PARAPHRASE_DATA = join(packageRoot(dirname(fileURLToPath(import.meta.url))), 'data', 'paraphrase-v1.json');

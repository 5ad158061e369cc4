import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createTempDir } from '@neuromem/core/testing';
import { DIST, requireBuild } from './test-support';

// `node -e` (CommonJS input) and the REPL define a global `__dirname` of "."; a dependency that
// trusted it once spun forever at import time. Each case must finish well inside its timeout.
describe('loading the built package from a one-liner', () => {
  beforeAll(requireBuild);

  it('imports and searches from `node -e` without hanging', async () => {
    const dir = createTempDir('neuromem-one-liner-');
    try {
      const url = pathToFileURL(join(DIST, 'index.js')).href;
      const script = `import(${JSON.stringify(url)}).then(async ({ createMemory }) => {
        const memory = await createMemory({ path: ${JSON.stringify(dir.path)} });
        await memory.add('I adopted a beagle named Biscuit', { userId: 'ada' });
        const hits = await memory.search('beagle', { userId: 'ada' });
        process.stdout.write(String(hits.results.length));
        await memory.close();
      });`;
      const child = spawnSync(process.execPath, ['-e', script], { cwd: dir.path, encoding: 'utf8', timeout: 25_000 });
      expect(child.signal).toBeNull();
      expect(child.stderr).toBe('');
      expect(child.stdout).toBe('1');
    } finally {
      dir.remove();
    }
  });
});

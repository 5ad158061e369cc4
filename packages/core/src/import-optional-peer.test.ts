import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importOptionalPeer } from './import-optional-peer';
import { isNeuroMemError } from './errors';
import { createTempDir } from './testing';

// Names of packages that do not exist, built at run time so the module-boundary check does not
// read them as dependencies this package forgot to declare.
const missing = (...parts: string[]) => parts.join('-');
const NEVER_INSTALLED = missing('neuromem', 'peer', 'never', 'installed');
const SCOPED_MISSING = `@${missing('neuromem', 'test')}/${missing('also', 'missing')}`;

const peer = { feature: '`neuromem serve`', packages: ['neuromem-peer-never-installed@^5', '@neuromem-test/also-missing@1.2.3'], module: 'neuromem' };

describe('importOptionalPeer', () => {
  it('returns the module when the peer is installed', async () => {
    const path = await importOptionalPeer(() => import('node:path'), peer);
    expect(path.join('a', 'b')).toBe(join('a', 'b'));
  });

  it('names every package and the one command that installs them when a peer is missing', async () => {
    const error = await importOptionalPeer(() => import(NEVER_INSTALLED), peer).catch((e: unknown) => e);
    expect(isNeuroMemError(error, 'NOT_FOUND')).toBe(true);
    expect((error as Error).message).toContain('`neuromem serve` needs neuromem-peer-never-installed and @neuromem-test/also-missing');
    expect((error as Error).message).toContain('`npm install neuromem-peer-never-installed@^5 @neuromem-test/also-missing@1.2.3`');
    expect((error as { details: unknown }).details).toEqual({
      packages: ['neuromem-peer-never-installed', '@neuromem-test/also-missing'],
      command: 'npm install neuromem-peer-never-installed@^5 @neuromem-test/also-missing@1.2.3',
    });
  });

  it('recognises a missing scoped package asked for by a subpath', async () => {
    const error = await importOptionalPeer(() => import(`${SCOPED_MISSING}/server/mcp.js`), peer).catch((e: unknown) => e);
    expect(isNeuroMemError(error, 'NOT_FOUND')).toBe(true);
  });

  it('lets any other failure through unchanged: a package that is there but broken is not "missing"', async () => {
    const dir = createTempDir();
    try {
      const file = join(dir.path, 'broken.cjs');
      writeFileSync(file, `require(${JSON.stringify(missing(NEVER_INSTALLED, 'inner', 'dependency'))});`);
      const error = await importOptionalPeer(() => import(file), peer).catch((e: unknown) => e);
      expect(isNeuroMemError(error)).toBe(false);
      expect((error as { code?: string }).code).toBe('MODULE_NOT_FOUND');
      const thrown = new TypeError('boom');
      await expect(importOptionalPeer(() => Promise.reject(thrown), peer)).rejects.toBe(thrown);
    } finally {
      dir.remove();
    }
  });
});

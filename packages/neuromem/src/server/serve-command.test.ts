import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { createTempDir } from '@neuromem/core/testing';
import { requireBuild } from '../test-support';
import { requestJson } from './http-test-client';

const BIN = join(__dirname, '..', '..', 'bin', 'neuromem.mjs');
const run = promisify(execFile);
// Without a token, whatever the shell running the tests has set.
const { NEUROMEM_TOKEN: _token, ...env } = process.env;

// Each case starts the real CLI (a second or more to load on a busy machine).
jest.setTimeout(60_000);

describe('neuromem serve', () => {
  let dir: ReturnType<typeof createTempDir>;
  beforeAll(requireBuild);
  beforeEach(() => {
    dir = createTempDir();
  });
  afterEach(() => dir.remove());

  it('should print its URL, serve over HTTP, and on SIGTERM close the memory so a new process finds what it added', async () => {
    const db = join(dir.path, 'db');
    // With a storage budget for its idle sleeps, as an operator who keeps the store lean would start it.
    const server = spawn(process.execPath, [BIN, 'serve', '--db', db, '--port', '0', '--warm-share', '0.5'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    server.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = once(server, 'exit');
    try {
      const [url] = (await once(createInterface({ input: server.stdout }), 'line')) as [string];
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const added = await requestJson(url, 'POST', '/v1/memories', { body: { messages: 'I adopted a beagle named Biscuit', user_id: 'alice' } });
      expect(added.status).toBe(201);
      const id = added.body.results[0].id as string;

      server.kill('SIGTERM');
      const [code, signal] = await exited;
      expect({ code, signal, stderr }).toEqual({ code: 0, signal: null, stderr: expect.stringContaining('SIGTERM') });

      const { stdout } = await run(process.execPath, [BIN, '--db', db, '--json', 'get', id, '--user', 'alice']);
      expect(JSON.parse(stdout)).toMatchObject({ id, memory: 'I adopted a beagle named Biscuit', userId: 'alice' });
    } finally {
      server.kill('SIGKILL');
    }
  });

  it('should refuse to start on an address other machines reach without a token', async () => {
    const refused = await run(process.execPath, [BIN, 'serve', '--db', join(dir.path, 'db'), '--host', '0.0.0.0', '--port', '0'], { env }).catch(
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(refused).toMatchObject({ code: 2, stdout: '', stderr: expect.stringContaining('refusing to serve on 0.0.0.0 without a token') });
  });

  it('should refuse a storage budget that is not a share', async () => {
    const refused = await run(process.execPath, [BIN, 'serve', '--db', join(dir.path, 'db'), '--port', '0', '--warm-share', 'half']).catch((error: { code: number; stderr: string }) => error);
    expect(refused).toMatchObject({ code: 2, stderr: expect.stringContaining('warmShare') });
  });
});

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createTempDir, onLines } from '@neuromem/core/testing';
import { createMemory } from '../create-memory';
import { requireBuild } from '../test-support';

const BIN = join(__dirname, '..', '..', 'bin', 'neuromem.mjs');
const FLIGHT = 'I booked the flight to Lisbon for 14 June, it cost $420.';

/** Lists the tools, then remembers and recalls through them, as an agent would. */
async function rememberAndRecall(client: Client): Promise<string> {
  expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['remember', 'recall', 'search', 'forget', 'explain']);
  const { id } = (await client.callTool({ name: 'remember', arguments: { text: FLIGHT } })).structuredContent as { id: string };
  const recalled = await client.callTool({ name: 'recall', arguments: { query: 'How much did the Lisbon flight cost?' } });
  expect(recalled.structuredContent).toMatchObject({ text: expect.stringContaining('$420'), sources: [{ id }] });
  return id;
}

// Each case starts the CLI once (it loads the trained models).
jest.setTimeout(60_000);

describe('neuromem mcp', () => {
  let dir: ReturnType<typeof createTempDir>;
  beforeAll(requireBuild);
  beforeEach(() => {
    dir = createTempDir();
  });
  afterEach(() => dir.remove());

  it('should serve over stdio to the SDK client, and close the memory when the client goes', async () => {
    const db = join(dir.path, 'db');
    const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp', '--user', 'ana', '--db', db], stderr: 'pipe' });
    let stderr = '';
    transport.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const client = new Client({ name: 'neuromem-test', version: '1.0.0' });
    await client.connect(transport);
    const id = await rememberAndRecall(client);
    await client.close();
    expect(stderr).toContain('neuromem mcp: serving the memories of user ana over stdio');
    expect(stderr).toContain('neuromem mcp: stopped (end of stdin); the memory is closed');
    // The lock is released and the memory was stored for ana.
    const memory = await createMemory({ path: db });
    expect(await memory.get(id, { userId: 'ana' })).toMatchObject({ memory: FLIGHT });
    await memory.close();
  });

  it('should serve streamable HTTP with --http, print its URL, and stop cleanly on SIGTERM', async () => {
    // stdin at its end from the start, as under a service manager: only a signal stops an HTTP server.
    const child = spawn(process.execPath, [BIN, 'mcp', '--user', 'ana', '--db', join(dir.path, 'db'), '--http', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const lines: string[] = [];
    const url = await new Promise<string>((resolve, reject) => {
      onLines(child.stderr, (line) => {
        lines.push(line);
        const found = / at (http:\/\/127\.0\.0\.1:\d+\/mcp)$/.exec(line);
        if (found) resolve(found[1]!);
      });
      child.once('exit', (code) => reject(new Error(`neuromem mcp exited with ${code}: ${lines.join('\n')}`)));
    });
    const client = new Client({ name: 'neuromem-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    await rememberAndRecall(client);
    await client.close();
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    expect(await exited).toEqual([0, null]);
    expect(lines).toContain('neuromem mcp: stopped (SIGTERM); the memory is closed');
    expect(stdout).toBe('');
  });

  it('should refuse to start without --user', async () => {
    const child = spawn(process.execPath, [BIN, 'mcp', '--db', join(dir.path, 'db')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr).toContain("required option '--user <id>' not specified");
  });
});

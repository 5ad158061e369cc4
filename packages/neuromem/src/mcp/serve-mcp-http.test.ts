import { request } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createMemory, type Memory } from '../create-memory';
import { type McpHttpServer, serveMcpHttp } from './serve-mcp-http';

/** A raw request, to see what a non-MCP caller (or a web page by DNS rebinding) gets. */
function raw(url: string, options: { method?: string; path?: string; host?: string } = {}): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname,
        port,
        method: options.method ?? 'POST',
        path: options.path ?? '/mcp',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...(options.host ? { host: options.host } : {}) },
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(req.method === 'POST' ? JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) : undefined);
  });
}

describe('serveMcpHttp', () => {
  let memory: Memory;
  let served: McpHttpServer;
  beforeEach(async () => {
    memory = await createMemory({ requireScope: true });
    served = await serveMcpHttp({ memory, userId: 'ana', port: 0 });
  });
  afterEach(async () => {
    await served.close();
    await memory.close();
  });

  it('should serve the tools to the SDK client over streamable HTTP on loopback', async () => {
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const client = new Client({ name: 'neuromem-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(served.url)));
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['remember', 'recall', 'search', 'forget', 'explain']);
    const remembered = await client.callTool({ name: 'remember', arguments: { text: 'I booked the flight to Lisbon for 14 June, it cost $420.' } });
    const { id } = remembered.structuredContent as { id: string };
    expect(await memory.get(id, { userId: 'ana' })).toMatchObject({ userId: 'ana' });
    const recalled = await client.callTool({ name: 'recall', arguments: { query: 'How much did the Lisbon flight cost?' } });
    expect(recalled.structuredContent).toMatchObject({ text: expect.stringContaining('$420'), sources: [{ id }] });
    await client.close();
  });

  it('should refuse a Host header that names another machine, and anything but POST /mcp', async () => {
    const rebound = await raw(served.url, { host: 'evil.example:80' });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body).error.message).toMatch(/^\[neuromem\] \[mcp\] the Host header must name this machine/);
    expect((await raw(served.url, { host: `localhost:${new URL(served.url).port}` })).status).toBe(200);
    expect((await raw(served.url, { method: 'GET' })).status).toBe(405);
    expect((await raw(served.url, { path: '/other' })).status).toBe(404);
  });

  it('should refuse a port already taken, and free its own on close', async () => {
    const { port } = new URL(served.url);
    await expect(serveMcpHttp({ memory, userId: 'ana', port: Number(port) })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('EADDRINUSE') });
    await served.close();
    served = await serveMcpHttp({ memory, userId: 'ana', port: Number(port) });
    expect(new URL(served.url).port).toBe(port);
  });

  it('should refuse a bad port or user before listening', async () => {
    await expect(serveMcpHttp({ memory, userId: 'ana', port: 70_000 })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('port') });
    await expect(serveMcpHttp({ memory, userId: '', port: 0 })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('userId') });
  });
});

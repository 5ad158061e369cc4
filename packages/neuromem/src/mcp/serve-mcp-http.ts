import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createErrorFactory, importOptionalPeer } from '@neuromem/core';
import { MCP_SERVER_PEERS } from '../server-peers';
import { type CreateMcpServerOptions, createMcpServer } from './create-mcp-server';

const fail = createErrorFactory('mcp');

export interface ServeMcpHttpOptions extends CreateMcpServerOptions {
  /** Port to listen on; 0 picks a free one (see `url`). Default 8788. */
  port?: number;
  /**
   * Interface to listen on. Default `127.0.0.1`: the server has no authentication, so anything
   * that can reach the port acts as the user. On a loopback host, requests whose `Host` header
   * names another host are refused (a web page cannot reach it by DNS rebinding).
   */
  host?: string;
}

export interface McpHttpServer {
  /** The endpoint MCP clients connect to, e.g. `http://127.0.0.1:8788/mcp`. */
  readonly url: string;
  /** Stops listening and ends open connections. The memory stays open. */
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/**
 * Serves `createMcpServer()` over MCP's streamable HTTP transport at `/mcp`, statelessly: every
 * POST gets its own server and transport (cheap: five tool definitions), so no session can leak
 * between clients and a dropped client leaves nothing behind.
 */
export async function serveMcpHttp(options: ServeMcpHttpOptions): Promise<McpHttpServer> {
  const { port = 8788, host = '127.0.0.1', ...serverOptions } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw fail('INVALID_INPUT', `port must be an integer from 0 to 65535, got ${port}.`, { details: { field: 'port' } });
  // Checked now rather than on the first request: a bad user id should stop the server from starting.
  await createMcpServer(serverOptions);
  const { StreamableHTTPServerTransport } = await importOptionalPeer(() => import('@modelcontextprotocol/sdk/server/streamableHttp.js'), MCP_SERVER_PEERS);
  const guardHost = LOOPBACK.has(host);

  const http = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) reply(res, 500, error instanceof Error ? error.message : String(error));
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (guardHost && !LOOPBACK.has(hostnameOf(req.headers.host)))
      return refuse(req, res, 403, `the Host header must name this machine (localhost, 127.0.0.1 or [::1]), got ${req.headers.host ?? 'none'}.`);
    if (url.pathname !== '/mcp') return refuse(req, res, 404, 'the MCP endpoint is /mcp.');
    // Stateless: no server-to-client stream (GET) and no session to end (DELETE).
    if (req.method !== 'POST') return refuse(req, res, 405, 'send MCP messages as POST /mcp; this server keeps no sessions.', { Allow: 'POST' });
    const server = await createMcpServer(serverOptions);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res);
  }

  await new Promise<void>((resolve, reject) => {
    http.once('error', (error: NodeJS.ErrnoException) =>
      reject(fail('INVALID_INPUT', `cannot listen on ${host}:${port} (${error.code ?? error.message}); choose another --port or --host.`, { cause: error, details: { field: 'port' } })),
    );
    http.listen(port, host, resolve);
  });
  const address = http.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shown}:${address.port}/mcp`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        http.close((error) => (error ? reject(error) : resolve()));
        http.closeAllConnections();
      }),
  };
}

/** The host name of a Host header, without its port: `127.0.0.1:8788` -> `127.0.0.1`, `[::1]:80` -> `[::1]`. */
function hostnameOf(header: string | undefined): string {
  const host = (header ?? '').toLowerCase();
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : (host.split(':')[0] ?? '');
}

/** Answers once the request body is read: closing on a client still sending would reset its connection before it sees why. */
async function refuse(req: IncomingMessage, res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): Promise<void> {
  req.resume();
  if (!req.readableEnded) await once(req, 'end');
  reply(res, status, message, headers);
}

function reply(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: `[neuromem] [mcp] ${message}` }, id: null }));
}

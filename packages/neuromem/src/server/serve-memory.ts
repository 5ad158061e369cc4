import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { isLoopback, normalizeTokens } from './bearer-auth';
import { createMemoryServer, type MemoryServerOptions } from './create-memory-server';
import { failServer } from './http-errors';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 8787;

export interface ServeMemoryOptions extends MemoryServerOptions {
  /** The address to bind. Default `127.0.0.1` (this machine only); any non-loopback address needs `tokens`. */
  host?: string;
  /** The port; 0 picks a free one (read it from `url`). Default 8787. */
  port?: number;
}

/** A listening memory server. */
export interface RunningMemoryServer {
  /** Where it listens, e.g. `http://127.0.0.1:8787`. */
  readonly url: string;
  /** The fastify instance. */
  readonly server: FastifyInstance;
  /** Stops accepting connections and resolves once the requests in flight are answered. The memory stays open. */
  close(): Promise<void>;
}

/**
 * Refuses what would expose every user's memories: a server without tokens on an address other
 * machines can reach.
 */
export function checkBinding(host: string, tokens: MemoryServerOptions['tokens']): void {
  if (typeof host !== 'string' || host === '') throw failServer('INVALID_INPUT', 'host must be an address to bind, e.g. 127.0.0.1.', { details: { field: 'host' } });
  if (normalizeTokens(tokens).length === 0 && !isLoopback(host)) {
    throw failServer(
      'INVALID_INPUT',
      `refusing to serve on ${host} without a token: anyone who can reach it could read every user's memories. Set a token (neuromem serve --token, or NEUROMEM_TOKEN; tokens in code) or bind 127.0.0.1.`,
      { details: { field: 'host' } },
    );
  }
}

/** `createMemoryServer()`, checked for a safe binding, then listening; what `neuromem serve` runs. */
export async function serveMemory(options: ServeMemoryOptions): Promise<RunningMemoryServer> {
  const host = options.host ?? DEFAULT_HOST;
  const port = options.port ?? DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw failServer('INVALID_INPUT', `port must be a whole number from 0 to 65535, got ${port}.`, { details: { field: 'port' } });
  checkBinding(host, options.tokens);
  const server = await createMemoryServer(options);
  try {
    await server.listen({ host, port });
  } catch (error) {
    await server.close();
    if ((error as { code?: string }).code === 'EADDRINUSE') {
      throw failServer('CONFLICT', `port ${port} on ${host} is already in use; pick another port (0 takes any free one).`, { cause: error, details: { field: 'port' } });
    }
    throw error;
  }
  const address = server.server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  return { url, server, close: () => server.close() };
}

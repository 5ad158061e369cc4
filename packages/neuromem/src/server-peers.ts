import type { OptionalPeer } from '@neuromem/core';

// The servers' packages are optional peer dependencies (about 40 MB of node_modules that an app
// embedding a memory never loads). Ranges match the versions this package is tested with.

/** What the REST server (`neuromem serve`, `createMemoryServer`) imports when it starts. */
export const REST_SERVER_PEERS: OptionalPeer = {
  feature: 'The REST server (`neuromem serve`, createMemoryServer)',
  packages: ['fastify@^5.12.8', '@fastify/swagger@^9.9.3', '@fastify/rate-limit@^11.2.0'],
  module: 'server',
};

/** What the MCP server (`neuromem mcp`, `createMcpServer`, `serveMcpHttp`) imports when it starts. */
export const MCP_SERVER_PEERS: OptionalPeer = {
  feature: 'The MCP server (`neuromem mcp`, createMcpServer)',
  packages: ['@modelcontextprotocol/sdk@^1.32.2', 'zod@^4.6.7'],
  module: 'mcp',
};

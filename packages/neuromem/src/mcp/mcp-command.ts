import { resolve } from 'node:path';
import type { Command } from 'commander';
import { importOptionalPeer } from '@neuromem/core';
import { createMemory } from '../create-memory';
import { MCP_SERVER_PEERS } from '../server-peers';
import { createMcpServer } from './create-mcp-server';
import { serveMcpHttp } from './serve-mcp-http';

interface McpCommandOptions {
  user: string;
  agent?: string;
  http?: boolean;
  port: string;
  host: string;
  warmShare?: string;
}

/**
 * `neuromem mcp --user <id>`: one user's memories as MCP tools, over stdio (what Claude Desktop and
 * Cursor spawn) or, with `--http`, streamable HTTP. Stdout carries the protocol only; what a person
 * should read goes to stderr. SIGTERM, SIGINT or the end of stdin (stdio) closes the memory cleanly.
 */
export function registerMcpCommand(program: Command): void {
  program
    .command('mcp')
    .description("serve one user's memories to an AI agent over the Model Context Protocol (tools: remember, recall, search, forget, explain)")
    .requiredOption('--user <id>', 'the user every tool acts for (an agent cannot reach anyone else)')
    .option('--agent <id>', "only this agent's memories of the user")
    .option('--http', 'serve streamable HTTP at http://<host>:<port>/mcp instead of stdio')
    .option('--port <n>', 'HTTP port (0 picks a free one)', '8788')
    .option('--host <host>', 'HTTP interface; there is no authentication, so keep it on loopback', '127.0.0.1')
    .option('--warm-share <share>', "a storage budget for its idle sleeps: only this share (0-1) of each user's memories keeps its vectors, the most useful; the rest fade to text, words and links")
    .action(async (o: McpCommandOptions, command: Command) => {
      const { db } = command.optsWithGlobals<{ db: string }>();
      // A long-lived server: it sleeps once quiet, as `neuromem serve` does.
      const memory = await createMemory({ path: resolve(db), requireScope: true, background: true, ...(o.warmShare !== undefined ? { tiers: { warmShare: Number(o.warmShare) } } : {}) });
      const owner = { memory, userId: o.user, ...(o.agent !== undefined ? { agentId: o.agent } : {}) };
      // The one user's first recall then costs what later ones do; a failure shows on that call instead.
      void memory.prefetch({ userId: owner.userId, ...(owner.agentId !== undefined ? { agentId: owner.agentId } : {}) }).catch(() => undefined);
      let reason: string;
      try {
        if (o.http) {
          const http = await serveMcpHttp({ ...owner, port: Number(o.port), host: o.host });
          console.error(`neuromem mcp: serving the memories of user ${o.user} over streamable HTTP at ${http.url}`);
          reason = await stopped(false);
          await http.close();
        } else {
          const server = await createMcpServer(owner);
          const { StdioServerTransport } = await importOptionalPeer(() => import('@modelcontextprotocol/sdk/server/stdio.js'), MCP_SERVER_PEERS);
          await server.connect(new StdioServerTransport());
          console.error(`neuromem mcp: serving the memories of user ${o.user} over stdio`);
          reason = await stopped(true);
          await server.close();
        }
      } finally {
        await memory.close();
      }
      console.error(`neuromem mcp: stopped (${reason}); the memory is closed`);
    });
}

/** Resolves with the reason on SIGTERM or SIGINT, or (for stdio, where the client owns our stdin) when stdin ends. */
function stopped(onStdinEnd: boolean): Promise<string> {
  return new Promise((done) => {
    const stop = (reason: string) => () => {
      process.off('SIGTERM', onTerm).off('SIGINT', onInt);
      process.stdin.off('end', onEnd);
      done(reason);
    };
    const onTerm = stop('SIGTERM');
    const onInt = stop('SIGINT');
    const onEnd = stop('end of stdin');
    process.once('SIGTERM', onTerm).once('SIGINT', onInt);
    if (onStdinEnd) process.stdin.once('end', onEnd);
  });
}

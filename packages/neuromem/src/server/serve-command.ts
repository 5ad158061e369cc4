import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { createMemory } from '../create-memory';
import { failServer } from './http-errors';
import { checkBinding, DEFAULT_HOST, DEFAULT_PORT, serveMemory } from './serve-memory';

interface ServeOptions {
  host: string;
  port: string;
  token?: string;
  bodyLimit?: string;
  rateLimit: string;
  warmShare?: string;
}

const wholeNumber = (value: string, flag: string, min: number) => {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min)
    throw failServer('INVALID_INPUT', `${flag} takes a whole number${min > 0 ? ` of at least ${min}` : ''}, got ${JSON.stringify(value)}.`, { details: { field: flag } });
  return number;
};

/**
 * `neuromem serve`: the memory in `--db` over HTTP until SIGINT or SIGTERM, which stop accepting,
 * answer the requests in flight, close the memory (flushing it to disk) and exit 0.
 */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the memory over HTTP (REST under /v1, OpenAPI at /openapi.json) until Ctrl-C or SIGTERM')
    .option('--host <address>', 'address to bind; anything but loopback needs a token', DEFAULT_HOST)
    .option('--port <port>', 'port to listen on (0: any free one; the URL is printed)', String(DEFAULT_PORT))
    .addOption(new Option('--token <token>', 'bearer token every request must carry (prefer NEUROMEM_TOKEN: arguments show in ps)').env('NEUROMEM_TOKEN'))
    .option('--body-limit <bytes>', 'largest request body in bytes (default 1 MiB)')
    .option('--rate-limit <requests>', 'requests per minute per client address; 0 turns the limit off', '1000')
    .option('--warm-share <share>', "a storage budget for its idle sleeps: only this share (0-1) of each user's memories keeps its vectors, the most useful; the rest fade to text, words and links")
    .action(async (o: ServeOptions) => {
      const port = wholeNumber(o.port, '--port', 0);
      const rate = wholeNumber(o.rateLimit, '--rate-limit', 0);
      const tokens = o.token === undefined ? [] : [o.token];
      // Checked before the database is opened, so a refused start changes nothing.
      checkBinding(o.host, tokens);
      // A server lives long: it sleeps once quiet (consolidation, expiries, and pre-loading the users it expects).
      const memory = await createMemory({
        path: resolve(program.opts<{ db: string }>().db),
        requireScope: true,
        background: true,
        ...(o.warmShare !== undefined ? { tiers: { warmShare: Number(o.warmShare) } } : {}),
      });
      let running: Awaited<ReturnType<typeof serveMemory>>;
      try {
        running = await serveMemory({
          memory,
          host: o.host,
          port,
          tokens,
          ...(o.bodyLimit === undefined ? {} : { bodyLimit: wholeNumber(o.bodyLimit, '--body-limit', 1) }),
          rateLimit: rate === 0 ? false : { max: rate, timeWindowMs: 60_000 },
          logger: { level: 'warn', stream: process.stderr },
        });
      } catch (error) {
        await memory.close();
        throw error;
      }
      console.log(running.url);

      let stopping = false;
      const stop = async (signal: NodeJS.Signals) => {
        if (stopping) {
          console.error(`neuromem: ${signal} again, stopping without waiting`);
          process.exit(1);
        }
        stopping = true;
        console.error(`neuromem: ${signal}: answering the requests in flight, then closing the memory (${signal} again stops at once)`);
        try {
          await running.close();
          await memory.close();
          process.exit(0);
        } catch (error) {
          console.error(`neuromem: could not close cleanly: ${error instanceof Error ? error.message : String(error)}`);
          process.exit(1);
        }
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
}

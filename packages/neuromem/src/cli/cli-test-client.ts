import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { DIST } from '../test-support';

const run = promisify(execFile);

export interface CliRun {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs the built `neuromem` on `db` as a user would, and returns what it printed and its exit code. */
export async function neuromem(db: string, ...args: string[]): Promise<CliRun> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(DIST, 'cli.js'), '--db', db, ...args]);
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as CliRun;
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

/** The first id a `neuromem add` printed. */
export const addedId = (added: CliRun): string => /added (\S+)/.exec(added.stdout)![1]!;

/**
 * Starts `neuromem serve` on `db` (a process that holds the memory until it is killed) and resolves
 * once it listens. Kill it with `stop()`; it closes the memory on SIGTERM.
 */
export async function holdMemory(db: string): Promise<{ process: ChildProcess; stop: () => Promise<void> }> {
  const server = spawn(process.execPath, [join(DIST, 'cli.js'), '--db', db, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  server.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = once(server, 'exit');
  await Promise.race([once(createInterface({ input: server.stdout! }), 'line'), exited.then(() => Promise.reject(new Error(`neuromem serve exited before it listened: ${stderr}`)))]);
  return {
    process: server,
    async stop() {
      if (server.exitCode === null) server.kill('SIGTERM');
      await exited;
    },
  };
}

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createErrorFactory } from '@neuromem/core';
import { onLines } from '@neuromem/core/testing';

const fail = createErrorFactory('eval');

/**
 * The built `neuromem` package as a `file:` URL. Children run the published entry point, exactly as
 * users do, never the TypeScript sources a test runner maps imports to.
 */
export function builtNeuromemUrl(): string {
  const root = dirname(createRequire(import.meta.url).resolve('neuromem/package.json'));
  const entry = join(root, 'dist', 'index.js');
  if (!existsSync(entry)) throw fail('INVALID_INPUT', `${entry} is missing: run "npm run build" first.`);
  return pathToFileURL(entry).href;
}

/** One JSON line a child printed after a call returned (or before it started). */
export type ChildLine = { t: string } & Record<string, unknown>;

export interface ChildRun {
  lines: ChildLine[];
  /** True when the parent killed the child; false when it exited on its own. */
  killed: boolean;
  code: number | null;
  stderr: string;
}

/**
 * Runs an ESM `script` in a fresh Node process and SIGKILLs it `delayMs` after `killAfter` first
 * returns a number for a printed line. A child that never gets there is killed after `timeoutMs`
 * and reported as not killed by the check.
 */
export function runChild(script: string, killAfter: (line: ChildLine) => number | undefined, timeoutMs = 120_000): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: ChildLine[] = [];
    let stderr = '';
    let killed = false;
    let scheduled = false;
    const timeout = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    onLines(child.stdout, (text) => {
      const line = parseLine(text);
      lines.push(line);
      const delayMs = scheduled ? undefined : killAfter(line);
      if (delayMs === undefined) return;
      scheduled = true;
      setTimeout(() => {
        killed = child.exitCode === null && child.signalCode === null;
        child.kill('SIGKILL');
      }, delayMs);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timeout);
      resolve({ lines, killed, code, stderr });
    });
  });
}

function parseLine(text: string): ChildLine {
  try {
    return JSON.parse(text) as ChildLine;
  } catch {
    return { t: 'text', text }; // a stray print (a warning): kept for the failure report
  }
}

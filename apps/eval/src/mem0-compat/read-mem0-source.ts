import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createErrorFactory } from '@neuromem/core';

const fail = createErrorFactory('eval');

/** Files of a Mem0 repository, read from a checkout or straight from its git directory (no work tree needed). */
export interface Mem0Source {
  /** Where it was read from, and the commit when known. */
  location: string;
  commit: string;
  /** Paths under `folder` (repository-relative, `/`-separated). */
  list(folder: string): string[];
  read(path: string): string;
}

const OSS_TESTS = 'mem0-ts/src/oss/tests';

/**
 * Opens `location`: a Mem0 checkout (holding mem0-ts/), or a git directory of the repository
 * (a bare clone or a checkout's .git), read at HEAD with `git show`.
 */
export function openMem0Source(location: string): Mem0Source {
  if (existsSync(join(location, OSS_TESTS))) {
    return {
      location,
      commit: gitOrUnknown(['-C', location, 'rev-parse', 'HEAD']),
      list: (folder) => walk(join(location, folder)).map((file) => relative(location, file).split('\\').join('/')),
      read: (path) => readFileSync(join(location, path), 'utf8'),
    };
  }
  const commit = gitOrUnknown(['--git-dir', location, 'rev-parse', 'HEAD']);
  if (commit === 'unknown') {
    throw fail('INVALID_INPUT', `--mem0 ${location} is neither a Mem0 checkout (with ${OSS_TESTS}) nor a git directory of one; clone https://github.com/mem0ai/mem0 and pass its path.`, {
      details: { field: '--mem0' },
    });
  }
  return {
    location,
    commit,
    list: (folder) => git(['--git-dir', location, 'ls-tree', '-r', '--name-only', 'HEAD', '--', folder]).split('\n').filter(Boolean),
    read: (path) => git(['--git-dir', location, 'show', `HEAD:${path}`]),
  };
}

function git(args: string[]): string {
  return execFileSync('git', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
}

function gitOrUnknown(args: string[]): string {
  try {
    return git(args).trim();
  } catch {
    return 'unknown';
  }
}

function walk(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

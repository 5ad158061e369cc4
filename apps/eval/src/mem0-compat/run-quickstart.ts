import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface QuickstartResult {
  /** The script run: the quickstart's code blocks in order, only the import changed. */
  script: string;
  exitCode: number | null;
  /** Memories the final `console.log(results)` printed. */
  results: number;
  output: string;
}

const MEM0_IMPORT = /(['"])mem0ai\/oss\1/g;

/**
 * The code of Mem0's Node quickstart (docs/open-source/node-quickstart.mdx): the TypeScript blocks
 * of its "Install and run your first memory" steps, in order.
 */
export function quickstartCode(mdx: string): string {
  const start = mdx.indexOf('## Install and run your first memory');
  const end = mdx.indexOf('\n## ', start + 1);
  const steps = mdx.slice(start === -1 ? 0 : start, end === -1 ? undefined : end);
  return [...steps.matchAll(/```(?:ts|typescript|js|javascript)\n([\s\S]*?)```/g)].map((block) => block[1]!.trim()).join('\n\n');
}

/**
 * Runs the quickstart unchanged but for its import (`mem0ai/oss` -> the target), as an ES module in
 * `directory` with HOME there, so its default on-disk memory lands there too. `neuromem` is linked
 * into the directory's node_modules, so `neuromem/mem0` resolves as in a user's project.
 */
export function runQuickstart(mdx: string, directory: string, target: { esm: string; packageRoot: string }): QuickstartResult {
  const script = quickstartCode(mdx).replace(MEM0_IMPORT, (_whole, quote: string) => `${quote}${target.esm}${quote}`);
  const home = join(directory, 'home');
  mkdirSync(join(directory, 'node_modules'), { recursive: true });
  mkdirSync(home, { recursive: true });
  symlinkSync(target.packageRoot, join(directory, 'node_modules', 'neuromem'), 'dir');
  writeFileSync(join(directory, 'quickstart.mjs'), `${script}\n`);
  const run = spawnSync(process.execPath, ['quickstart.mjs'], {
    cwd: directory,
    env: { ...process.env, HOME: home, USERPROFILE: home, NODE_OPTIONS: '' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  return { script, exitCode: run.status, results: (run.stdout?.match(/^\s+memory: /gm) ?? []).length, output };
}

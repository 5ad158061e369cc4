#!/usr/bin/env node
// Bin check: every bin any workspace package declares (packages/*, apps/*, private ones included,
// found afresh on every run) works as the README says right after `npm ci && npm run build`:
//   - its target is a committed file, not a build output: npm ci links a bin only when its target
//     exists, and dist/ is built after the install (so a bin pointing into dist/ is never linked);
//   - npm ci linked it (node_modules/.bin/<name> resolves to that target);
//   - `npx --no-install <name> --help` exits 0 and prints something.
// Exits 1 on any failure.
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { readJson, root, workspaceDirs } from './workspaces.mjs';

const dirs = workspaceDirs();
const gitAvailable = spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: root, encoding: 'utf8' }).stdout?.trim() === 'true';

const failures = [];
let count = 0;
for (const dir of dirs) {
  if (!existsSync(join(root, dir, 'package.json'))) continue;
  const manifest = readJson(join(root, dir, 'package.json'));
  const bins = typeof manifest.bin === 'string' ? { [manifest.name.replace(/^@[^/]+\//, '')]: manifest.bin } : (manifest.bin ?? {});
  for (const [name, target] of Object.entries(bins)) {
    count++;
    const file = join(root, dir, target);
    const problems = [];
    if (gitAvailable) {
      const ignored = spawnSync('git', ['check-ignore', '-q', '--no-index', file], { cwd: root }).status === 0;
      if (ignored)
        problems.push(
          `its target ${dir}/${target.replace(/^\.\//, '')} is a build output (git-ignored), so npm ci cannot link it before the build: point the bin at a committed shim (see packages/neuromem/bin/neuromem.mjs)`,
        );
    }
    const link = join(root, 'node_modules', '.bin', name);
    if (!existsSync(link)) problems.push(`npm ci did not link node_modules/.bin/${name}`);
    else if (existsSync(file) && realpathSync(link) !== realpathSync(file)) problems.push(`node_modules/.bin/${name} points at ${realpathSync(link)}, not ${file} (run npm install)`);
    let status = 'not run';
    if (existsSync(link)) {
      const started = Date.now();
      const run = spawnSync('npx', ['--no-install', name, '--help'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
      status = `exit ${run.status ?? run.signal}, ${Date.now() - started} ms`;
      if (run.status !== 0 || !run.stdout.trim()) {
        const why = `${run.stderr}\n${run.stdout}`
          .split('\n')
          .map((line) => line.trim())
          .filter((line) => line && !/^npm warn/i.test(line))
          .slice(0, 3)
          .join(' | ');
        problems.push(`npx --no-install ${name} --help failed (${status}): ${why}`);
      }
    }
    console.log(`${problems.length === 0 ? 'ok  ' : 'FAIL'}  ${name.padEnd(16)} ${`${dir}/${target.replace(/^\.\//, '')}`.padEnd(40)} --help: ${status}`);
    for (const problem of problems) failures.push(`${name}: ${problem}`);
  }
}
if (failures.length > 0) {
  console.log(`\nbin-check FAILED (${failures.length}):`);
  for (const failure of failures) console.log(`  - ${failure}`);
  process.exit(1);
}
console.log(`bin-check passed: ${count} bins`);

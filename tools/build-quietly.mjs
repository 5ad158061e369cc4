#!/usr/bin/env node
// Builds one Nx project and what it depends on, printing Nx's output only when the build fails, so
// `npm run chat` opens on the chat rather than on a page of build logs.
import { spawnSync } from 'node:child_process';

const project = process.argv[2];
if (!project) {
  process.stderr.write('usage: node tools/build-quietly.mjs <nx project>\n');
  process.exit(2);
}
const result = spawnSync('npx', ['nx', 'run', `${project}:build`, '--outputStyle=static'], { encoding: 'utf8', env: { ...process.env, NX_TUI: 'false' } });
if (result.status !== 0) {
  process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}\nbuilding ${project} failed (see above).\n`);
  process.exit(result.status ?? 1);
}

#!/usr/bin/env node
// Pack check: packs every publishable workspace package (each packages/* and apps/* package.json
// without "private": true, found afresh on every run), installs all the tarballs together into an
// empty project outside the repository (no .npmrc of ours, no npm_config_* from an `npm run`), then
// for each package imports every entry point as ESM and requires it as CommonJS, checks that every
// file its package.json points at was shipped, and runs each bin with --help. Then the README quick
// start and the `neuromem` CLI run there as a user would. Prints a table; exits 1 on any failure.
// Needs a prior `npm run build`.
//
//   node tools/pack-check.mjs [--keep] [--compile]
//     --keep     keep the temporary project (it is kept anyway when a check fails)
//     --compile  build native addons from source instead of reusing this checkout's builds (slow)
//
// Speed: dependencies come from npm's cache (--prefer-offline, filled by `npm ci`). A native addon
// that installs with prebuild-install (better-sqlite3: no prebuilt binary is reachable here, so it
// compiles for ~1 min) gets this checkout's compiled binary as a local prebuild when the version
// matches; its install script still runs and loads it. Another version still compiles.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { readJson, root, workspaceDirs } from './workspaces.mjs';

const args = new Set(process.argv.slice(2));
for (const arg of args) {
  if (!['--keep', '--compile'].includes(arg)) {
    console.error(`pack-check: unknown option ${arg} (use --keep, --compile)`);
    process.exit(2);
  }
}
const started = Date.now();
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const failures = [];

// --- 1. Which packages are publishable -----------------------------------------------------------
const packages = workspaceDirs()
  .filter((dir) => existsSync(join(root, dir, 'package.json')))
  .map((dir) => ({ dir, manifest: readJson(join(root, dir, 'package.json')) }))
  .filter(({ manifest }) => manifest.private !== true);
if (packages.length === 0) {
  console.error('pack-check: no publishable package found');
  process.exit(1);
}
const unbuilt = packages.filter(({ dir, manifest }) => manifest.scripts?.build && !existsSync(join(root, dir, 'dist')));
if (unbuilt.length > 0) {
  console.error(`pack-check: not built: ${unbuilt.map(({ dir }) => dir).join(', ')}; run "npm run build" first.`);
  process.exit(1);
}
console.log(`pack-check: ${packages.length} publishable packages: ${packages.map(({ manifest }) => manifest.name).join(', ')}`);

// --- 2. Pack them -------------------------------------------------------------------------------
const work = mkdtempSync(join(tmpdir(), 'neuromem-pack-check-'));
const tarballDir = join(work, 'tarballs');
const project = join(work, 'project');
mkdirSync(tarballDir);
mkdirSync(project);

let phase = Date.now();
const packed = spawnSync('npm', ['pack', '--json', '--pack-destination', tarballDir, ...packages.map(({ dir }) => `--workspace=${dir}`)], {
  cwd: root,
  encoding: 'utf8',
  maxBuffer: 256 * 1024 * 1024,
});
if (packed.status !== 0) {
  console.error(packed.stderr);
  bail('npm pack failed');
}
const packInfo = new Map(JSON.parse(packed.stdout).map((info) => [info.name, info]));
for (const { manifest } of packages) if (!packInfo.has(manifest.name)) bail(`npm pack did not report ${manifest.name}`);
console.log(`packed ${packages.length} tarballs in ${seconds(phase)}`);

// --- 3. Install them together into an empty project, as a user would --------------------------
// The environment of a user's shell: no npm_config_* (an `npm run` exports this repository's .npmrc
// that way), no node_modules/.bin of this checkout on PATH.
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_(config|package|lifecycle|command|execpath|node_execpath)/i.test(key) && key !== 'INIT_CWD'));
env.PATH = (process.env.PATH ?? '')
  .split(delimiter)
  .filter((entry) => entry && !resolve(entry).startsWith(root))
  .join(delimiter);
const seeded = args.has('--compile') ? [] : seedLocalPrebuilds(join(work, 'prebuilds'), env);

writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'pack-check', version: '0.0.0', private: true }, null, 2)}\n`);
phase = Date.now();
const tarballs = packages.map(({ manifest }) => join(tarballDir, packInfo.get(manifest.name).filename));
const install = spawnSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--no-package-lock', ...tarballs], { cwd: project, env, encoding: 'utf8' });
if (install.status !== 0) {
  console.error(install.stdout, install.stderr);
  bail('npm install of the tarballs failed');
}
const installSeconds = seconds(phase);
console.log(
  `npm install of the tarballs: ${installSeconds}${seeded.length ? ` (native builds reused from this checkout: ${seeded.join(', ')})` : ''}; node_modules ${megabytes(join(project, 'node_modules'))} MB`,
);
// onnxruntime-node's postinstall fetches CUDA unless an .npmrc says not to, and the servers' packages
// are ~40 MB that an app embedding a memory never loads: all stay off the default install.
for (const name of ['onnxruntime-node', 'fastify', '@modelcontextprotocol/sdk']) {
  if (existsSync(join(project, 'node_modules', name))) failures.push(`${name} is installed by default (it must stay an optional peer)`);
}

// --- 4. Per package: entry points as ESM and CJS, shipped files, bins ---------------------------
// In the project, so the packages resolve from its node_modules as from a user's code.
const esmProbe = join(project, 'probe-esm.mjs');
const cjsProbe = join(project, 'probe-cjs.cjs');
writeFileSync(esmProbe, PROBE_ESM());
writeFileSync(cjsProbe, PROBE_CJS());
// Without this flag Node 20.19+ can require() an ES module, and an ESM-only package would pass as CJS.
const cjsFlags = process.allowedNodeEnvironmentFlags.has('--no-experimental-require-module') ? ['--no-experimental-require-module'] : [];

phase = Date.now();
const rows = await pool(packages, 2, async ({ manifest }) => {
  const name = manifest.name;
  const dir = join(project, 'node_modules', name);
  const installed = readJson(join(dir, 'package.json'));
  const entries = entryPoints(installed).map((subpath) => (subpath === '.' ? name : `${name}/${subpath.slice(2)}`));
  const [esm, cjs] = await Promise.all([probe([esmProbe], entries, 'module'), probe([...cjsFlags, cjsProbe], entries, 'commonjs')]);
  const missing = referencedFiles(installed).filter((file) => !existsSync(join(dir, file)));
  const bins = [];
  for (const bin of Object.keys(binsOf(installed))) {
    const run = await runCommand(join(project, 'node_modules', '.bin', bin), ['--help'], { cwd: project, env, timeout: 60_000 });
    bins.push({ bin, ok: run.status === 0 && run.stdout.trim().length > 0, detail: run.status === 0 ? '' : firstLines(run.stderr || run.stdout || run.error) });
  }
  const info = packInfo.get(name);
  return { name, version: installed.version, esm, cjs, missing, bins, size: info.size, unpacked: info.unpackedSize, files: info.entryCount };
});
const checkSeconds = seconds(phase);

// --- 5. The README quick start and the CLI, from the installed packages -------------------------
const smoke = [];
phase = Date.now();
if (packInfo.has('neuromem')) {
  const quickStart = /^## Quick start\n[\s\S]*?^```ts\n([\s\S]*?)^```$/m.exec(readFileSync(join(root, 'README.md'), 'utf8'))?.[1];
  if (quickStart) {
    writeFileSync(join(project, 'quickstart.mjs'), quickStart);
    const run = await runCommand(process.execPath, ['quickstart.mjs'], { cwd: project, env, timeout: 120_000 });
    smoke.push({ what: 'README quick start (ESM)', ok: run.status === 0 && /Biscuit/.test(run.stdout), detail: firstLines(run.stderr || run.stdout) });
  } else {
    smoke.push({ what: 'README quick start', ok: false, detail: 'no ```ts block under "## Quick start" in README.md' });
  }
  const cli = join(project, 'node_modules', '.bin', 'neuromem');
  const add = await runCommand(cli, ['--db', './cli-db', 'add', 'packed and installed', '--user', 'smoke'], { cwd: project, env, timeout: 60_000 });
  const search = add.status === 0 ? await runCommand(cli, ['--db', './cli-db', 'search', 'installed', '--user', 'smoke', '--json'], { cwd: project, env, timeout: 60_000 }) : add;
  smoke.push({ what: 'neuromem add + search', ok: search.status === 0 && search.stdout.includes('"packed and installed"'), detail: firstLines(search.stderr || search.stdout) });
  // Without their optional peers the servers refuse to start and say what to install.
  for (const [door, args, command] of [
    ['REST server', ['serve', '--port', '0'], 'npm install fastify@'],
    ['MCP server', ['mcp', '--user', 'smoke'], 'npm install @modelcontextprotocol/sdk@'],
  ]) {
    const run = await runCommand(cli, ['--db', './cli-db', ...args], { cwd: project, env, timeout: 60_000 });
    smoke.push({ what: `${door} without its optional peers: clear NOT_FOUND`, ok: run.status !== 0 && `${run.stderr}${run.stdout}`.includes(command), detail: firstLines(run.stderr || run.stdout) });
  }
}
if (packInfo.has('@neuromem/embeddings')) {
  // The ONNX path without its optional peer says what to install.
  const onnx = await runCommand(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const { createOnnxScaleHeads } = await import('@neuromem/embeddings');
      try { await createOnnxScaleHeads({ directory: '.' }); console.log('no error'); process.exit(1); }
      catch (error) { if (error.code !== 'NOT_FOUND' || !error.message.includes('npm install onnxruntime-node')) { console.log(error.code, error.message); process.exit(1); } }`,
    ],
    { cwd: project, env, timeout: 60_000 },
  );
  smoke.push({ what: 'ONNX heads without onnxruntime-node: clear NOT_FOUND', ok: onnx.status === 0, detail: firstLines(onnx.stdout || onnx.stderr) });
}
const smokeSeconds = seconds(phase);

// --- 6. Report ----------------------------------------------------------------------------------
const cell = (result) => (result.ok ? `ok (${result.entries.length})` : 'FAIL');
const table = [
  ['package', 'version', 'ESM', 'CJS', 'files', 'bins', 'tarball', 'unpacked'],
  ...rows.map((row) => [
    row.name,
    row.version,
    cell(row.esm),
    cell(row.cjs),
    row.missing.length === 0 ? 'ok' : 'FAIL',
    row.bins.length === 0 ? '-' : row.bins.map(({ bin, ok }) => `${bin} ${ok ? 'ok' : 'FAIL'}`).join(', '),
    `${kilobytes(row.size)} (${row.files} files)`,
    kilobytes(row.unpacked),
  ]),
];
const widths = table[0].map((_, column) => Math.max(...table.map((line) => line[column].length)));
console.log('');
table.forEach((line, index) => {
  console.log(
    line
      .map((text, column) => text.padEnd(widths[column]))
      .join('  ')
      .trimEnd(),
  );
  if (index === 0) console.log(widths.map((width) => '-'.repeat(width)).join('  '));
});
console.log(
  'ESM/CJS ok (n): all n entry points (package.json "exports") resolve to a file of that format and load with at least one export; files: every path in main/module/types/exports/bin is in the tarball',
);
for (const row of rows) {
  for (const [format, result] of [
    ['ESM', row.esm],
    ['CJS', row.cjs],
  ]) {
    for (const entry of result.entries.filter((e) => !e.ok)) failures.push(`${entry.specifier} as ${format}: ${entry.problem}`);
    if (result.crash) failures.push(`${row.name} as ${format}: ${result.crash}`);
  }
  for (const file of row.missing) failures.push(`${row.name}: package.json points at ${file}, which is not in the tarball`);
  for (const bin of row.bins.filter((b) => !b.ok)) failures.push(`${row.name}: bin ${bin.bin} --help failed: ${bin.detail}`);
}
console.log('');
for (const { what, ok, detail } of smoke) {
  console.log(`${ok ? 'ok  ' : 'FAIL'}  ${what}`);
  if (!ok) failures.push(`${what}: ${detail}`);
}
console.log(`\ntimes: npm install ${installSeconds}, ESM/CJS/files/bins ${checkSeconds}, quick start and CLI ${smokeSeconds}; total ${seconds(started)}`);
if (failures.length > 0) {
  console.log(`\npack-check FAILED (${failures.length}):`);
  for (const failure of failures) console.log(`  - ${failure}`);
  console.log(`the installed project is kept in ${project}`);
  process.exit(1);
}
if (args.has('--keep')) console.log(`kept: ${project}`);
else rmSync(work, { recursive: true, force: true });
console.log('pack-check passed');

// --- helpers ------------------------------------------------------------------------------------

function bail(message) {
  console.error(`pack-check: ${message} (work folder kept: ${work})`);
  process.exit(1);
}

/** "./x" subpaths a package exports (patterns and ./package.json left out); "." without exports. */
function entryPoints(manifest) {
  const { exports } = manifest;
  if (exports === undefined) return ['.'];
  if (typeof exports === 'string' || Array.isArray(exports) || !Object.keys(exports).some((key) => key.startsWith('.'))) return ['.'];
  return Object.keys(exports).filter((key) => key !== './package.json' && !key.includes('*'));
}

/** Every relative file path package.json points at (main, module, types, exports targets, bins). */
function referencedFiles(manifest) {
  const files = new Set();
  const add = (value) => {
    if (typeof value === 'string') {
      if (!value.includes('*')) files.add(value.replace(/^\.\//, ''));
    } else if (Array.isArray(value)) value.forEach(add);
    else if (value && typeof value === 'object') Object.values(value).forEach(add);
  };
  for (const field of ['main', 'module', 'types', 'typings', 'exports']) add(manifest[field]);
  add(binsOf(manifest));
  return [...files];
}

function binsOf(manifest) {
  if (typeof manifest.bin === 'string') return { [manifest.name.replace(/^@[^/]+\//, '')]: manifest.bin };
  return manifest.bin ?? {};
}

/** Runs a probe script over the entry points; each must resolve to a file of `format` and have an export. */
async function probe(nodeArgs, specifiers, format) {
  const run = await runCommand(process.execPath, [...nodeArgs, ...specifiers], { cwd: project, env, timeout: 120_000 });
  const entries = run.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line))
    .map((entry) => {
      let problem = entry.error;
      if (!problem && entry.format !== format) problem = `resolves to ${entry.resolved} (${entry.format}), not a ${format} file: the package does not ship this format`;
      if (!problem && entry.exports.length === 0) problem = 'loads but has no exports';
      return { ...entry, ok: !problem, problem };
    });
  const crash = run.status !== 0 || entries.length !== specifiers.length ? `probe exited ${run.status ?? run.signal}: ${firstLines(run.stderr)}` : undefined;
  return { ok: !crash && entries.every((entry) => entry.ok), entries, crash };
}

function PROBE_ESM() {
  return `import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
${formatOfSource()}
for (const specifier of process.argv.slice(2)) {
  const result = { specifier, exports: [] };
  try {
    const file = fileURLToPath(import.meta.resolve(specifier));
    result.resolved = file;
    result.format = formatOf(file);
    const m = await import(specifier);
    result.exports = Object.keys(m).filter((key) => key !== 'default');
  } catch (error) {
    result.error = String(error && error.message || error).split('\\n')[0];
  }
  console.log(JSON.stringify(result));
}
`;
}

function PROBE_CJS() {
  return `const { readFileSync, existsSync } = require('node:fs');
const { dirname, join } = require('node:path');
${formatOfSource()}
for (const specifier of process.argv.slice(2)) {
  const result = { specifier, exports: [] };
  try {
    const file = require.resolve(specifier);
    result.resolved = file;
    result.format = formatOf(file);
    const m = require(specifier);
    result.exports = Object.keys(m).filter((key) => key !== '__esModule' && key !== 'default');
  } catch (error) {
    result.error = String(error && error.message || error).split('\\n')[0];
  }
  console.log(JSON.stringify(result));
}
`;
}

/** Source of formatOf(file) for the probes: Node's rule (.mjs, .cjs, else the nearest package.json "type"). */
function formatOfSource() {
  return `function formatOf(file) {
  if (file.endsWith('.mjs')) return 'module';
  if (file.endsWith('.cjs')) return 'commonjs';
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) return JSON.parse(readFileSync(manifest, 'utf8')).type === 'module' ? 'module' : 'commonjs';
    if (dirname(dir) === dir) return 'commonjs';
  }
}`;
}

/**
 * For each native addon in this checkout's node_modules that installs with prebuild-install, packs
 * its compiled binary the way prebuild-install names a download and points prebuild-install at it
 * (npm_config_<name>_local_prebuilds), so the temporary install reuses it instead of compiling.
 * Only an identical name, version, Node ABI, platform and arch match; anything else compiles.
 */
function seedLocalPrebuilds(folder, childEnv) {
  const seededNames = [];
  const modules = join(root, 'node_modules');
  const names = readdirSync(modules).flatMap((entry) => (entry.startsWith('@') ? readdirSync(join(modules, entry)).map((name) => `${entry}/${name}`) : [entry]));
  const libc = process.platform === 'linux' && !process.report.getReport().header.glibcVersionRuntime ? 'musl' : '';
  for (const name of names) {
    const dir = join(modules, name);
    let manifest;
    try {
      manifest = readJson(join(dir, 'package.json'));
    } catch {
      continue;
    }
    if (!/prebuild-install/.test(manifest.scripts?.install ?? '') || manifest.binary) continue;
    // The addon named after the package (better_sqlite3.node), not its test addons: prebuild-install
    // loads the last .node file it unpacks to check it, and a test addon fails that check.
    const bare = name.replace(/^@[^/]+\//, '');
    const release = join(dir, 'build', 'Release');
    const addons = [`${bare.replace(/-/g, '_')}.node`, `${bare}.node`].filter((file) => existsSync(join(release, file))).slice(0, 1);
    if (addons.length === 0) continue;
    mkdirSync(folder, { recursive: true });
    const tarball = join(folder, `${bare}-v${manifest.version}-node-v${process.versions.modules}-${process.platform}${libc}-${process.arch}.tar.gz`);
    const tar = spawnSync('tar', ['-czf', tarball, '-C', dir, ...addons.map((file) => `build/Release/${file}`)], { encoding: 'utf8' });
    if (tar.status !== 0) continue;
    childEnv[`npm_config_${name.replace(/[^a-zA-Z0-9]/g, '_').replace(/^_/, '')}_local_prebuilds`] = folder;
    seededNames.push(`${name}@${manifest.version}`);
  }
  return seededNames;
}

/** Runs `worker` over `items`, at most `size` at a time, keeping the order of the results. */
async function pool(items, size, worker) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(size, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await worker(items[index]);
      }
    }),
  );
  return results;
}

function runCommand(command, commandArgs, { cwd, env: childEnv, timeout }) {
  return new Promise((resolvePromise) => {
    const child = spawn(command, commandArgs, { cwd, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolvePromise({ status: null, signal: null, stdout, stderr, error: String(error) });
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolvePromise({ status, signal, stdout, stderr: signal === 'SIGKILL' ? `timed out after ${timeout / 1000} s\n${stderr}` : stderr });
    });
  });
}

function firstLines(text = '', count = 3) {
  return String(text)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !/^npm warn/i.test(line))
    .slice(0, count)
    .join(' | ');
}

function kilobytes(bytes) {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} kB`;
}

function megabytes(dir) {
  const du = spawnSync('du', ['-sm', dir], { encoding: 'utf8' });
  return du.status === 0 ? du.stdout.split(/\s/)[0] : '?';
}

#!/usr/bin/env node
// Module boundaries of the workspace: a package reaches another only through its published entry
// points, never by a relative path or a deep import, and every package it imports is one it
// declares (dependencies for its code, devDependencies too for its tests). Prints every breach.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const builtins = new Set(builtinModules);
const projects = ['packages', 'apps'].flatMap((group) =>
  readdirSync(join(root, group))
    .map((name) => join(root, group, name))
    .filter((dir) => statSync(join(dir, 'package.json'), { throwIfNoEntry: false })),
);
const manifests = new Map(projects.map((dir) => [dir, JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))]));
const workspace = new Map([...manifests].map(([dir, manifest]) => [manifest.name, { dir, exports: Object.keys(manifest.exports ?? { '.': null }) }]));

const files = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return files(path);
    return /\.(ts|mts|cts|mjs|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
const SPECIFIER =
  /(?:^|[^\w.])(?:import|export)\s[^'"]*?\sfrom\s*['"]([^'"]+)['"]|(?:^|[^\w.])import\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|[^\w.])require\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;
const packageOf = (specifier) => (specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]);
const isTestFile = (path) => /\.test\.ts$|test-support\.ts$|[\\/]testing[\\/]/.test(path);

const problems = [];
for (const [dir, manifest] of manifests) {
  // Optional peers (onnxruntime, transformers.js) are loaded only when a user installed them.
  const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
  const forTests = new Set([...declared, ...Object.keys(manifest.devDependencies ?? {})]);
  const rootDev = new Set(Object.keys(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies ?? {}));
  const src = join(dir, 'src');
  if (!statSync(src, { throwIfNoEntry: false })) continue;
  for (const file of files(src)) {
    const text = readFileSync(file, 'utf8');
    const where = relative(root, file);
    for (const match of text.matchAll(SPECIFIER)) {
      const specifier = match[1] ?? match[2] ?? match[3] ?? match[4];
      if (specifier.startsWith('.')) {
        const target = resolve(dirname(file), specifier);
        if (!target.startsWith(dir + sep)) problems.push(`${where}: "${specifier}" reaches outside ${manifest.name}; import the other package by its name`);
        continue;
      }
      if (specifier.startsWith('node:') || builtins.has(specifier)) continue;
      const name = packageOf(specifier);
      const local = workspace.get(name);
      if (local) {
        const subpath = `.${specifier.slice(name.length)}` === '.' ? '.' : `.${specifier.slice(name.length)}`;
        if (!local.exports.includes(subpath)) problems.push(`${where}: "${specifier}" is a deep import; ${name} exports ${local.exports.join(', ')}`);
      }
      if (name === manifest.name) {
        problems.push(`${where}: imports its own package "${specifier}"; use a relative path`);
        continue;
      }
      const allowed = isTestFile(file) ? forTests.has(name) || rootDev.has(name) || name.startsWith('@types/') : declared.has(name);
      if (!allowed) problems.push(`${where}: imports "${name}", which ${manifest.name} does not declare in ${isTestFile(file) ? 'dependencies or devDependencies' : 'dependencies'}`);
    }
  }
}

if (problems.length > 0) {
  console.error(`module boundaries: ${problems.length} problem(s)\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(`module boundaries: ok (${projects.length} projects)`);

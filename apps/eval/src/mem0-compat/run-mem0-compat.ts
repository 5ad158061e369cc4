import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { createErrorFactory } from '@neuromem/core';
import { API_SUITE, INTERNALS_FILES, NEEDS_LLM } from './mem0-suite';
import { openMem0Source } from './read-mem0-source';
import { INERT_MODULE, rewriteTestFile } from './rewrite-test-file';
import { runQuickstart, type QuickstartResult } from './run-quickstart';

const fail = createErrorFactory('eval');
const TESTS = 'mem0-ts/src/oss/tests';

/** What the tests run against: the drop-in, or (the baseline) the facade, built with `createMemory()` (it cannot take Mem0's config). */
export type CompatTarget = 'mem0' | 'createMemory';

export interface CompatOptions {
  /** A Mem0 checkout or its git directory. */
  mem0: string;
  target: CompatTarget;
  /** Keep the work directory (the rewritten tests, their stand-ins and jest's output). */
  keep?: boolean;
}

export interface CompatCase {
  file: string;
  test: string;
  status: 'passed' | 'failed' | 'left out';
  /** Why it was left out, or the first line of its failure. */
  note?: string;
}

export interface CompatFileRow {
  file: string;
  /** `api`: counted; `internals`: run and shown, not counted (see INTERNALS_FILES). */
  kind: 'api' | 'internals';
  cases: number;
  leftOut: number;
  passed: number;
  failed: number;
  /** Set when the file did not load at all. */
  error?: string;
}

export interface CompatReport {
  mem0: { location: string; commit: string; version: string };
  target: CompatTarget;
  files: CompatFileRow[];
  /** The API suite without the cases that need Mem0's LLM. */
  suite: { cases: number; leftOut: number; counted: number; passed: number; failed: number; passRate: number };
  /** The import lines changed, per file. */
  importChanges: Record<string, string[]>;
  cases: CompatCase[];
  quickstart: QuickstartResult;
  workDirectory?: string;
}

interface JestAssertion {
  fullName: string;
  status: string;
  failureMessages: string[];
}
interface JestFileResult {
  name: string;
  message: string;
  assertionResults: JestAssertion[];
}

/**
 * Runs Mem0's own open-source tests of `Memory` against `neuromem/mem0` (or the baseline): exports
 * them to a work directory, changes only their imports of Mem0's public modules, puts inert
 * stand-ins at the paths of the Mem0 internals they mock, runs them with jest there (HOME in the
 * work directory, so default on-disk memories land there too), and counts per case.
 */
export function runMem0Compat(options: CompatOptions): CompatReport {
  const source = openMem0Source(options.mem0);
  const version = (JSON.parse(source.read('mem0-ts/package.json')) as { version: string }).version;
  const available = source.list(TESTS).map((path) => basename(path));
  const missing = API_SUITE.filter((file) => !available.includes(file));
  if (missing.length > 0) throw fail('INVALID_INPUT', `${options.mem0} has no ${missing.join(', ')} in ${TESTS}; this command reads Mem0 3.x's TypeScript SDK tests.`);
  const files = [...API_SUITE, ...Object.keys(INTERNALS_FILES).filter((file) => available.includes(file))];
  const work = mkdtempSync(join(tmpdir(), 'neuromem-mem0-compat-'));
  try {
    const importChanges: Record<string, string[]> = {};
    for (const file of files) {
      const path = `${TESTS}/${file}`;
      const rewritten = rewriteTestFile(source.read(path), path);
      importChanges[file] = rewritten.changes;
      write(join(work, path), rewritten.text);
      for (const module of rewritten.internals) write(join(work, `${module}.js`), INERT_MODULE);
    }
    const target = targetModule(work, options.target);
    const results = runJest(work, target);
    const cases = files.flatMap((file) => casesOf(file, results));
    const rows = files.map((file) => rowOf(file, cases, results));
    const api = rows.filter((row) => row.kind === 'api');
    const sum = (key: 'cases' | 'leftOut' | 'passed' | 'failed') => api.reduce((total, row) => total + row[key], 0);
    const counted = sum('passed') + sum('failed');
    return {
      mem0: { location: source.location, commit: source.commit, version },
      target: options.target,
      files: rows,
      suite: { cases: sum('cases'), leftOut: sum('leftOut'), counted, passed: sum('passed'), failed: sum('failed'), passRate: counted === 0 ? 0 : sum('passed') / counted },
      importChanges,
      cases,
      quickstart: runQuickstart(source.read('docs/open-source/node-quickstart.mdx'), join(work, 'quickstart'), target),
      ...(options.keep ? { workDirectory: work } : {}),
    };
  } finally {
    if (!options.keep) rmSync(work, { recursive: true, force: true });
  }
}

/** The module `neuromem/mem0` resolves to in the run: the built drop-in, or a shim whose `new Memory(config)` is `createMemory()`. */
function targetModule(work: string, target: CompatTarget): { cjs: string; esm: string; packageRoot: string } {
  const require = createRequire(import.meta.url);
  const packageRoot = dirname(require.resolve('neuromem/package.json'));
  const cjs = join(packageRoot, 'dist', target === 'mem0' ? 'mem0.cjs' : 'index.cjs');
  if (!existsSync(cjs)) throw fail('INVALID_INPUT', `${cjs} is missing: build neuromem first (cd packages/neuromem && npx tsup).`);
  if (target === 'mem0') return { cjs, esm: 'neuromem/mem0', packageRoot };
  const shim = join(work, 'create-memory-shim.cjs');
  write(
    shim,
    `'use strict';
// The baseline: the construction line becomes createMemory() (which refuses Mem0's config), Mem0's calls are made on the memory it gives.
const { createMemory } = require(${JSON.stringify(cjs)});
class Memory {
  constructor() {
    const opening = createMemory();
    opening.catch(() => undefined);
    return new Proxy(this, { get: (target, key) => (typeof key === 'symbol' || key === 'then' || key in target ? target[key] : async (...args) => (await opening)[key](...args)) });
  }
  static fromConfig() {
    return new Memory();
  }
}
module.exports = { Memory };
`,
  );
  return { cjs: shim, esm: shim, packageRoot };
}

function runJest(work: string, target: { cjs: string }): JestFileResult[] {
  const require = createRequire(import.meta.url);
  const resolveTool = (name: string) => {
    try {
      return require.resolve(name);
    } catch {
      throw fail('INVALID_INPUT', `mem0-compat runs Mem0's tests with jest and @swc/jest, and ${name} is not installed here; run it from the NeuroMem repository after npm ci.`);
    }
  };
  const config = {
    rootDir: work,
    testEnvironment: 'node',
    testMatch: [`<rootDir>/${TESTS}/*.test.ts`],
    transform: { '^.+\\.ts$': [resolveTool('@swc/jest'), { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }] },
    moduleFileExtensions: ['ts', 'js', 'cjs', 'json'],
    moduleNameMapper: { '^neuromem/mem0$': target.cjs },
    cacheDirectory: join(work, '.jest-cache'),
    testTimeout: 30_000,
  };
  write(join(work, 'jest.config.cjs'), `module.exports = ${JSON.stringify(config, null, 2)};\n`);
  const output = join(work, 'jest-results.json');
  const home = join(work, 'home');
  mkdirSync(home, { recursive: true });
  const run = spawnSync(process.execPath, [resolveTool('jest/bin/jest'), '--config', join(work, 'jest.config.cjs'), '--json', '--outputFile', output, '--silent', '--ci'], {
    cwd: work,
    env: { ...process.env, HOME: home, USERPROFILE: home, MEM0_TELEMETRY: 'false', NODE_OPTIONS: '' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (!existsSync(output)) throw fail('UPSTREAM', `jest did not run Mem0's tests (exit ${run.status}): ${(run.stderr || run.stdout).split('\n').slice(0, 20).join('\n')}`);
  return (JSON.parse(readFileSync(output, 'utf8')) as { testResults: JestFileResult[] }).testResults;
}

function casesOf(file: string, results: readonly JestFileResult[]): CompatCase[] {
  const result = results.find((r) => basename(r.name) === file);
  return (result?.assertionResults ?? []).map((assertion): CompatCase => {
    const llm = NEEDS_LLM.find((c) => c.file === file && c.test === assertion.fullName);
    if (llm) return { file, test: assertion.fullName, status: 'left out', note: llm.reason };
    if (assertion.status === 'passed') return { file, test: assertion.fullName, status: 'passed' };
    return { file, test: assertion.fullName, status: 'failed', note: firstLine(assertion.failureMessages.join('\n')) };
  });
}

function rowOf(file: string, cases: readonly CompatCase[], results: readonly JestFileResult[]): CompatFileRow {
  const mine = cases.filter((c) => c.file === file);
  const result = results.find((r) => basename(r.name) === file);
  const error = result === undefined ? 'not run' : mine.length === 0 ? firstLine(result.message) : undefined;
  return {
    file,
    kind: API_SUITE.includes(file) ? 'api' : 'internals',
    cases: mine.length,
    leftOut: mine.filter((c) => c.status === 'left out').length,
    passed: mine.filter((c) => c.status === 'passed').length,
    failed: mine.filter((c) => c.status === 'failed').length,
    ...(error !== undefined ? { error } : {}),
  };
}

/** A failure's first meaningful line, without jest's colour codes. */
function firstLine(message: string): string {
  const plain = message.replace(/\u001b\[[0-9;]*m/g, '');
  return (plain.split('\n').find((line) => line.trim() !== '' && !/^\s*●/.test(line)) ?? '').trim().slice(0, 300);
}

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

import { performance } from 'node:perf_hooks';
import type { ColdStartPhases } from './cold-start-phases';

// One fresh process of `neuromem-eval cold-start`: what a user's first script pays, phase by phase,
// printed as one JSON line. argv: the memory's directory, then `fresh` (a new memory: import,
// createMemory, a search before anything is stored, an add and the search that finds it) or
// `reopen` (the directory a fresh run left: import, createMemory, the first search).
const [path, mode] = process.argv.slice(2);
if (!path || (mode !== 'fresh' && mode !== 'reopen')) throw new Error('usage: cold-start-child <directory> fresh|reopen');

const FACT = 'I adopted a beagle named Biscuit last spring';
const QUESTION = 'what kind of pet do I own?';
const phases: ColdStartPhases = {};
const timed = async <T>(name: keyof ColdStartPhases, work: () => Promise<T>): Promise<T> => {
  const started = performance.now();
  const result = await work();
  phases[name] = performance.now() - started;
  return result;
};

const { createMemory } = await timed('import', () => import('neuromem'));
const memory = await timed('createMemory', () => createMemory({ path }));
if (mode === 'fresh') {
  await timed('emptySearch', () => memory.search(QUESTION, { userId: 'user' }));
  await timed('add', () => memory.add(FACT, { userId: 'user' }));
}
const first = await timed('firstSearch', () => memory.search(QUESTION, { userId: 'user' }));
// Since the process started (`performance.now()`'s origin): Node's own start-up included.
phases.firstAnswer = performance.now();
await timed('secondSearch', () => memory.search('where did I get the dog?', { userId: 'user' }));
await memory.close();
console.log(JSON.stringify({ mode, phases, found: first.results.some((result) => result.memory === FACT) }));

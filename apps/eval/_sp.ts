import { performance } from 'node:perf_hooks';
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { createMemory } from 'neuromem';
import { createScaleWorkload } from './src/scale/scale-workload';
const users = 100;
const workload = createScaleWorkload({ seed: 42, users, sessionTurns: 20 });
for (let i = 0; i < users; i++) workload.nextSession();
const m = await createMemory({ path: process.env.STORE!, trackAccess: false });
const qs = workload.queries(Number(process.env.Q ?? 800));
for (const q of qs.slice(0, 300)) await m.search(q.text, { userId: q.userId, limit: 10 });
const session = new Session(); session.connect();
if (process.env.PROF) { await session.post('Profiler.enable'); await session.post('Profiler.setSamplingInterval', { interval: 100 }); await session.post('Profiler.start'); }
const times: number[] = [];
for (let r = 0; r < Number(process.env.R ?? 1); r++) for (const q of qs) { const t = performance.now(); await m.search(q.text, { userId: q.userId, limit: 10 }); times.push(performance.now() - t); }
if (process.env.PROF) { const { profile } = await session.post('Profiler.stop'); writeFileSync(process.env.PROF, JSON.stringify(profile)); }
times.sort((a, b) => a - b);
console.log('n', times.length, 'p50', times[times.length >> 1]!.toFixed(2), 'p95', times[Math.floor(times.length * 0.95)]!.toFixed(2), 'mean', (times.reduce((a, b) => a + b) / times.length).toFixed(2));
await m.close();

import { spawnSync } from 'node:child_process';
import { createRandom, randomUnitVectors } from '@neuromem/core/testing';
import { createUsearchIndex } from './create-usearch-index';

/**
 * The reduced reproduction of the hang (issue 12): add new keys, remove random live ones. With
 * usearch 2.25.3 the 105th operation, `remove(63)`, reported 0 for a key still present, and about
 * 20,000 operations later a `remove` spun forever at 100 % CPU (stale tombstones saturating the
 * key table). It runs in a child process, so a regression fails the test instead of freezing jest.
 */
const REDUCED =
  '+1 +2 +3 +4 +5 +6 +7 -7 -3 -6 -5 +8 -2 +9 +10 +11 -1 +12 -4 +13 +14 -14 +15 +16 +17 +18 +19 -18 +20 +21 +22 -9 +23 +24 -23 -11 +25 +26 +27 +28 -25 +29 +30 -16 -12 -13 +31 +32 +33 +34 +35 +36 -36 +37 -22 -31 -33 +38 +39 +40 +41 -15 +42 +43 +44 +45 +46 -37 +47 -47 +48 +49 -45 +50 -39 +51 -32 +52 -50 +53 -40 +54 -41 -17 +55 -44 -34 -28 -52 -51 +56 -20 -46 +57 +58 -38 -27 +59 -48 +60 +61 +62 +63 +64 -63';

const churnScript = `
const { Index, MetricKind } = require('usearch');
const index = new Index({ dimensions: 4, metric: MetricKind.Cos, multi: false });
const vector = (k) => Float32Array.from([Math.sin(k), Math.cos(k), Math.sin(2 * k), 1]);
const bad = [];
let reducedLive = 0;
for (const op of ${JSON.stringify(REDUCED)}.split(' ')) {
  const key = BigInt(op.slice(1));
  reducedLive += op[0] === '+' ? 1 : -1;
  if (op[0] === '+') index.add(key, vector(Number(key)));
  else if (index.remove(key) !== 1 || index.contains(key)) bad.push(op);
}
// Then the long churn that used to spin: 55 % adds of new keys, 45 % removals of live ones.
let seed = 1; const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const live = []; let next = 1000;
for (let op = 0; op < 40000; op++) {
  if (rnd() < 0.55 || live.length < 2) { const k = next++; index.add(BigInt(k), vector(k)); live.push(k); }
  else { const [k] = live.splice(Math.floor(rnd() * live.length), 1); if (index.remove(BigInt(k)) !== 1) bad.push('-' + k); }
}
console.log(JSON.stringify({ bad, size: index.size(), live: live.length + reducedLive }));
`;

describe('usearch under add/remove churn', () => {
  it('should remove every present key and never hang on the reduced reproduction of the 2.25.3 hang', () => {
    const run = spawnSync(process.execPath, ['-e', churnScript], { cwd: __dirname, timeout: 60_000, encoding: 'utf8' });
    expect(run.signal).toBeNull(); // SIGTERM here means the child spun past the timeout
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout) as { bad: string[]; size: number; live: number };
    expect(result.bad).toEqual([]);
    expect(result.size).toBe(result.live);
  });

  it('should keep createUsearchIndex in step with a model of its keys through random adds, replacements and removals', async () => {
    const dimensions = 8;
    const index = await createUsearchIndex({ dimensions });
    const random = createRandom(12);
    const model = new Set<number>();
    let next = 0;
    for (let op = 0; op < 6000; op++) {
      const roll = random();
      const keys = [...model];
      if (roll < 0.5 || keys.length === 0) {
        const batch = Array.from({ length: 1 + Math.floor(random() * 4) }, () => next++);
        await index.add(batch, randomUnitVectors(batch.length, dimensions, op));
        batch.forEach((key) => model.add(key));
      } else if (roll < 0.7) {
        const key = keys[Math.floor(random() * keys.length)]!;
        await index.add([key], randomUnitVectors(1, dimensions, op)); // replace
      } else {
        const key = keys[Math.floor(random() * keys.length)]!;
        expect(await index.remove([key, key + 1_000_000])).toBe(1);
        model.delete(key);
      }
      if (op % 500 === 0) {
        expect(index.size()).toBe(model.size);
        for (const key of model) expect(index.has(key)).toBe(true);
      }
    }
    expect(index.size()).toBe(model.size);
  });
});

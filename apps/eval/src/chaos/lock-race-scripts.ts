/**
 * The two programs of the lock race. Times are `process.hrtime` nanoseconds (a machine-wide
 * monotonic clock, so children and parent compare them directly), printed as strings.
 */

/**
 * A long-lived racer: for each `{ round, path, at, holdMs }` line on stdin it spins until `at`, opens
 * the store, and on success writes one memory, keeps the store `holdMs`, closes it and prints `held`
 * with its hold interval (`acquired` after the open resolved, `released` before close() starts, so
 * the lock was held all through it); on failure it prints `refused` with the error.
 */
export function lockRacerScript(entry: string): string {
  return `
import { writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createSqliteStore } from ${JSON.stringify(entry)};
const say = (line) => writeSync(1, JSON.stringify(line) + '\\n');
const now = () => process.hrtime.bigint();
const describe = (error) => ({ name: error?.name, code: error?.code, message: String(error?.message ?? error) });
const vector = new Float32Array([0.5, 0.5, 0.5, 0.5]);
say({ t: 'ready' });
for await (const text of createInterface({ input: process.stdin })) {
  const { round, path, at, holdMs } = JSON.parse(text);
  const start = BigInt(at);
  const sleepMs = Number(start - now()) / 1e6 - 3;
  if (sleepMs > 0) await new Promise((resolve) => setTimeout(resolve, sleepMs));
  while (now() < start) {}
  const began = now();
  let store;
  try {
    store = await createSqliteStore({ path, vectorScales: { turn: 4 } });
  } catch (error) {
    say({ t: 'refused', round, began: String(began), ...describe(error) });
    continue;
  }
  const acquired = now();
  try {
    await store.put([{ text: 'racer ' + process.pid + ' held round ' + round, scope: { userId: 'race' }, vectors: { turn: vector } }]);
    const until = acquired + BigInt(Math.round(holdMs * 1e6));
    while (now() < until) {}
    const released = now();
    await store.close();
    say({ t: 'held', round, began: String(began), acquired: String(acquired), released: String(released) });
  } catch (error) {
    say({ t: 'error', round, began: String(began), ...describe(error) });
    await store.close().catch(() => {});
  }
}
`;
}

/** A holder that opens the store, prints `holding`, then writes until it is SIGKILLed. */
export function lockHolderScript(entry: string, path: string): string {
  return `
import { writeSync } from 'node:fs';
import { createSqliteStore } from ${JSON.stringify(entry)};
const say = (line) => writeSync(1, JSON.stringify(line) + '\\n');
let store;
try {
  store = await createSqliteStore({ path: ${JSON.stringify(path)}, vectorScales: { turn: 4 } });
} catch (error) {
  say({ t: 'error', name: error?.name, code: error?.code, message: String(error?.message ?? error) });
  process.exit(1);
}
say({ t: 'holding' });
const vector = new Float32Array([0.5, -0.5, 0.5, -0.5]);
for (let i = 0; ; i++) await store.put([{ text: 'holder note ' + i, scope: { userId: 'race' }, vectors: { turn: vector } }]);
`;
}

import type { ChaosCheck } from './chaos-check';
import { runCrashHarness } from './crash-harness';
import { runFuzz } from './fuzz-memory';
import { runIndexWorkload } from './index-workload';
import { runLockRace } from './lock-race';
import { runSleepInterleavings } from './sleep-interleavings';
import { runSleepKill } from './sleep-kill';
import { runStorageFaults } from './storage-faults';
import { runTenantIsolation } from './tenant-isolation';

/** Every check of `neuromem-eval chaos`, in the order the table shows them. */
export const CHAOS_CHECKS: ReadonlyArray<[name: string, check: ChaosCheck]> = [
  ['index', runIndexWorkload],
  ['crash', runCrashHarness],
  ['lock', runLockRace],
  ['storage', runStorageFaults],
  ['fuzz', runFuzz],
  ['tenants', runTenantIsolation],
  ['sleep-interleavings', runSleepInterleavings],
  ['sleep-kill', runSleepKill],
];

import { createTempDir } from '@neuromem/core/testing';
import { runSleepInterleavingsOf } from './sleep-interleavings';

describe('the sleep interleavings property check', () => {
  it('should find every memory, history and link as the users and the journal say, over random sequences with sleeps and undos', async () => {
    const dir = createTempDir();
    try {
      const result = await runSleepInterleavingsOf({ quick: true, seed: 5, workDir: `${dir.path}/db`, runs: 20 });
      expect(result.failures).toEqual([]);
      expect(result.rows.map((row) => [row.runs, row.failures])).toEqual([[20, 0]]);
      expect(result.figures).toMatchObject({ sleepInterleavingRuns: 20, sleepInterleavingFailures: 0 });
      expect(result.figures?.sleepInterleavingSleeps).toBeGreaterThan(20);
      expect(result.figures?.sleepInterleavingLinks).toBeGreaterThan(0);
      expect(result.figures?.sleepInterleavingExpiries).toBeGreaterThan(0);
    } finally {
      dir.remove();
    }
  }, 60_000);
});

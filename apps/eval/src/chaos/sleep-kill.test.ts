import { createTempDir } from '@neuromem/core/testing';
import { sleepKill } from './sleep-kill';

describe('the SIGKILL-during-sleep check', () => {
  it('should leave every acknowledged memory, no running run and only links of finished runs over a few kills, and make the rolled-back links again', async () => {
    const dir = createTempDir();
    try {
      const result = await sleepKill({ quick: true, seed: 20260301, workDir: dir.path, kills: 4, seeded: 120 });
      expect(result.failures).toEqual([]);
      expect(result.rows.map((row) => [row.check, row.failures])).toEqual([
        ['SIGKILL during sleep', 0],
        ['SIGKILL during sleep: rolled-back links made again', 0],
      ]);
      expect(result.rows[0]!.runs).toBe(4);
      expect(result.figures).toMatchObject({ sleepKills: 4, sleepKillFailures: 0, sleepKill_childFailures: 0 });
    } finally {
      dir.remove();
    }
  }, 120_000);
});

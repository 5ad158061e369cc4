import { createTempDir } from '@neuromem/core/testing';
import { createLockRace } from './lock-race';

describe('runLockRace', () => {
  it('should find no double open and no raw error in a short race, fresh and after a crash', async () => {
    const dir = createTempDir();
    try {
      // 50 starts here; `neuromem-eval chaos` runs 1,000 (100 with --quick).
      const result = await createLockRace({ freshStarts: 30, crashStarts: 20 })({ quick: true, seed: 11, workDir: dir.path });
      expect(result.failures).toEqual([]);
      expect(result.rows.map(({ check, runs, failures }) => ({ check, runs, failures }))).toEqual([
        { check: 'lock race, fresh', runs: 30, failures: 0 },
        { check: 'lock race, after a crash', runs: 20, failures: 0 },
      ]);
      expect(result.figures).toMatchObject({ lockRaceStarts: 50, lockRaceDoubleOpens: 0, lockRaceUnexpectedErrors: 0 });
    } finally {
      dir.remove();
    }
  }, 120_000);
});

import { createTempDir } from '@neuromem/core/testing';
import { runLockRace } from './lock-race';

describe('runLockRace', () => {
  it('should find no double open and no raw error in the quick race, fresh and after a crash', async () => {
    const dir = createTempDir();
    try {
      const result = await runLockRace({ quick: true, seed: 11, workDir: dir.path });
      expect(result.failures).toEqual([]);
      expect(result.rows.map(({ check, runs, failures }) => ({ check, runs, failures }))).toEqual([
        { check: 'lock race, fresh', runs: 60, failures: 0 },
        { check: 'lock race, after a crash', runs: 40, failures: 0 },
      ]);
      expect(result.figures).toMatchObject({ lockRaceStarts: 100, lockRaceDoubleOpens: 0, lockRaceUnexpectedErrors: 0 });
    } finally {
      dir.remove();
    }
  }, 120_000);
});

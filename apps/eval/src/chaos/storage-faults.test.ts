import { createTempDir } from '@neuromem/core/testing';
import { runStorageFaults } from './storage-faults';

describe('storage faults check', () => {
  it('should find no broken promise in its quick run', async () => {
    const dir = createTempDir();
    try {
      const result = await runStorageFaults({ quick: true, seed: 20261201, workDir: dir.path });
      expect(result.failures).toEqual([]);
      expect(result.rows.map((row) => row.failures)).toEqual([0, 0, 0, 0]);
      // The disk-full row needs root to mount its tmpfs; it says so when it cannot run.
      for (const row of result.rows) expect(row.runs > 0 || row.detail.startsWith('skipped:')).toBe(true);
    } finally {
      dir.remove();
    }
  }, 120_000);
});

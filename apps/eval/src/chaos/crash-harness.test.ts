import { createTempDir } from '@neuromem/core/testing';
import { crashHarness } from './crash-harness';

describe('crash harness', () => {
  it('should lose no acknowledged write over a few SIGKILLs of a writer', async () => {
    const dir = createTempDir();
    try {
      const result = await crashHarness({ quick: true, seed: 20261201, workDir: dir.path, kills: 4 });
      expect(result.failures).toEqual([]);
      expect(result.figures).toMatchObject({ kills: 4, failures: 0 });
      expect(result.rows.map((row) => row.runs)).toEqual([1, 1, 1, 1]);
    } finally {
      dir.remove();
    }
  }, 60_000);
});

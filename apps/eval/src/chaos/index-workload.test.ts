import { createTempDir } from '@neuromem/core/testing';
import { runIndexWorkloadOf } from './index-workload';

describe('the randomized index workload', () => {
  let dir: ReturnType<typeof createTempDir>;
  beforeEach(() => {
    dir = createTempDir();
  });
  afterEach(() => dir.remove());

  it('should keep every vector index in agreement with SQLite through adds, replacements, removals and reopens', async () => {
    const result = await runIndexWorkloadOf({ quick: true, seed: 3, workDir: `${dir.path}/db`, operations: 3_000, facadeAdds: 150 });
    expect(result.failures).toEqual([]);
    expect(result.rows.map((row) => [row.runs, row.failures])).toEqual([
      [3, 0],
      [150, 0],
    ]);
    expect(result.figures?.indexDisagreements).toBe(0);
  }, 120_000);
});

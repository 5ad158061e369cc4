import { createTempDir } from '@neuromem/core/testing';
import type { Memory } from 'neuromem';
import { runTenantIsolationOf } from './tenant-isolation';

describe('the tenant isolation property check', () => {
  let dir: ReturnType<typeof createTempDir>;
  beforeEach(() => {
    dir = createTempDir();
  });
  afterEach(() => dir.remove());

  it('should find no foreign read or write in random operations of users sharing agents and run ids', async () => {
    const result = await runTenantIsolationOf({ quick: true, seed: 7, workDir: `${dir.path}/db`, operations: 300, diskOperations: 100, tenants: 8 });
    expect(result.failures).toEqual([]);
    expect(result.rows.map((row) => [row.runs, row.failures])).toEqual([
      [300, 0],
      [100, 0],
    ]);
    expect(result.figures?.tenantForeignIdCalls).toBeGreaterThan(50);
  }, 60_000);

  it('should count the leaks of a memory that ignores the scope of get and delete', async () => {
    const leaky = (memory: Memory): Memory => ({ ...memory, get: (id) => memory.get(id), delete: (id) => memory.delete(id) });
    const result = await runTenantIsolationOf({ quick: true, seed: 7, workDir: `${dir.path}/db`, operations: 200, diskOperations: 0, tenants: 8, wrap: leaky });
    expect(result.rows[0]!.failures).toBeGreaterThan(0);
    expect(result.failures.some((failure) => failure.includes('FOREIGN READ'))).toBe(true);
    expect(result.failures.some((failure) => failure.includes('FOREIGN WRITE'))).toBe(true);
  }, 60_000);
});

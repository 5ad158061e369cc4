import { formatPreloadBench, runPreloadBench } from './run-preload-bench';

describe('neuromem-eval preload-bench', () => {
  it('should score the learned agent and the recency baseline on the same searches, and report no hit rate without pre-loading', async () => {
    const report = await runPreloadBench({ memories: 90, users: 3, days: 2, seed: 3 });
    expect(report.systems.map((system) => system.system)).toEqual(['none', 'recency, fixed', 'learned (self-tuning)']);
    expect(report.scoredFirstSearches).toBeGreaterThan(0);
    for (const system of report.systems) expect(system.firstSearch.count).toBe(report.scoredFirstSearches);
    const [none, recency, learned] = report.systems;
    expect(none!.userHitRate).toBeNull();
    expect(recency!.finalParams).toEqual({ users: 8, recencyWeight: 1 });
    // Three users whose habits are learned within a day: the agent has most of them ready.
    expect(learned!.userHitRate).toBeGreaterThan(0.5);
    expect(formatPreloadBench(report)).toContain('| learned (self-tuning) |');
  }, 120_000);
});

import { formatLocomoTable } from '../report/format-locomo';
import { runParaphrase } from './run-paraphrase';

describe('runParaphrase', () => {
  it('should report BM25 recall at every k on the shipped paraphrase set', async () => {
    const report = await runParaphrase({ systems: ['bm25'], ks: [1, 5, 10], quiet: true });
    expect(report.dataset).toBe('paraphrase-v1.json');
    expect(report.questions).toBeGreaterThan(0);
    const bm25 = report.systems.bm25!;
    expect(Object.keys(bm25.recall)).toEqual(['1', '5', '10']);
    for (const value of Object.values(bm25.recall)) expect(value).toBeGreaterThanOrEqual(0);
    expect(formatLocomoTable(report)).toMatch(/R@1 .*R@5 .*R@10 /);
  });

  it('should refuse a system the registry does not know', async () => {
    await expect(runParaphrase({ systems: ['oracle'], ks: [10], quiet: true })).rejects.toThrow(/unknown system "oracle"/);
  });
});

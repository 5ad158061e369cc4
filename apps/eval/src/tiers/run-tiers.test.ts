import { join } from 'node:path';
import { loadLocomo } from '../locomo/load-locomo';
import { formatTiersTable, runTiers } from './run-tiers';

const FIXTURE = join(__dirname, '..', '..', '..', '..', 'datasets', 'fixtures', 'conversations.json');

describe('runTiers', () => {
  it('should measure recall and bytes for keep-all and for each policy at each share, fewer vector bytes as fewer memories keep vectors', async () => {
    const conversations = loadLocomo(FIXTURE).slice(0, 1);
    const report = await runTiers({ conversations, warmShares: [0.5, 0], policies: ['random', 'learned'] });
    expect(report.points.map((p) => [p.policy, p.warmShare])).toEqual([
      ['keep-all', 1],
      ['random', 0.5],
      ['random', 0],
      ['learned', 0.5],
      ['learned', 0],
    ]);
    const [keepAll, , randomNone, learnedHalf] = report.points;
    expect(learnedHalf!.vectorBytes).toBeLessThan(keepAll!.vectorBytes);
    expect(randomNone!.vectorBytes).toBeLessThan(learnedHalf!.vectorBytes);
    for (const point of report.points) expect(point.recall10 >= 0 && point.recall10 <= 1).toBe(true);
    expect(formatTiersTable(report).split('\n')).toHaveLength(2 + report.points.length);
  }, 60_000);

  it('should ask the first half of the questions before measuring the second with a replay, and fit the utility policy on the other conversations', async () => {
    const conversations = loadLocomo(FIXTURE);
    const plain = await runTiers({ conversations, warmShares: [0.5], policies: ['learned'] });
    const replay = await runTiers({ conversations, warmShares: [0.5], policies: ['learned', 'utility'], replay: true });
    expect(replay.replay).toBe(true);
    expect(replay.questions).toBeLessThan(plain.questions);
    expect(replay.points.map((p) => p.policy)).toEqual(['keep-all', 'learned', 'utility']);
    expect(replay.utility!.features).toEqual(['importance', 'age', 'accesses', 'idle']);
    // Without a replay there are no accesses to learn from: no utility policy.
    expect((await runTiers({ conversations: conversations.slice(0, 1), warmShares: [0.5], policies: ['utility'] })).points.map((p) => p.policy)).toEqual(['keep-all']);
  }, 120_000);
});

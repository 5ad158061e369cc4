import { join } from 'node:path';
import { loadLocomo } from '../locomo/load-locomo';
import { formatAdaptTable, runAdapt } from './run-adapt';

const FIXTURE = join(__dirname, '..', '..', '..', '..', 'datasets', 'fixtures', 'conversations.json');

describe('runAdapt', () => {
  it('should measure adaptive and frozen recall of the same test questions at every checkpoint, per user and per pattern', async () => {
    const conversations = loadLocomo(FIXTURE).slice(0, 1);
    const report = await runAdapt({ conversations, patterns: ['none', 'vocabulary'], training: 12, test: 5, checkpoints: [0, 6, 12], seed: 3 });
    expect(report.users.map((u) => u.pattern)).toEqual(['none', 'vocabulary']);
    for (const user of report.users) {
      expect(user.points.map((p) => p.interactions)).toEqual([0, 6, 12]);
      // Before any feedback both arms are the same memory.
      expect(user.points[0]!.adaptive).toBe(user.points[0]!.frozen);
      for (const point of user.points) for (const value of [point.adaptive, point.frozen]) expect(value >= 0 && value <= 1).toBe(true);
    }
    expect(report.patterns.map((p) => [p.pattern, p.users])).toEqual([
      ['none', 1],
      ['vocabulary', 1],
    ]);
    const table = formatAdaptTable(report);
    expect(table).toContain('@12 adaptive / frozen');
    expect(table.split('\n')).toHaveLength(4);
  }, 60_000);

  it('should hand the adaptive arm its learning options, which createMemory checks', async () => {
    const conversations = loadLocomo(FIXTURE).slice(0, 1);
    await expect(runAdapt({ conversations, patterns: ['none'], training: 2, test: 2, learning: { negativeWeight: 2 } })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('negativeWeight'),
    });
  }, 60_000);
});

import { join } from 'node:path';
import { createHashingEncoder, createMultiScaleEmbedder, createSingleScaleEmbedder } from '@neuromem/embeddings';
import { loadLocomo } from '../locomo/load-locomo';
import { maxSim, rankBy } from './embedding-metrics';
import { evaluateEmbedder } from './run-embedding-eval';

const FIXTURE = join(__dirname, '..', '..', '..', '..', 'datasets', 'fixtures', 'conversations.json');

describe('evaluateEmbedder', () => {
  const conversations = loadLocomo(FIXTURE);

  it('should measure consistency and every scale for a multi-scale embedder', async () => {
    const result = await evaluateEmbedder(conversations, async () => createMultiScaleEmbedder({ encoder: createHashingEncoder() }));
    expect(result.turns).toBe(88);
    expect(result.consistencyAt1).toBeGreaterThan(0.5);
    for (const value of [result.turnRecallAt10, result.tokenRecallAt10, result.sessionRecallAt10, result.sessionsThenTurnsRecallAt10]) {
      expect(value).toBeGreaterThan(0);
      expect(value).toBeLessThanOrEqual(1);
    }
  }, 60_000);

  it('should report the session measures as absent for a single-scale embedder', async () => {
    const result = await evaluateEmbedder(conversations, async () => createSingleScaleEmbedder(createHashingEncoder()));
    expect([result.consistencyAt1, result.tokenRecallAt10, result.sessionRecallAt10, result.sessionsThenTurnsRecallAt10]).toEqual([null, null, null, null]);
    expect(result.turnRecallAt10).toBeGreaterThan(0);
  });
});

describe('embedding metrics', () => {
  it('should average each query token best match (MaxSim)', () => {
    const e = (x: number, y: number) => new Float32Array([x, y]);
    expect(maxSim([e(1, 0), e(0, 1)], [e(1, 0), e(0.6, 0.8)])).toBeCloseTo((1 + 0.8) / 2, 6);
    expect(maxSim([], [e(1, 0)])).toBe(0);
  });

  it('should rank best first with ties in index order', () => {
    expect(rankBy([0.2, 0.9, 0.2, 0.5])).toEqual([1, 3, 0, 2]);
  });
});

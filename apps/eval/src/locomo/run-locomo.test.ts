import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SystemFactory } from '../systems/retrieval-system';
import { resolveSystems, SYSTEMS } from '../systems/registry';
import { loadLocomo, type LocomoTurn } from './load-locomo';
import { countSteps, runLocomo } from './run-locomo';

const FIXTURE = join(__dirname, '..', '..', '..', '..', 'datasets', 'fixtures', 'conversations.json');

describe('runLocomo', () => {
  const conversations = loadLocomo(FIXTURE);

  it('should report every metric for every system in the documented JSON shape', async () => {
    const report = await runLocomo({ dataset: 'fixture', conversations, systems: resolveSystems(Object.keys(SYSTEMS)), ks: [1, 5, 10] });
    expect(report.questions).toBe(conversations.flatMap((c) => c.questions).filter((q) => q.category !== 5).length);
    for (const name of Object.keys(SYSTEMS)) {
      const result = report.systems[name]!;
      expect(Object.keys(result.recall)).toEqual(['1', '5', '10']);
      expect(Object.keys(result.byCategory).sort()).toEqual(['1', '2', '3', '4', '5']);
      expect(result.recall['10']).toBeGreaterThan(0.3);
      expect(result.recall['1']).toBeLessThanOrEqual(result.recall['5']!);
      expect(result.recall['5']).toBeLessThanOrEqual(result.recall['10']!);
      expect(result.sessionRecall['10']).toBeGreaterThanOrEqual(result.recall['10']!);
      for (const value of [result.ndcg10, result.mrr, result.latencyMs.add.p50, result.latencyMs.search.p95, result.tokensTop10]) expect(Number.isFinite(value)).toBe(true);
      expect(result.storageBytes).toBeGreaterThan(0);
    }
  }, 120_000);

  it('should never show a memory the questions, answers, evidence or summaries', async () => {
    const seen: LocomoTurn[] = [];
    const spy: SystemFactory = async () => ({
      add: async (turn) => void seen.push(turn),
      search: async () => [],
      storageBytes: async () => 0,
      close: async () => undefined,
    });
    await runLocomo({ dataset: 'fixture', conversations, systems: [['spy', spy]], ks: [10] });
    const raw = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Array<{ qa: Array<{ question: string; answer?: unknown }>; session_summary: Record<string, string> }>;
    const ingested = seen.map((turn) => `${turn.speaker} ${turn.text}`).join('\n');
    for (const sample of raw) {
      for (const qa of sample.qa) expect(ingested).not.toContain(qa.question);
      for (const summary of Object.values(sample.session_summary)) expect(ingested).not.toContain(summary);
    }
    expect(seen.map((turn) => Object.keys(turn).sort().join(','))).toEqual(seen.map(() => 'diaId,session,speaker,text,time'));
    expect(seen.length).toBe(conversations.flatMap((c) => c.sessions.flatMap((s) => s.turns)).length);
  });

  it('should pass each question the reference date one day after the last session', async () => {
    const references: number[] = [];
    const spy: SystemFactory = async () => ({
      add: async () => undefined,
      search: async (_q, _k, referenceTime) => (references.push(referenceTime), []),
      storageBytes: async () => 0,
      close: async () => undefined,
    });
    await runLocomo({ dataset: 'fixture', conversations: conversations.slice(0, 1), systems: [['spy', spy]], ks: [10] });
    expect(new Set(references)).toEqual(new Set([conversations[0]!.sessions.at(-1)!.time + 86_400_000]));
  });

  it('should count the steps a progress bar needs', () => {
    const turns = conversations.flatMap((c) => c.sessions.flatMap((s) => s.turns)).length;
    const questions = conversations.flatMap((c) => c.questions).length;
    expect(countSteps(conversations, 2)).toBe(2 * (turns + questions));
  });

  it('should refuse unknown systems with the list of known ones', () => {
    expect(() => resolveSystems(['bm25', 'magic'])).toThrow(/unknown system "magic"; choose from bm25, vector, semantic, rag, neuromem/);
  });
});

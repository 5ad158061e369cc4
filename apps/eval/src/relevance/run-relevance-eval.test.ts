import { resultFeatures } from '@neuromem/controller';
import { createRandom } from '@neuromem/core/testing';
import type { ConversationRelevance } from './collect-relevance-examples';
import { chooseGate, formatRelevanceReport, runRelevanceEval, SCORERS } from './run-relevance-eval';

/** Conversations of made-up questions: an answerable one's first result holds its words and is the evidence. */
function conversations(count: number, seed: number): ConversationRelevance[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, (_, c) => ({
    conversationId: `c${c}`,
    questions: Array.from({ length: 60 }, (_, q) => {
      const answerable = q % 3 !== 0;
      const hit = answerable && random() < 0.8;
      const texts = Array.from({ length: 10 }, (_, i) => (hit && i === 0 ? 'the beagle is named biscuit' : `filler ${Math.floor(random() * 100)}`));
      const features = resultFeatures(
        'what is the beagle named?',
        texts.map((text, i) => ({ text, logit: (hit && i === 0 ? 0 : -3) - i / 5 + random(), factors: { turnSimilarity: random() / 3, semanticSimilarity: random() / 3 } })),
      );
      return { question: `q${q}`, answerable, results: features.map((f, i) => ({ features: f, rankerScore: 1 / (1 + Math.exp(-f.logit)), useful: hit && i === 0 })) };
    }),
  }));
}

describe('runRelevanceEval', () => {
  const report = runRelevanceEval(conversations(3, 1), { threshold: 0.5 });

  it('should score every scorer on held-out conversations, the shipped design last', () => {
    expect(report.scorers.map((s) => s.name)).toEqual(SCORERS.map((s) => s.name));
    expect(report.scorers.at(-1)!.name).toBe('calibrator+gate');
    expect(report).toMatchObject({ answerable: 120, unanswerable: 60, results: 1800 });
    for (const scorer of report.scorers) {
      expect(scorer.ece).toBeGreaterThanOrEqual(0);
      expect(scorer.questions).toHaveLength(180);
    }
    // The made-up answerable questions hold their words: every scorer tells most of them apart.
    for (const scorer of report.scorers) expect(scorer.auc).toBeGreaterThan(0.7);
    expect(formatRelevanceReport(report)).toContain('| calibrator+gate |');
  });

  it('should choose by default the gate where as many unanswerable questions are gated as answerable ones pass', () => {
    const shipped = report.scorers.at(-1)!;
    const gate = chooseGate(shipped);
    const found = shipped.questions.filter((q) => q.answerable && q.evidenceInTop);
    const never = shipped.questions.filter((q) => !q.answerable);
    const worse = (t: number) => Math.min(found.filter((q) => q.answerability >= t).length / found.length, never.filter((q) => q.answerability < t).length / never.length);
    for (let step = 1; step < 100; step++) expect(worse(gate)).toBeGreaterThanOrEqual(worse(step / 100));
    expect(gate).toBeGreaterThan(0);
    expect(gate).toBeLessThan(1);
  });

  it('should choose the largest gate that still passes the share of answerable questions with retrieved evidence asked for', () => {
    const shipped = report.scorers.at(-1)!;
    const gate = chooseGate(shipped, 0.95);
    const found = shipped.questions.filter((q) => q.answerable && q.evidenceInTop);
    const passing = (t: number) => found.filter((q) => q.answerability >= t).length / found.length;
    expect(passing(gate)).toBeGreaterThanOrEqual(0.95);
    if (gate < 0.99) expect(passing(gate + 0.01)).toBeLessThan(0.95);
  });

  it('should score a test-only set with models never fitted on it, leave it out of the pool and the gate, and report it alone', () => {
    const main = conversations(3, 1);
    const test = conversations(2, 3).map((conversation) => ({ ...conversation, conversationId: `t-${conversation.conversationId}`, dataset: 'test.json', heldOutOnly: true }));
    const withTest = runRelevanceEval([...main, ...test], { threshold: 0.5 });
    // The pool, its questions (the gate's choice) and so the gate are what they are without the test set.
    expect(withTest).toMatchObject({ answerable: 120, unanswerable: 60 });
    for (const [i, scorer] of withTest.scorers.entries()) {
      expect(scorer.questions).toEqual(report.scorers[i]!.questions);
      expect(scorer.auc).toBe(report.scorers[i]!.auc);
    }
    const alone = withTest.scorers.at(-1)!.byDataset!['test.json (test only)']!;
    expect(alone.auc).toBeGreaterThan(0.7);
    expect(formatRelevanceReport(withTest)).toContain('test.json (test only) alone (calibrator+gate): AUC');
  });

  it('should report an extra data set alone beside the pooled figures, held out the same way', () => {
    const extra = conversations(2, 2).map((conversation) => ({ ...conversation, conversationId: `x-${conversation.conversationId}`, dataset: 'extra.json' }));
    const mixed = runRelevanceEval([...conversations(3, 1), ...extra], { threshold: 0.5 });
    const shipped = mixed.scorers.at(-1)!;
    expect(mixed).toMatchObject({ answerable: 200, unanswerable: 100 });
    expect(Object.keys(shipped.byDataset ?? {})).toEqual(['whole conversations', 'extra.json']);
    expect(shipped.byDataset!['whole conversations']!.auc).toBeGreaterThan(0.7);
    const alone = shipped.byDataset!['extra.json']!;
    // Its shares are over its own 120 questions, not the pool's 300.
    expect(alone.answerablePassed * 80).toBeCloseTo(Math.round(alone.answerablePassed * 80), 6);
    expect(alone.auc).toBeGreaterThan(0.7);
    expect(formatRelevanceReport(mixed)).toContain('extra.json alone (calibrator+gate): AUC');
    expect(report.scorers.at(-1)!.byDataset).toBeUndefined();
  });

  it("should report small stores' questions apart, held out with their conversation", () => {
    const data = conversations(3, 1).map((conversation) => ({
      ...conversation,
      questions: [...conversation.questions, ...conversation.questions.slice(0, 20).map((question) => ({ ...question, setting: 'small store' as const }))],
    }));
    const shipped = runRelevanceEval(data, { threshold: 0.5 }).scorers.at(-1)!;
    expect(Object.keys(shipped.byDataset ?? {})).toEqual(['whole conversations', 'small store']);
    expect(shipped.questions).toHaveLength(data.reduce((n, c) => n + c.questions.length, 0));
    expect(formatRelevanceReport(runRelevanceEval(data))).toContain('small store alone (calibrator+gate): AUC');
    // The gate is chosen on whole conversations; a small store's questions only move its slopes.
    const whole = { ...shipped, questions: shipped.questions.filter((q) => q.setting === undefined) };
    expect(chooseGate(shipped)).toBe(chooseGate(whole));
    expect(chooseGate(shipped, 0.95)).toBe(chooseGate(whole, 0.95));
    expect(shipped.questions.filter((q) => q.setting === 'small store')).toHaveLength(60);
  });
});

import { fitImportance, importanceOf, rocAuc, type ImportanceModel } from '@neuromem/controller';
import type { LocomoConversation } from '../locomo/load-locomo';

/** A conversation's turns, each labelled by whether any LoCoMo question cites it as evidence. */
export function neededTurns(conversation: LocomoConversation): Array<{ text: string; needed: boolean }> {
  const cited = new Set(conversation.questions.flatMap((question) => question.evidence));
  return conversation.sessions.flatMap((session) => session.turns.map((turn) => ({ text: turn.text, needed: cited.has(turn.diaId) })));
}

export interface ImportanceFitReport {
  turns: number;
  needed: number;
  /** Held-out AUC (needed vs not) per policy, pooled over conversations. */
  policies: Array<{ name: string; description: string; auc: number; meanNeeded: number; meanOther: number }>;
  /** The model fitted on every conversation (what ships) and one per held-out conversation. */
  shipped: ImportanceModel;
  folds: Map<string, ImportanceModel>;
}

/**
 * Fits the write-time importance model leave-one-conversation-out and compares it, on the turns of
 * conversations it never saw, with the policies a memory without it has: every turn alike (the 0.5
 * default: keep-all), and length alone.
 */
export function runImportanceFit(conversations: readonly LocomoConversation[], note: Record<string, unknown>): ImportanceFitReport {
  const turns = new Map(conversations.map((conversation) => [conversation.sampleId, neededTurns(conversation)]));
  const policies: Array<{ name: string; description: string; fit: (training: Array<{ text: string; needed: boolean }>) => (text: string) => number }> = [
    { name: 'keep-all', description: 'every memory at the default importance 0.5', fit: () => () => 0.5 },
    {
      name: 'length',
      description: 'a logistic fit on the word count alone',
      fit: (training) => {
        const model = fitImportance(training, { features: ['words'] });
        return (text) => importanceOf(model, text);
      },
    },
    {
      name: 'learned',
      description: 'the importance model: logistic regression on the statement-shape features',
      fit: (training) => {
        const model = fitImportance(training);
        return (text) => importanceOf(model, text);
      },
    },
  ];
  const folds = new Map<string, ImportanceModel>();
  for (const held of conversations) {
    const training = conversations.filter((c) => c !== held).flatMap((c) => turns.get(c.sampleId)!);
    folds.set(held.sampleId, fitImportance(training, { note: { ...note, heldOut: held.sampleId } }));
  }
  const all = conversations.flatMap((c) => turns.get(c.sampleId)!);
  return {
    turns: all.length,
    needed: all.filter((t) => t.needed).length,
    policies: policies.map((policy) => {
      const scored: Array<{ score: number; needed: boolean }> = [];
      for (const held of conversations) {
        const score = policy.fit(conversations.filter((c) => c !== held).flatMap((c) => turns.get(c.sampleId)!));
        for (const turn of turns.get(held.sampleId)!) scored.push({ score: score(turn.text), needed: turn.needed });
      }
      const mean = (rows: typeof scored) => rows.reduce((sum, row) => sum + row.score, 0) / Math.max(1, rows.length);
      return {
        name: policy.name,
        description: policy.description,
        auc: rocAuc(
          scored.map((s) => s.score),
          scored.map((s) => s.needed),
        ),
        meanNeeded: mean(scored.filter((s) => s.needed)),
        meanOther: mean(scored.filter((s) => !s.needed)),
      };
    }),
    shipped: fitImportance(all, { note: { ...note, conversations: conversations.map((c) => c.sampleId) } }),
    folds,
  };
}

export function formatImportanceReport(report: ImportanceFitReport): string {
  return [
    `${report.turns} turns, ${report.needed} cited as evidence by a later question; held out by conversation`,
    '',
    '| policy | AUC (needed vs not) | mean importance, needed | mean importance, other |',
    '|---|---:|---:|---:|',
    ...report.policies.map((p) => `| ${p.name} | ${Number.isNaN(p.auc) ? '0.500' : p.auc.toFixed(3)} | ${p.meanNeeded.toFixed(3)} | ${p.meanOther.toFixed(3)} |`),
  ].join('\n');
}

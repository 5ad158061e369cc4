import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemory, type Memory } from 'neuromem';
import type { LocomoConversation } from '../locomo/load-locomo';
import { foldSettings, storeConversation, type FoldModelOptions } from '../locomo/store-conversation';
import { questionTime } from '../locomo/turn-message';
import { PATTERNS, simulateUser, type Interaction, type Pattern } from './simulated-users';

/** Results a simulated user looks at: recall is measured at this cut-off. */
export const SHOWN = 5;

export interface AdaptOptions extends FoldModelOptions {
  conversations: readonly LocomoConversation[];
  patterns: readonly Pattern[];
  /** Interactions each user learns from (default 100). */
  training?: number;
  /** Test questions per user, asked at every checkpoint (default 40). */
  test?: number;
  /** After how many interactions recall is measured (default 0, 10, 25, 50, 75, 100). */
  checkpoints?: readonly number[];
  seed?: number;
  /** How the adaptive arm learns (`createMemory`'s `adaptation`); default the library's. */
  learning?: { learningRate?: number; decay?: number; negativeWeight?: number };
  onProgress?: (message: string) => void;
}

export interface CurvePoint {
  interactions: number;
  /** recall@5 on the test questions with feedback learned so far. */
  adaptive: number;
  /** recall@5 on the same questions, same searches, no feedback learned. */
  frozen: number;
}

export interface UserCurve {
  conversationId: string;
  pattern: Pattern;
  testQuestions: number;
  points: CurvePoint[];
}

export interface AdaptReport {
  training: number;
  test: number;
  users: UserCurve[];
  /** Per pattern, the users' curves averaged. */
  patterns: Array<{ pattern: Pattern; users: number; points: CurvePoint[] }>;
}

/**
 * `neuromem-eval adapt`: simulated users whose questions follow a pattern the global model does
 * not know. Each user asks, looks at the top 5, marks the memory they meant useful (and the first
 * result, when it is another, not useful); a frozen twin on a copy of the same store gets the very
 * same searches without learning. Both answer the same held-out test questions at every checkpoint.
 */
export async function runAdapt(options: AdaptOptions): Promise<AdaptReport> {
  const training = options.training ?? 100;
  const testSize = options.test ?? 40;
  const checkpoints = [...new Set(options.checkpoints ?? [0, 10, 25, 50, 75, 100])].filter((n) => n <= training).sort((a, b) => a - b);
  const users: UserCurve[] = [];
  for (const [c, conversation] of options.conversations.entries()) {
    const userId = conversation.sampleId;
    const settings = await foldSettings(conversation, options);
    const root = mkdtempSync(join(tmpdir(), 'neuromem-adapt-'));
    try {
      const turns = await storeConversation(join(root, 'template'), conversation, settings);
      const referenceDate = questionTime(conversation);
      for (const pattern of options.patterns) {
        const p = PATTERNS.indexOf(pattern);
        const user = simulateUser(turns, pattern, { seed: (options.seed ?? 1) * 1000 + c * 10 + p, training, test: testSize });
        options.onProgress?.(`${conversation.sampleId} ${pattern}: ${user.training.length} interactions, ${user.test.length} test questions`);
        const [adaptive, frozen] = await Promise.all(
          ['adaptive', 'frozen'].map((arm) => {
            const path = join(root, `${pattern}-${arm}`);
            cpSync(join(root, 'template'), path, { recursive: true });
            const adaptation = arm === 'frozen' ? false : options.learning;
            return createMemory({ path, ...settings, ...(adaptation !== undefined ? { adaptation } : {}) });
          }),
        );
        try {
          const points: CurvePoint[] = [];
          const measure = async (interactions: number) =>
            points.push({ interactions, adaptive: await recallAt(adaptive!, user.test, userId, referenceDate), frozen: await recallAt(frozen!, user.test, userId, referenceDate) });
          for (let i = 0; i <= training; i++) {
            if (checkpoints.includes(i)) await measure(i);
            if (i === training) break;
            await interact(adaptive!, frozen!, user.training[i]!, userId, referenceDate);
          }
          users.push({ conversationId: conversation.sampleId, pattern, testQuestions: user.test.length, points });
        } finally {
          await Promise.all([adaptive!.close(), frozen!.close()]);
        }
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
  return { training, test: testSize, users, patterns: options.patterns.map((pattern) => averaged(pattern, users)) };
}

/** One interaction: both arms search alike (access counts stay equal); only the adaptive one learns. */
async function interact(adaptive: Memory, frozen: Memory, { query, target }: Interaction, userId: string, referenceDate: number): Promise<void> {
  const [shown] = await Promise.all([adaptive.search(query, { userId, limit: SHOWN, referenceDate }), frozen.search(query, { userId, limit: SHOWN, referenceDate })]);
  await adaptive.feedback({ memoryId: target, query, useful: true, userId, referenceDate });
  const first = shown.results[0];
  if (first && first.id !== target) await adaptive.feedback({ memoryId: first.id, query, useful: false, userId, referenceDate });
}

async function recallAt(memory: Memory, test: readonly Interaction[], userId: string, referenceDate: number): Promise<number> {
  let found = 0;
  for (const { query, target } of test) {
    const { results } = await memory.search(query, { userId, limit: SHOWN, referenceDate });
    if (results.some((result) => result.id === target)) found++;
  }
  return test.length > 0 ? found / test.length : 0;
}

function averaged(pattern: Pattern, users: readonly UserCurve[]): AdaptReport['patterns'][number] {
  const mine = users.filter((user) => user.pattern === pattern);
  const points = (mine[0]?.points ?? []).map((point, i) => ({
    interactions: point.interactions,
    adaptive: mean(mine.map((user) => user.points[i]!.adaptive)),
    frozen: mean(mine.map((user) => user.points[i]!.frozen)),
  }));
  return { pattern, users: mine.length, points };
}

const mean = (values: readonly number[]) => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);

/** One row per pattern: recall@5 adaptive / frozen at each checkpoint, and the gain at the last. */
export function formatAdaptTable(report: AdaptReport): string {
  const checkpoints = report.patterns[0]?.points.map((point) => point.interactions) ?? [];
  const header = ['pattern', 'users', ...checkpoints.map((n) => `@${n} adaptive / frozen`), `gain @${checkpoints.at(-1) ?? 0}`];
  const rows = report.patterns.map(({ pattern, users, points }) => {
    const last = points.at(-1);
    return [pattern, String(users), ...points.map((point) => `${point.adaptive.toFixed(3)} / ${point.frozen.toFixed(3)}`), last ? signed(last.adaptive - last.frozen) : ''];
  });
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
  return [`recall@${SHOWN} of each user's held-out test questions after n interactions (${report.training} in all, ${report.test} test questions per user)`, line(header), ...rows.map(line)].join(
    '\n',
  );
}

const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(3)}`;

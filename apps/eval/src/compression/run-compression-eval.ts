import type { TextEncoder } from '@neuromem/core';
import { createCompressor, createTiktokenCounter, tiktokenEncoding, type KeepModel } from '@neuromem/compression';
import { createRandom } from '@neuromem/core/testing';
import { normalizeAnswer } from '../answer/normalize-answer';
import { mean, percentile } from '../metrics/retrieval-metrics';
import type { LocomoConversation } from '../locomo/load-locomo';
import type { RetrievedQuestion } from './retrieve-top-turns';

export const BUDGET_RATIOS = [0.5, 0.25, 0.1] as const;
export const METHODS = ['neuromem', 'truncate', 'random'] as const;
type Method = (typeof METHODS)[number];

export interface MethodResult {
  /** Share of questions whose normalized answer survives, among those whose answer was in the uncompressed text. */
  answerRetention: number;
  /** Mean tokens of the compressed text. */
  tokens: number;
}

export interface CompressionReport {
  dataset: string;
  /** Questions (categories 1-4) whose answer appears in their top-10 turns before compression. */
  questions: number;
  /** Questions of categories 1-4 in total. */
  asked: number;
  /** Mean tokens of the uncompressed top-10 context. */
  tokensBefore: number;
  /** Whether each conversation was compressed by a keep model fitted without it. */
  heldOut: boolean;
  budgets: Record<string, Record<Method, MethodResult>>;
  /** Milliseconds per `compress()` call over the eval, and for one ~2,000-token context at 25 %. */
  speed: { p50Ms: number; p95Ms: number; twoThousandTokens: { tokens: number; meanMs: number; p95Ms: number } };
}

const counter = createTiktokenCounter();

/** Answer retention at 50 / 25 / 10 % of the tokens for NeuroMem's compressor, truncation and random word dropping. */
export async function runCompressionEval(options: {
  dataset: string;
  conversations: readonly LocomoConversation[];
  retrieved: ReadonlyMap<string, readonly RetrievedQuestion[]>;
  keepModelFor?: (conversationId: string) => KeepModel | undefined;
  /** The compressor's sentence encoder for a conversation (its `semantic` clause feature), as `context()` passes it. */
  semanticFor?: (conversationId: string) => Promise<TextEncoder>;
  seed?: number;
}): Promise<CompressionReport> {
  const random = createRandom(options.seed ?? 7);
  const sums = Object.fromEntries(BUDGET_RATIOS.map((r) => [r, Object.fromEntries(METHODS.map((m) => [m, { kept: 0, tokens: 0 }]))])) as Record<
    number,
    Record<Method, { kept: number; tokens: number }>
  >;
  const timings: number[] = [];
  let eligible = 0;
  let asked = 0;
  let tokensBefore = 0;
  for (const conversation of options.conversations) {
    const model = options.keepModelFor?.(conversation.sampleId);
    const semantic = await options.semanticFor?.(conversation.sampleId);
    const compressor = createCompressor({ ...(model ? { keepModel: model } : {}), ...(semantic ? { semantic } : {}) });
    for (const { question, turns } of options.retrieved.get(conversation.sampleId) ?? []) {
      asked++;
      const answer = normalizeAnswer(question.answer ?? '');
      const items = turns.map(({ turn, score }) => ({ memoryId: turn.diaId, text: turn.text, score }));
      const full = items.map((item) => `- ${item.text}`).join('\n');
      if (answer === '' || !contains(full, answer)) continue;
      eligible++;
      const fullTokens = counter.count(full);
      tokensBefore += fullTokens;
      for (const ratio of BUDGET_RATIOS) {
        const budget = Math.max(1, Math.floor(ratio * fullTokens));
        const started = performance.now();
        const ours = (await compressor.compress(items, { query: question.question, tokenBudget: budget })).text;
        timings.push(performance.now() - started);
        const outputs: Record<Method, string> = { neuromem: ours, truncate: truncate(full, budget), random: randomWords(full, budget, random) };
        for (const method of METHODS) {
          sums[ratio]![method].kept += contains(outputs[method], answer) ? 1 : 0;
          sums[ratio]![method].tokens += counter.count(outputs[method]);
        }
      }
    }
  }
  const budgets = Object.fromEntries(
    BUDGET_RATIOS.map((ratio) => [
      String(ratio),
      Object.fromEntries(METHODS.map((m) => [m, { answerRetention: eligible ? sums[ratio]![m].kept / eligible : 0, tokens: eligible ? sums[ratio]![m].tokens / eligible : 0 }])),
    ]),
  ) as CompressionReport['budgets'];
  return {
    dataset: options.dataset,
    questions: eligible,
    asked,
    tokensBefore: eligible ? tokensBefore / eligible : 0,
    heldOut: options.keepModelFor !== undefined,
    budgets,
    speed: { p50Ms: percentile(timings, 50), p95Ms: percentile(timings, 95), twoThousandTokens: await timeLargeContext(options.conversations[0]!) },
  };
}

/** Compresses a ~2,000-token context (consecutive turns of one conversation) to 25 %, 30 times. */
async function timeLargeContext(conversation: LocomoConversation) {
  const turns = conversation.sessions.flatMap((session) => session.turns);
  const items: Array<{ memoryId: string; text: string; score: number }> = [];
  let tokens = 0;
  for (const turn of turns) {
    if (tokens >= 2000) break;
    items.push({ memoryId: turn.diaId, text: turn.text, score: 1 / (1 + items.length) });
    tokens = counter.count(items.map((item) => `- ${item.text}`).join('\n'));
  }
  const compressor = createCompressor();
  const query = conversation.questions[0]?.question ?? 'what happened?';
  await compressor.compress(items, { query, tokenBudget: Math.floor(tokens / 4) });
  const times: number[] = [];
  for (let i = 0; i < 30; i++) {
    const started = performance.now();
    await compressor.compress(items, { query, tokenBudget: Math.floor(tokens / 4) });
    times.push(performance.now() - started);
  }
  return { tokens, meanMs: mean(times), p95Ms: percentile(times, 95) };
}

/** LoCoMo-normalized containment at word boundaries. */
function contains(text: string, normalizedAnswer: string): boolean {
  return ` ${normalizeAnswer(text)} `.includes(` ${normalizedAnswer} `);
}

/** The first `budget` cl100k tokens. */
function truncate(text: string, budget: number): string {
  const encoding = tiktokenEncoding('cl100k_base');
  return encoding.decode(encoding.encode(text).slice(0, budget));
}

/** Random word dropping: words kept in a random order until the budget is full, shown in their original order. */
function randomWords(text: string, budget: number, random: () => number): string {
  const words = text.split(/\s+/).filter(Boolean);
  const order = words.map((_, i) => i).sort(() => random() - 0.5);
  const kept = new Set<number>();
  let used = 0;
  for (const i of order) {
    const cost = counter.count(` ${words[i]}`);
    if (used + cost > budget) continue;
    kept.add(i);
    used += cost;
  }
  let result = words.filter((_, i) => kept.has(i)).join(' ');
  while (counter.count(result) > budget && kept.size > 0) {
    kept.delete([...kept].pop()!);
    result = words.filter((_, i) => kept.has(i)).join(' ');
  }
  return result;
}

export function formatCompressionTable(report: CompressionReport): string {
  const lines = [
    `${report.dataset}: ${report.questions} of ${report.asked} questions (categories 1-4) have their answer in the top-10 turns (${report.tokensBefore.toFixed(0)} tokens on average); ${report.heldOut ? 'keep model held out by conversation' : 'shipped keep model'}`,
    '',
    '| budget | neuromem retention | neuromem tokens | truncate retention | truncate tokens | random retention | random tokens |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const [ratio, methods] of Object.entries(report.budgets)) {
    lines.push(`| ${Math.round(Number(ratio) * 100)} % | ${METHODS.map((m) => `${methods[m].answerRetention.toFixed(3)} | ${methods[m].tokens.toFixed(0)}`).join(' | ')} |`);
  }
  const { speed } = report;
  lines.push(
    '',
    `compress(): p50 ${speed.p50Ms.toFixed(2)} ms, p95 ${speed.p95Ms.toFixed(2)} ms per call; a ${speed.twoThousandTokens.tokens}-token context to 25 %: mean ${speed.twoThousandTokens.meanMs.toFixed(2)} ms, p95 ${speed.twoThousandTokens.p95Ms.toFixed(2)} ms`,
  );
  return lines.join('\n');
}

import { tiktokenEncoding } from '@neuromem/compression';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mean, ndcgAtK, percentile, recallAtK, reciprocalRank, sessionRecallAtK } from '../metrics/retrieval-metrics';
import type { SystemContext, SystemFactory } from '../systems/retrieval-system';
import type { Category, LocomoConversation, LocomoTurn } from './load-locomo';
import { echoTurns } from './echo-questions';
import { questionTime } from './turn-message';

export interface SystemResult {
  /** Questions of categories 1-4 that have at least one resolvable evidence id. */
  questions: number;
  recall: Record<string, number>;
  byCategory: Record<string, Record<string, number>>;
  sessionRecall: Record<string, number>;
  ndcg10: number;
  mrr: number;
  latencyMs: { add: { p50: number; p95: number }; search: { p50: number; p95: number } };
  storageBytes: number;
  /** For systems that sleep: the version links (`supersedes`) their sleeps made, over every conversation. */
  versionLinks?: number;
  /** Mean cl100k tokens in the top-10 turns of a question. */
  tokensTop10: number;
  /**
   * With `--context`, for systems that build one: the mean tokens of the uncompressed `context()`
   * of the top 10 and the share of evidence turns it states in full.
   */
  context?: { tokens: number; recall: number };
  /** With `--llm`: answers generated from the top-10 turns, scored against LoCoMo's answers. */
  answers?: { f1: number; judge: number; byCategory: Record<string, { f1: number; judge: number }> };
}

/** Answers a question from retrieved turns and scores the answer (token F1 and an LLM judge, each 0..1). */
export type Answerer = (input: { question: string; answer: string; category: Category; context: readonly LocomoTurn[]; referenceTime: number }) => Promise<{ f1: number; judge: number }>;

export interface LocomoReport {
  dataset: string;
  questions: number;
  ks: number[];
  conversations: string[];
  /** Turns stored per system, over every conversation. */
  turns: number;
  systems: Record<string, SystemResult>;
}

export interface RunOptions {
  dataset: string;
  conversations: readonly LocomoConversation[];
  systems: ReadonlyArray<readonly [string, SystemFactory]>;
  ks: readonly number[];
  /** Cross-validation: heads trained without the conversation at hand. */
  headsFor?: SystemContext['headsFor'];
  /** The store NeuroMem runs on (default: the embedded SQLite store). */
  store?: SystemContext['store'];
  rankerFor?: SystemContext['rankerFor'];
  semanticFor?: SystemContext['semanticFor'];
  importanceFor?: SystemContext['importanceFor'];
  /** Also measure each question's `context()` of the top 10 (systems that have one). */
  context?: boolean;
  /** Store every other question as a user turn before any is asked (see `echoTurns`). */
  echoQuestions?: boolean;
  /** Optional: answer every question of categories 1-4 from the top-10 turns. */
  answerer?: Answerer;
  /** Called after each add and search, for a progress bar. */
  onProgress?: (step: { system: string; conversation: string }) => void;
}

/** Total add + search calls of a run, for progress bars. */
/** Untimed searches per conversation before the timed ones. */
const WARMUP_SEARCHES = 10;

export const countSteps = (conversations: readonly LocomoConversation[], systems: number) =>
  systems * conversations.reduce((sum, c) => sum + c.sessions.reduce((n, s) => n + s.turns.length, 0) + c.questions.length, 0);

interface Scored {
  category: Category;
  recall: number[];
  sessionRecall: number[];
  ndcg10: number;
  rr: number;
  tokens: number;
  context?: { tokens: number; recall: number };
  answer?: { f1: number; judge: number };
}

/**
 * Runs every system over every conversation: a fresh memory per conversation, every turn added in
 * time order, then every question asked with the reference date one day after the last session.
 * The systems never see questions, answers, evidence, observations or summaries at ingest.
 */
export async function runLocomo(options: RunOptions): Promise<LocomoReport> {
  const { conversations, ks } = options;
  const maxK = Math.max(...ks, 10);
  const encoding = tiktokenEncoding('cl100k_base');
  const report: LocomoReport = {
    dataset: options.dataset,
    questions: 0,
    ks: [...ks],
    conversations: conversations.map((c) => c.sampleId),
    turns: conversations.reduce((sum, c) => sum + c.sessions.reduce((n, session) => n + session.turns.length, 0), 0),
    systems: {},
  };

  for (const [name, factory] of options.systems) {
    const scored: Scored[] = [];
    const addMs: number[] = [];
    const searchMs: number[] = [];
    let storageBytes = 0;
    let versionLinks: number | undefined;
    for (const conversation of conversations) {
      const directory = mkdtempSync(join(tmpdir(), 'neuromem-eval-'));
      const system = await factory({
        conversation,
        directory,
        ...(options.headsFor ? { headsFor: options.headsFor } : {}),
        ...(options.rankerFor ? { rankerFor: options.rankerFor } : {}),
        ...(options.semanticFor ? { semanticFor: options.semanticFor } : {}),
        ...(options.importanceFor ? { importanceFor: options.importanceFor } : {}),
        ...(options.store ? { store: options.store } : {}),
      });
      try {
        const turns = conversation.sessions.flatMap((session) => session.turns);
        const turnById = new Map(turns.map((turn) => [turn.diaId, turn]));
        for (const turn of turns) {
          const started = performance.now();
          await system.add(turn);
          addMs.push(performance.now() - started);
          options.onProgress?.({ system: name, conversation: conversation.sampleId });
        }
        if (options.echoQuestions) for (const turn of echoTurns(conversation)) await system.add(turn);
        await system.settle?.();
        if (system.versionLinks) versionLinks = (versionLinks ?? 0) + (await system.versionLinks()).length;
        const referenceTime = questionTime(conversation);
        // Latency is measured warm, as a running app serves it: a few untimed searches first let the
        // JIT compile the search path. Their results are discarded (the systems keep no query state).
        for (const qa of conversation.questions.slice(0, WARMUP_SEARCHES)) await system.search(qa.question, maxK, referenceTime);
        for (const qa of conversation.questions) {
          const started = performance.now();
          const ranked = await system.search(qa.question, maxK, referenceTime);
          searchMs.push(performance.now() - started);
          options.onProgress?.({ system: name, conversation: conversation.sampleId });
          const evidence = qa.evidence.filter((id) => turnById.has(id));
          if (evidence.length === 0) continue;
          const sessionOf = (id: string) => turnById.get(id)?.session;
          const answer =
            options.answerer && qa.category !== 5 && qa.answer !== null
              ? await options.answerer({ question: qa.question, answer: qa.answer, category: qa.category, context: ranked.slice(0, 10).flatMap((id) => turnById.get(id) ?? []), referenceTime })
              : undefined;
          const context = options.context && system.context ? await system.context(qa.question, 10, referenceTime) : undefined;
          scored.push({
            ...(answer ? { answer } : {}),
            ...(context ? { context: { tokens: context.tokens, recall: evidence.filter((id) => context.turns.includes(id)).length / evidence.length } } : {}),
            category: qa.category,
            recall: ks.map((k) => recallAtK(ranked, evidence, k)),
            sessionRecall: ks.map((k) => sessionRecallAtK(ranked, evidence, k, sessionOf)),
            ndcg10: ndcgAtK(ranked, evidence, 10),
            rr: reciprocalRank(ranked, evidence),
            tokens: ranked.slice(0, 10).reduce((sum, id) => {
              const turn = turnById.get(id);
              return sum + (turn ? encoding.encode(`${turn.speaker}: ${turn.text}`).length : 0);
            }, 0),
          });
        }
        storageBytes += await system.storageBytes();
      } finally {
        await system.close();
        rmSync(directory, { recursive: true, force: true });
      }
    }
    const main = scored.filter((s) => s.category !== 5);
    const perK = (rows: Scored[], pick: (s: Scored) => number[]) => Object.fromEntries(ks.map((k, i) => [String(k), round(mean(rows.map((r) => pick(r)[i]!)))]));
    const byCategory: Record<string, Record<string, number>> = {};
    for (const category of [1, 2, 3, 4, 5] as const) {
      const rows = scored.filter((s) => s.category === category);
      if (rows.length > 0) byCategory[String(category)] = perK(rows, (r) => r.recall);
    }
    report.questions = main.length;
    report.systems[name] = {
      questions: main.length,
      recall: perK(main, (r) => r.recall),
      byCategory,
      sessionRecall: perK(main, (r) => r.sessionRecall),
      ndcg10: round(mean(main.map((r) => r.ndcg10))),
      mrr: round(mean(main.map((r) => r.rr))),
      latencyMs: {
        add: { p50: round(percentile(addMs, 50)), p95: round(percentile(addMs, 95)) },
        search: { p50: round(percentile(searchMs, 50)), p95: round(percentile(searchMs, 95)) },
      },
      storageBytes,
      ...(versionLinks !== undefined ? { versionLinks } : {}),
      tokensTop10: round(mean(main.map((r) => r.tokens)), 1),
      ...(main.some((r) => r.context) ? { context: { tokens: round(mean(main.map((r) => r.context?.tokens ?? 0)), 1), recall: round(mean(main.map((r) => r.context?.recall ?? 0))) } } : {}),
    };
    const answered = main.filter((r) => r.answer);
    if (answered.length > 0) {
      const summarize = (rows: Scored[]) => ({ f1: round(mean(rows.map((r) => r.answer!.f1))), judge: round(mean(rows.map((r) => r.answer!.judge))) });
      const answerByCategory: Record<string, { f1: number; judge: number }> = {};
      for (const category of [1, 2, 3, 4] as const) {
        const rows = answered.filter((r) => r.category === category);
        if (rows.length > 0) answerByCategory[String(category)] = summarize(rows);
      }
      report.systems[name]!.answers = { ...summarize(answered), byCategory: answerByCategory };
    }
  }
  return report;
}

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

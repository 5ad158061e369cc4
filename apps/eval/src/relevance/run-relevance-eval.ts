import {
  createRelevanceGate,
  expectedCalibrationError,
  fitLogistic,
  fitRelevance,
  predictLogistic,
  questionFeatures,
  RESULT_FEATURES,
  reliabilityTable,
  rocAuc,
  type LogisticModel,
  type RelevanceModel,
  type ReliabilityBin,
  type ResultFeature,
} from '@neuromem/controller';
import type { ConversationRelevance, RelevanceQuestion } from './collect-relevance-examples';

type Result = RelevanceQuestion['results'][number];

/** A way to give each result a probability of being useful, and each question one of being answerable. */
interface Scorer {
  name: string;
  description: string;
  /** Fitted on the training conversations' questions; returns how to score a held-out question. */
  fit(training: readonly WeightedQuestion[]): (question: RelevanceQuestion) => { scores: number[]; answerable: number };
}

const L2 = 1e-3;
const resultRows = (questions: readonly RelevanceQuestion[]) => questions.flatMap((question) => question.results.map((result) => ({ x: result.features, y: result.useful })));
const examplesOf = (questions: readonly WeightedQuestion[]) =>
  questions.map((question) => ({
    results: question.results,
    answerable: question.answerable,
    ...(question.candidates !== undefined ? { candidates: question.candidates } : {}),
    ...(question.weight !== undefined ? { weight: question.weight } : {}),
  }));

/** A question with how much it counts in the answerability fit (`classBalanced`). */
type WeightedQuestion = RelevanceQuestion & { weight?: number };

/**
 * A conversation's questions with its unanswerable ones weighted to count, in all, as much as its
 * answerable ones. How many never-said questions a set asks is an accident of how it was written
 * (four a chat in the first-person sets against ten answerable; LoCoMo's 160 borrowed ones against
 * 160-400), and the answerability model would learn that accident as a prior: first-person questions
 * came out answerable at 0.55-0.9 whatever the memory held. Balanced per conversation, held out:
 * first-person-v1 AUC 0.849 -> 0.863 and gated / passed at 0.5 36 / 96 % -> 81 / 76 %; LoCoMo whole
 * conversations AUC 0.9535 -> 0.9550 (apps/eval/RESULTS.md, session 59).
 */
function classBalanced(conversation: ConversationRelevance): WeightedQuestion[] {
  const answerable = conversation.questions.filter((question) => question.answerable).length;
  const unanswerable = conversation.questions.length - answerable;
  if (answerable === 0 || unanswerable === 0) return conversation.questions;
  return conversation.questions.map((question) => (question.answerable ? question : { ...question, weight: answerable / unanswerable }));
}
const best = (scores: readonly number[]) => Math.max(0, ...scores);

/** One logistic model of a result's usefulness; the question is as answerable as its best result. */
const resultModelScorer = (name: string, description: string, features: readonly ResultFeature[]): Scorer => ({
  name,
  description,
  fit(training) {
    const model: LogisticModel<ResultFeature> = fitLogistic(resultRows(training), features, L2);
    return (question) => {
      const scores = question.results.map((result: Result) => predictLogistic(model, result.features));
      return { scores, answerable: best(scores) };
    };
  },
});

/** The baselines, then the shipped design, in the order the table shows them. */
export const SCORERS: Scorer[] = [
  {
    name: 'ranker',
    description: "the ranker's own sigmoid(logit), as search returned it before; a question is as answerable as its best result",
    fit: () => (question) => {
      const scores = question.results.map((result) => result.rankerScore);
      return { scores, answerable: best(scores) };
    },
  },
  resultModelScorer('platt', 'Platt scaling: a logistic fit on the ranker logit alone; answerable = best result', ['logit']),
  resultModelScorer('calibrator', 'logistic regression on the logit, rank, similarities and word coverage of the result and its list; answerable = best result', RESULT_FEATURES),
  {
    name: 'calibrator+gate',
    description: 'the shipped relevance model: the calibrator for results, and a second logistic model of the whole list for answerability',
    fit(training) {
      const gate = createRelevanceGate(fitRelevance(examplesOf(training), { l2: L2 }));
      return (question) => {
        const scores = question.results.map((result) => predictLogistic(gate.model.result, result.features));
        return {
          scores,
          answerable: predictLogistic(
            gate.model.answerable,
            questionFeatures(
              question.results.map((r) => r.features),
              scores,
              question.candidates,
            ),
          ),
        };
      };
    },
  },
];

export interface ScorerReport {
  name: string;
  description: string;
  /** Over every held-out result (top 10 of every question). */
  ece: number;
  reliability: ReliabilityBin[];
  /** AUC of the question's answerability: answerable (positive) against unanswerable questions. */
  auc: number;
  /** Unanswerable questions whose answerability is below the threshold (the gate says "nothing relevant"). */
  unanswerableGated: number;
  /** Answerable questions whose answerability clears the threshold. */
  answerablePassed: number;
  /** Answerable questions with an evidence turn whose own probability clears the threshold (what `search({ threshold })` keeps). */
  answerableKeptByThreshold: number;
  /** Unanswerable questions left with no result at or above the threshold by `search({ threshold })`. */
  unanswerableEmptyByThreshold: number;
  /** Each question's held-out answerability, with what it was (to choose a gate). */
  questions: Array<{ answerability: number; answerable: boolean; evidenceInTop: boolean; setting?: RelevanceQuestion['setting'] }>;
  /** The same figures for each group of questions alone, when there is more than one: each extra data set, small stores, whole conversations (held out the same way). */
  byDataset?: Record<string, QuestionFigures>;
}

/** What a scorer's held-out scores say about one group of questions. */
type QuestionFigures = Pick<ScorerReport, 'auc' | 'unanswerableGated' | 'answerablePassed' | 'answerableKeptByThreshold' | 'unanswerableEmptyByThreshold'>;

export interface RelevanceReport {
  threshold: number;
  answerable: number;
  unanswerable: number;
  /** Answerable questions with an evidence turn in the top 10 at all. */
  evidenceInTop: number;
  results: number;
  scorers: ScorerReport[];
}

/**
 * Leave-one-conversation-out: each scorer is fitted without a conversation and scores its results;
 * every figure pools the held-out scores of all folds.
 */
export function runRelevanceEval(data: readonly ConversationRelevance[], options: { threshold?: number } = {}): RelevanceReport {
  const threshold = options.threshold ?? 0.5;
  // Test-only conversations are scored like the others but never fitted on, and reported alone.
  const fitted = data.filter((conversation) => !conversation.heldOutOnly);
  const all = fitted.flatMap((conversation) => conversation.questions);
  const scorers = SCORERS.map((scorer): ScorerReport => {
    const scored: Scored[] = [];
    // Every test-only conversation is scored by the one model fitted on all the others.
    let fittedOnAll: ReturnType<Scorer['fit']> | undefined;
    for (const held of data) {
      const score = held.heldOutOnly ? (fittedOnAll ??= scorer.fit(fitted.flatMap(classBalanced))) : scorer.fit(fitted.filter((c) => c !== held).flatMap(classBalanced));
      for (const question of held.questions)
        scored.push({ question, dataset: held.heldOutOnly ? `${held.dataset} (test only)` : held.dataset, heldOutOnly: Boolean(held.heldOutOnly), ...score(question) });
    }
    const pooled = scored.filter((entry) => !entry.heldOutOnly);
    const probabilities = pooled.flatMap((entry) => entry.scores);
    const labels = pooled.flatMap((entry) => entry.question.results.map((result) => result.useful));
    // Figures per group when there is more than one: each extra or test set, small stores, the rest.
    const groupOf = (entry: Scored) => entry.dataset ?? entry.question.setting ?? 'whole conversations';
    const groups = [...new Set(scored.map(groupOf))];
    const extraSets = groups.length > 1 ? groups : [];
    return {
      name: scorer.name,
      description: scorer.description,
      ece: expectedCalibrationError(probabilities, labels),
      reliability: reliabilityTable(probabilities, labels),
      ...figuresOf(pooled, threshold),
      questions: pooled.map((entry) => ({
        answerability: entry.answerable,
        answerable: entry.question.answerable,
        evidenceInTop: entry.question.results.some((r) => r.useful),
        ...(entry.question.setting ? { setting: entry.question.setting } : {}),
      })),
      ...(extraSets.length > 0
        ? {
            byDataset: Object.fromEntries(
              extraSets.map((name) => [
                name,
                figuresOf(
                  scored.filter((entry) => groupOf(entry) === name),
                  threshold,
                ),
              ]),
            ),
          }
        : {}),
    };
  });
  return {
    threshold,
    answerable: all.filter((q) => q.answerable).length,
    unanswerable: all.filter((q) => !q.answerable).length,
    evidenceInTop: all.filter((q) => q.answerable && q.results.some((r) => r.useful)).length,
    results: all.reduce((n, q) => n + q.results.length, 0),
    scorers,
  };
}

interface Scored {
  question: RelevanceQuestion;
  dataset: string | undefined;
  heldOutOnly: boolean;
  scores: number[];
  answerable: number;
}

function figuresOf(scored: readonly Scored[], threshold: number): QuestionFigures {
  const answerable = scored.filter((entry) => entry.question.answerable);
  const unanswerable = scored.filter((entry) => !entry.question.answerable);
  return {
    auc: rocAuc(
      scored.map((entry) => entry.answerable),
      scored.map((entry) => entry.question.answerable),
    ),
    unanswerableGated: share(unanswerable, (entry) => entry.answerable < threshold),
    answerablePassed: share(answerable, (entry) => entry.answerable >= threshold),
    answerableKeptByThreshold: share(answerable, (entry) => entry.question.results.some((result, i) => result.useful && entry.scores[i]! >= threshold)),
    unanswerableEmptyByThreshold: share(unanswerable, (entry) => entry.scores.every((score) => score < threshold)),
  };
}

/**
 * The gate `context()` uses, in steps of 0.01. By default the balanced one: where the held-out
 * unanswerable questions gated and the answerable ones passed (those whose evidence was retrieved)
 * are the same share, so neither mistake is traded for the other. The answerability model is fitted
 * with each conversation's classes weighted equally (`classBalanced`), so its even odds mean the
 * same in every kind of conversation. With `keep`, the largest gate that still passes that share of
 * answerable questions (until session 59: 0.95, which favours answering; with first-person chats in
 * the fit it fell to 0.25, where 5 of 6 never-said first-person questions got memories). Questions
 * of small stores are left out of the choice: the model reads a list's size (`candidates`), so they
 * move the gate's slopes, not where the gate sits for whole conversations.
 */
export function chooseGate(scorer: ScorerReport, keep?: number): number {
  const whole = scorer.questions.filter((q) => q.setting === undefined);
  const found = whole.filter((q) => q.answerable && q.evidenceInTop);
  const never = whole.filter((q) => !q.answerable);
  const passed = (t: number) => share(found, (q) => q.answerability >= t);
  let gate = 0;
  let best = Number.NEGATIVE_INFINITY;
  for (let step = 1; step < 100; step++) {
    const t = step / 100;
    if (keep !== undefined) {
      if (passed(t) >= keep) gate = t;
      continue;
    }
    const worse = Math.min(
      passed(t),
      share(never, (q) => q.answerability < t),
    );
    if (worse > best) [gate, best] = [t, worse];
  }
  return gate;
}

/** The model that ships: fitted on every conversation (none of `--test-data`). */
export function fitShippedRelevance(data: readonly ConversationRelevance[], note: Record<string, unknown>, gate = 0.5): RelevanceModel {
  const fitted = data.filter((conversation) => !conversation.heldOutOnly);
  const questions = fitted.flatMap(classBalanced);
  return fitRelevance(examplesOf(questions), { l2: L2, gate, note: { conversations: fitted.map((c) => c.conversationId), ...note } });
}

const share = <T>(items: readonly T[], test: (item: T) => boolean) => (items.length === 0 ? 0 : items.filter(test).length / items.length);

/** The report as Markdown tables for the terminal. */
export function formatRelevanceReport(report: RelevanceReport, options: { keep?: number } = {}): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  const t = report.threshold;
  const lines = [
    `${report.answerable} answerable questions (${report.evidenceInTop} with evidence in the top 10) and ${report.unanswerable} unanswerable ones; ${report.results} results (top 10 each); every figure held out by conversation`,
    '',
    `| scorer | ECE (results) | AUC (answerable vs not) | gate < ${t}: unanswerable gated | answerable passed | search threshold ${t}: unanswerable left empty | answerable keeping evidence |`,
    '|---|---:|---:|---:|---:|---:|---:|',
    ...report.scorers.map(
      (s) =>
        `| ${s.name} | ${s.ece.toFixed(3)} | ${s.auc.toFixed(3)} | ${pct(s.unanswerableGated)} | ${pct(s.answerablePassed)} | ${pct(s.unanswerableEmptyByThreshold)} | ${pct(s.answerableKeptByThreshold)} |`,
    ),
  ];
  const shipped = report.scorers.at(-1)!;
  for (const [name, figures] of Object.entries(shipped.byDataset ?? {})) {
    lines.push(
      '',
      `${name} alone (${shipped.name}): AUC ${figures.auc.toFixed(4)}; gate < ${t}: unanswerable gated ${pct(figures.unanswerableGated)}, answerable passed ${pct(figures.answerablePassed)}; threshold ${t}: unanswerable left empty ${pct(figures.unanswerableEmptyByThreshold)}, answerable keeping evidence ${pct(figures.answerableKeptByThreshold)}`,
    );
  }
  const gate = chooseGate(shipped, options.keep);
  const atGate = (questions: ScorerReport['questions']) =>
    `unanswerable gated ${pct(
      share(
        questions.filter((q) => !q.answerable),
        (q) => q.answerability < gate,
      ),
    )}, answerable passed ${pct(
      share(
        questions.filter((q) => q.answerable),
        (q) => q.answerability >= gate,
      ),
    )}`;
  const small = shipped.questions.filter((q) => q.setting === 'small store');
  lines.push(
    '',
    `gate of ${shipped.name} chosen ${options.keep === undefined ? 'where as many unanswerable questions are gated as answerable ones with retrieved evidence pass' : `as the largest answerability that passes ≥ ${(100 * options.keep).toFixed(0)} % of answerable questions with retrieved evidence`}${small.length > 0 ? ' (small stores left out)' : ''}: ${gate} (${atGate(shipped.questions.filter((q) => q.setting === undefined))}${small.length > 0 ? `; small stores: ${atGate(small)}` : ''})`,
  );
  for (const scorer of report.scorers) {
    lines.push('', `reliability of ${scorer.name} (${scorer.description}):`, '', '| predicted | results | mean predicted | observed useful |', '|---|---:|---:|---:|');
    for (const bin of scorer.reliability) lines.push(`| ${bin.from.toFixed(1)}-${bin.to.toFixed(1)} | ${bin.count} | ${bin.predicted.toFixed(3)} | ${bin.observed.toFixed(3)} |`);
  }
  return lines.join('\n');
}

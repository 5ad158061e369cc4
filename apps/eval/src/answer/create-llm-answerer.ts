import { validatePositiveInt, type ChatModel } from '@neuromem/core';
import type { Category, LocomoTurn } from '../locomo/load-locomo';
import type { Answerer } from '../locomo/run-locomo';
import { formatJudgePrompt, parseJudgeLabel } from './judge-prompt';
import { locomoF1 } from './token-f1';

export interface LlmAnswererOptions {
  /** The model that answers each question from the retrieved turns. Required. */
  chatModel: ChatModel;
  /** The model that grades each answer with Mem0's judge prompt (Mem0 used gpt-4o-mini). Default: `chatModel`. */
  judgeModel?: ChatModel;
  /** Questions answered and judged at the same time; further calls wait for a free slot. Default: 4. */
  concurrency?: number;
  /** Token limit for an answer. LoCoMo requested 32; raise it for models that think aloud first. Default: 32. */
  maxAnswerTokens?: number;
}

const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
/** "8 May 2023": LoCoMo's session dates are read as UTC, so they are printed as UTC. */
export const formatDay = (time: number) => DATE.format(time);

/**
 * Scores retrieval by what it lets a model answer: the model answers from the retrieved turns only,
 * then LoCoMo's token F1 and Mem0's LLM judge grade the answer against the gold one.
 */
export function createLlmAnswerer(options: LlmAnswererOptions): Answerer {
  const { chatModel } = options;
  const judgeModel = options.judgeModel ?? chatModel;
  const maxTokens = validatePositiveInt(options.maxAnswerTokens ?? 32, 'maxAnswerTokens', 100_000, 'eval');
  const limit = createLimiter(validatePositiveInt(options.concurrency ?? 4, 'concurrency', 1_000, 'eval'));

  return (input) =>
    limit(async () => {
      // Temperature 0 as in LoCoMo's and Mem0's runs, so a rerun gives the same scores.
      const reply = await chatModel.chat([{ role: 'user', content: buildAnswerPrompt(input) }], { temperature: 0, maxTokens });
      const answer = withoutThinking(reply.content);
      const verdict = await judgeModel.chat([{ role: 'user', content: formatJudgePrompt({ question: input.question, goldAnswer: input.answer, generatedAnswer: answer }) }], { temperature: 0 });
      // A verdict that cannot be read scores 0, as Mem0 scores any label other than CORRECT.
      return { f1: locomoF1(answer, input.answer, input.category), judge: parseJudgeLabel(verdict.content) === 'CORRECT' ? 1 : 0 };
    });
}

/**
 * LoCoMo's QA prompt (`QA_PROMPT` in snap-research/locomo `task_eval/evaluate_gpts.py`) after a
 * dated transcript of the retrieved turns. Adapted where our context differs: each line carries its
 * session date in brackets instead of LoCoMo's "DATE:" headers, the reference date is stated so
 * "last week" can be resolved, and the temporal hint points at the brackets.
 */
export function buildAnswerPrompt(input: { question: string; category: Category; context: readonly LocomoTurn[]; referenceTime: number }): string {
  // Retrieval order is the system's business; a reader follows a conversation best in time order.
  const turns = [...input.context].sort((a, b) => a.time - b.time || a.session - b.session || turnNumber(a) - turnNumber(b));
  const speakers = [...new Set(turns.map((turn) => turn.speaker))];
  const people = speakers.length === 0 ? 'two people' : speakers.length === 1 ? `${speakers[0]} and another person` : `${speakers.slice(0, -1).join(', ')} and ${speakers.at(-1)}`;
  const transcript = turns.length === 0 ? '(nothing was retrieved)' : turns.map((turn) => `[${formatDay(turn.time)}] ${turn.speaker}: ${turn.text}`).join('\n');
  const hint = input.category === 2 ? ' Use the dates in brackets to answer with an approximate date.' : '';
  return [
    `Below are excerpts from a conversation between ${people} that takes place over multiple days. Each line starts with the date of the conversation it comes from. Today is ${formatDay(input.referenceTime)}.`,
    '',
    transcript,
    '',
    'Based on the above context, write an answer in the form of a short phrase for the following question. Answer with exact words from the context whenever possible.',
    '',
    `Question: ${input.question}${hint} Short answer:`,
  ].join('\n');
}

/** "D3:12" -> 12, the turn's position in its session. */
const turnNumber = (turn: LocomoTurn) => Number(/:(\d+)$/.exec(turn.diaId)?.[1] ?? 0);

/** Reasoning models (Qwen3, DeepSeek-R1 on Ollama) prepend a <think> block that is not part of the answer. */
const withoutThinking = (text: string) => text.replace(/<think>[\s\S]*?(<\/think>|$)/g, '').trim();

/** Runs at most `limit` tasks at once; a finished task hands its slot straight to the next in line. */
function createLimiter(limit: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active < limit) active += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active -= 1;
    }
  };
}

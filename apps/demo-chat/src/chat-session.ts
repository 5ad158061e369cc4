import { isNeuroMemError, type ChatMessage, type ChatModel } from '@neuromem/core';
import { createTiktokenCounter } from '@neuromem/compression';
import { contextLine, explainScore, withMemoryContext, type Memory, type MemoryContext, type MemoryItem } from 'neuromem';
import { runCommand } from './commands';
import { clip, shortId } from './format';
import { createSessionStats } from './session-stats';
import { sourcesUsed } from './sources-used';

export interface ChatSessionOptions {
  memory: Memory;
  userId: string;
  /** Talks to this model with memory injected; without one the chat runs in memory-only mode. */
  chatModel?: ChatModel;
  /** Most tokens of memory injected per message. */
  tokenBudget: number;
  /**
   * `context()`'s gate: the answerability below which nothing is injected. Default: the relevance
   * model's. `false` always injects, for users who ask in other words than they told (the shipped
   * gate passes only a fifth of such questions).
   */
  gate?: number | false;
  /** This run's id: its messages form one session in the memory. */
  runId: string;
  /** Where output goes, piece by piece (model answers are streamed). */
  write: (text: string) => void;
  /** The model's instructions, before the memory block. */
  systemPrompt?: string;
}

export interface ChatSession {
  /** Handles one line the user typed: a `/command` or a message. Resolves to false after `/exit`. */
  handle(line: string): Promise<boolean>;
  /** The last context built for a message, for `/why`. */
  readonly lastContext: MemoryContext | undefined;
}

/** Messages of this run sent along with each new one, so the model follows the conversation. */
const RECENT_MESSAGES = 12;
const DEFAULT_SYSTEM_PROMPT = 'You are a helpful assistant with long-term memory. Answer briefly. When the memories below answer the question, use them and say when it was said.';

/**
 * One user's chat over a memory. Each message first gets its context from what was stored before
 * it, then is stored itself, so the next run remembers it. Errors from the memory or the model
 * are printed as one line and the chat goes on; nothing typed is lost when the model is down.
 */
export async function createChatSession(options: ChatSessionOptions): Promise<ChatSession> {
  const { memory, userId, chatModel, tokenBudget, gate, runId, write } = options;
  const counter = createTiktokenCounter();
  // Loading the BPE ranks takes ~100 ms once per process: pay it now, not on the first message.
  counter.count('warm up');
  const stats = createSessionStats();
  const recent: ChatMessage[] = [];
  let lastContext: MemoryContext | undefined;
  let lastQuery: string | undefined;
  const forgotten: MemoryItem[] = [];
  // What sending the whole stored history would cost, in the same `- [date speaker] text` lines.
  const lineTokens = (item: MemoryItem) => counter.count(`${contextLine(item)}\n`);
  const countHistory = async () => (await memory.getAll({ userId })).results.reduce((sum, item) => sum + lineTokens(item), 0);
  let historyTokens = await countHistory();

  async function remember(messages: ChatMessage[]): Promise<void> {
    const { results } = await memory.add(
      messages.map(({ role, content }) => ({ role, content })),
      { userId, runId },
    );
    for (const item of results) historyTokens += lineTokens(item);
  }

  async function converse(text: string): Promise<void> {
    const started = performance.now();
    const context = await memory.context(text, { userId, tokenBudget, ...(gate !== undefined ? { gate } : {}) });
    stats.contextMs += performance.now() - started;
    stats.turns += 1;
    stats.contextTokens += context.tokens;
    stats.wholeHistoryTokens += historyTokens;
    lastContext = context;
    lastQuery = text;

    if (!chatModel) {
      // Held back by the gate: say what came closest, so the user sees why and what `--gate off` would add.
      const closest = context.sources.length === 0 && context.notice ? (await memory.search(text, { userId, topK: 1, trackAccess: false })).results[0] : undefined;
      write(describeContext(context, tokenBudget, closest?.memory));
      await remember([{ role: 'user', content: text }]);
      return;
    }
    const messages = withMemoryContext([{ role: 'system', content: options.systemPrompt ?? DEFAULT_SYSTEM_PROMPT }, ...recent, { role: 'user', content: text }], context);
    let reply = '';
    write('bot> ');
    try {
      for await (const delta of chatModel.stream ? chatModel.stream(messages) : once(chatModel, messages)) {
        reply += delta;
        write(delta);
      }
      write('\n');
    } catch (error) {
      write(`${reply ? '\n' : ''}! ${messageOf(error)}\n  (your message is remembered all the same; try again, or /stats, /memories)\n`);
      await remember([{ role: 'user', content: text }]);
      keepRecent({ role: 'user', content: text });
      return;
    }
    const turn: ChatMessage[] = [{ role: 'user', content: text }, ...(reply.trim() ? [{ role: 'assistant' as const, content: reply }] : [])];
    // The memories the answer drew on teach this user's adaptation (implicit feedback).
    for (const source of sourcesUsed(text, reply, context.sources)) await memory.feedback({ memoryId: source.id, query: text, useful: true, userId });
    await remember(turn);
    keepRecent(...turn);
  }

  function keepRecent(...messages: ChatMessage[]): void {
    recent.push(...messages);
    recent.splice(0, Math.max(0, recent.length - RECENT_MESSAGES));
  }

  return {
    get lastContext() {
      return lastContext;
    },
    async handle(line) {
      const text = line.trim();
      if (text === '') return true;
      try {
        if (text.startsWith('/')) {
          const outcome = await runCommand(text, { memory, userId, stats, lastContext, lastQuery, historyTokens: () => historyTokens, write, forgotten });
          if (outcome === 'forgot') historyTokens = await countHistory();
          return outcome !== 'exit';
        }
        await converse(text);
      } catch (error) {
        write(`! ${messageOf(error)}\n`);
      }
      return true;
    },
  };
}

/** Memory-only mode's answer: the block a model would get, and why each memory is in it (or what the gate held back). */
function describeContext(context: MemoryContext, budget: number, closest?: string): string {
  if (context.sources.length === 0) {
    if (closest === undefined) return 'memory> Nothing stored yet is relevant; I will remember this.\n';
    const odds = context.answerable === undefined ? '' : ` (probability it answers ${context.answerable.toFixed(2)})`;
    return `memory> Nothing passes the gate${odds}; the closest memory, held back: "${clip(closest, 90)}" (--gate off injects anyway). I will remember this.\n`;
  }
  const lines = [
    `memory> I would give the model ${context.sources.length} memories in ${context.tokens} of ${budget} tokens (${context.fullTokens} uncompressed):`,
    ...context.text.split('\n').map((line) => `  ${line}`),
    '  why:',
    ...context.sources.slice(0, 3).map((source) => `    ${shortId(source.id)} ${source.score?.toFixed(2)}  ${clip(explainScore(source.scoreBreakdown, { top: 3 }), 90)}`),
  ];
  if (context.notice) lines.push(`  note: ${context.notice}`);
  return `${lines.join('\n')}\n`;
}

async function* once(model: ChatModel, messages: ChatMessage[]): AsyncGenerator<string> {
  yield (await model.chat(messages)).content;
}

/** The message without the stack: user mistakes and a model being down are not crashes. */
function messageOf(error: unknown): string {
  if (isNeuroMemError(error)) return error.message.replace(/^\[neuromem\] /, '');
  return error instanceof Error ? error.message : String(error);
}

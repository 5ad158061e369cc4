import type { LanguageModelMiddleware } from 'ai';
import { NeuroMemError, withMemoryContext, type EntityIds, type Memory, type Message } from 'neuromem';
import { lastUserText, withSystemMessage, type LanguageModelCallOptions, type LanguageModelStreamPart } from './language-model-prompt';

/** An id, or a function of the model call that returns one (`undefined`: none for this call). */
export type ScopeId = string | ((params: LanguageModelCallOptions) => string | undefined);

/** Which step failed: reading the context before the model call, or storing the exchange after it. */
export type MemoryPhase = 'context' | 'add';

export interface NeuroMemMiddlewareOptions {
  /** The memory to read and write (`createMemory()`); only its `context` and `add` are used. */
  memory: Pick<Memory, 'context' | 'add'>;
  /**
   * Whose memory. A function gets the call's parameters (e.g. to read `providerOptions`); when it
   * returns `undefined`, that call runs without memory (nothing read, nothing stored).
   */
  userId: ScopeId;
  /** An agent or app: reads are narrowed to it and writes tagged with it. Default: none. */
  agentId?: ScopeId;
  /**
   * The conversation the exchange is stored in (its turns are chained in time). Reads are not
   * narrowed to it: the context comes from all of the user's conversations. Default: none.
   */
  runId?: ScopeId;
  /** Most tokens the memory block may take in the prompt (cl100k). Default: 1000, as `memory.context`. */
  tokenBudget?: number;
  /** `memory.context`'s relevance gate: inject only above this answerability. Default: the memory's own gate; `false` always injects. */
  gate?: number | false;
  /** The line introducing the memory block in its system message. Default: `withMemoryContext`'s. */
  heading?: string;
  /** Store each answered exchange (the user's message and the model's text). Default: true; `false` only reads. */
  remember?: boolean;
  /**
   * Called when the memory fails (a closed memory, a disk or database error, a message too long to
   * store). The model call goes on without memory: its prompt without the context, its answer
   * unchanged. Default: a `console.warn`. Throw from it to fail the model call instead.
   */
  onError?: (error: unknown, event: { phase: MemoryPhase }) => void;
}

const fail = (message: string, field: string) => new NeuroMemError('INVALID_INPUT', message, { module: 'ai-sdk', details: { field } });

const warn = (error: unknown, { phase }: { phase: MemoryPhase }) => {
  const what = phase === 'context' ? 'could not read the memory; the model was called without it' : 'could not store the exchange; the answer was returned anyway';
  console.warn(`[neuromem] [ai-sdk] ${what} (pass onError to handle this yourself):`, error);
};

/**
 * Long-term memory for any AI SDK model: before each call the relevant memories of the user go into
 * the prompt as a system message (nothing when none is relevant), and after the model has answered
 * the user's message and the answer are stored. Use it with `wrapLanguageModel`.
 *
 * @example
 * const model = wrapLanguageModel({ model: openai('gpt-4o-mini'), middleware: neuromemMiddleware({ memory, userId: 'alice' }) });
 * const { text } = await generateText({ model, prompt: 'Where does my sister live?' });
 */
export function neuromemMiddleware(options: NeuroMemMiddlewareOptions): LanguageModelMiddleware {
  const { memory, tokenBudget, gate, heading, remember = true, onError = warn } = checkOptions(options);

  /** Where the call reads from (all of the user's conversations) and where its exchange is written (its own). */
  const scopeOf = (params: LanguageModelCallOptions): { read: EntityIds; write: EntityIds } | undefined => {
    const userId = resolveId(options.userId, params, 'userId');
    if (userId === undefined) return undefined;
    const agentId = resolveId(options.agentId, params, 'agentId');
    const runId = resolveId(options.runId, params, 'runId');
    const read = { userId, ...(agentId !== undefined ? { agentId } : {}) };
    return { read, write: { ...read, ...(runId !== undefined ? { runId } : {}) } };
  };

  /** Stores the exchange once the model has answered the user (not when it stopped to call tools). */
  const rememberExchange = async (params: LanguageModelCallOptions, answer: string, finish: string) => {
    if (finish === 'tool-calls' || finish === 'error') return;
    const scope = scopeOf(params);
    if (!scope) return;
    const question = lastUserText(params.prompt);
    const messages: Message[] = [];
    if (question !== '') messages.push({ role: 'user', content: question });
    if (answer.trim() !== '') messages.push({ role: 'assistant', content: answer });
    if (messages.length === 0) return;
    try {
      await memory.add(messages, scope.write);
    } catch (error) {
      onError(error, { phase: 'add' });
    }
  };

  return {
    specificationVersion: 'v3',

    async transformParams({ params }) {
      const scope = scopeOf(params);
      const query = lastUserText(params.prompt);
      if (!scope || query === '') return params;
      try {
        const context = await memory.context(query, {
          ...scope.read,
          ...(tokenBudget !== undefined ? { tokenBudget } : {}),
          ...(gate !== undefined ? { gate } : {}),
        });
        const [block] = withMemoryContext([], context, heading !== undefined ? { heading } : {});
        return block ? { ...params, prompt: withSystemMessage(params.prompt, block.content) } : params;
      } catch (error) {
        onError(error, { phase: 'context' });
        return params;
      }
    },

    async wrapGenerate({ doGenerate, params }) {
      const result = await doGenerate();
      if (remember) {
        const answer = result.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
        await rememberExchange(params, answer, result.finishReason.unified);
      }
      return result;
    },

    async wrapStream({ doStream, params }) {
      const result = await doStream();
      if (!remember) return result;
      let answer = '';
      let finish: string | undefined;
      // Chunks pass through as they come; the exchange is stored after the last one, before the stream closes.
      const watch = new TransformStream<LanguageModelStreamPart, LanguageModelStreamPart>({
        transform(part, controller) {
          if (part.type === 'text-delta') answer += part.delta;
          else if (part.type === 'finish') finish ??= part.finishReason.unified;
          else if (part.type === 'error') finish = 'error';
          controller.enqueue(part);
        },
        async flush() {
          // A stream that ended without finishing (cut off, aborted) stores nothing.
          if (finish !== undefined) await rememberExchange(params, answer, finish);
        },
      });
      return { ...result, stream: result.stream.pipeThrough(watch) };
    },
  };
}

function resolveId(id: ScopeId | undefined, params: LanguageModelCallOptions, field: string): string | undefined {
  const value = typeof id === 'function' ? id(params) : id;
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw fail(`neuromemMiddleware's ${field} gave ${JSON.stringify(value) ?? String(value)}; return a non-empty string, or undefined for a call without it.`, field);
  }
  return value;
}

function checkOptions(options: NeuroMemMiddlewareOptions): NeuroMemMiddlewareOptions {
  if (typeof options !== 'object' || options === null) throw fail('neuromemMiddleware() takes { memory, userId, ... }.', 'options');
  const { memory, userId, agentId, runId, tokenBudget, gate, onError } = options;
  if (typeof memory?.context !== 'function' || typeof memory?.add !== 'function') {
    throw fail('neuromemMiddleware({ memory }) needs a memory from createMemory().', 'memory');
  }
  for (const [field, id] of Object.entries({ userId, agentId, runId })) {
    if (field !== 'userId' && id === undefined) continue;
    if (typeof id === 'function') continue;
    if (typeof id !== 'string' || id.trim() === '') {
      throw fail(`neuromemMiddleware({ ${field} }) must be a non-empty string or a function of the call that returns one.`, field);
    }
  }
  if (tokenBudget !== undefined && !(Number.isInteger(tokenBudget) && tokenBudget > 0)) {
    throw fail(`neuromemMiddleware({ tokenBudget }) must be a positive whole number of tokens, got ${tokenBudget}.`, 'tokenBudget');
  }
  if (gate !== undefined && gate !== false && !(typeof gate === 'number' && gate >= 0 && gate <= 1)) {
    throw fail(`neuromemMiddleware({ gate }) must be a probability between 0 and 1, or false, got ${gate}.`, 'gate');
  }
  if (onError !== undefined && typeof onError !== 'function') throw fail('neuromemMiddleware({ onError }) must be a function.', 'onError');
  return options;
}

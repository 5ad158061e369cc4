import {
  createErrorFactory,
  errorText,
  parseJsonObject,
  postWithRetry,
  redactKey,
  resolveHttpClientOptions,
  validateBaseURL,
  validatePositiveInt,
  withoutCredentials,
  type ChatMessage,
  type ChatModel,
  type ChatOptions,
  type HttpClientConfig,
  type HttpClientOptions,
} from '@neuromem/core';

const MODULE = 'chat-model';
const fail = createErrorFactory(MODULE);
const ROLES: ReadonlySet<string> = new Set(['system', 'user', 'assistant']);

export interface OpenAIChatModelOptions extends HttpClientOptions {
  /** The server's OpenAI-compatible API root, with or without a trailing slash: "https://api.openai.com/v1", "http://localhost:11434/v1" (Ollama), "http://localhost:8000/v1" (vLLM). Required. */
  baseURL: string;
  /** The model name as the server knows it, e.g. "gpt-4o-mini" or "llama3.1:8b". Required. */
  model: string;
  /** Limit for one attempt, in ms: until the whole answer has arrived, or between two chunks of a stream. A timed-out attempt is retried. Default: 60000. */
  timeoutMs?: number;
  /** Sampling temperature when a call does not pass one. Default: the server's own default. */
  temperature?: number;
}

/** A chat model on any server that speaks OpenAI's `/chat/completions` (OpenAI, Ollama, vLLM, llama.cpp, LM Studio). */
export function createOpenAIChatModel(options: OpenAIChatModelOptions): ChatModel {
  const config = resolveOptions(options);
  const url = `${config.baseURL.replace(/\/+$/, '')}/chat/completions`;
  const shownUrl = withoutCredentials(url);
  const malformed = (what: string) => fail('UPSTREAM', `${shownUrl} sent ${what}; is it an OpenAI-compatible /chat/completions endpoint?`, { details: { url: shownUrl } });

  return {
    specVersion: 'neuromem.chat-model/v1',
    id: `openai-compatible:${config.model}`,
    async chat(messages, chatOptions = {}) {
      const request = { url, body: requestBody(config, messages, chatOptions, false), ...(chatOptions.signal ? { signal: chatOptions.signal } : {}) };
      // Read inside the attempt, so an answer that stalls half-way is retried like one that never came.
      const json = await postWithRetry(request, config.http, async (response) => {
        const body = parseJsonObject(await response.text()) as ChatCompletion | undefined;
        if (!body) throw malformed('a body that is not a JSON object');
        return body;
      });
      const choice = json.choices?.[0];
      if (!choice) throw malformed('no choices');
      const usage = json.usage;
      return {
        content: choice.message?.content ?? '',
        ...(usage && typeof usage.prompt_tokens === 'number' ? { usage: { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens ?? 0 } } : {}),
      };
    },
    async *stream(messages, chatOptions = {}) {
      const request = { url, body: requestBody(config, messages, chatOptions, true), accept: 'text/event-stream', ...(chatOptions.signal ? { signal: chatOptions.signal } : {}) };
      const { response, timer } = await postWithRetry(request, config.http, async (answer, attemptTimer) => ({ response: answer, timer: attemptTimer }), { keepTimer: true });
      if (!response.body) {
        timer.stop();
        throw malformed('an empty stream');
      }
      let buffer = '';
      let data: string[] = [];
      try {
        for await (const text of decodeText(response.body as unknown as AsyncIterable<Uint8Array>)) {
          timer.restart();
          buffer += text;
          const lines = buffer.split(/\r\n|\r|\n/);
          buffer = lines.pop() ?? '';
          for (const line of lines) {
            // Server-sent events: `data:` lines accumulate until a blank line ends the event.
            if (line.startsWith('data:')) data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
            if (line !== '' || data.length === 0) continue;
            const payload = data.join('\n');
            data = [];
            if (payload === '[DONE]') return;
            const event = parseJsonObject(payload) as (ChatCompletion & Record<string, unknown>) | undefined;
            if (!event) throw malformed(`an event that is not JSON (${payload.slice(0, 80)})`);
            if (event.error) throw fail('UPSTREAM', `${shownUrl} failed mid-stream: ${redactKey(config.http, errorText(event) ?? JSON.stringify(event.error))}.`, { details: { url: shownUrl } });
            const delta = event.choices?.[0]?.delta?.content;
            if (typeof delta === 'string' && delta !== '') yield delta;
          }
        }
      } catch (error) {
        if (chatOptions.signal?.aborted) throw chatOptions.signal.reason;
        if (timer.timedOut()) throw fail('TIMEOUT', `${shownUrl} sent nothing for timeoutMs=${config.http.timeoutMs} ms in the middle of a stream.`, { cause: error });
        throw error;
      } finally {
        timer.stop();
      }
    },
  };
}

interface ChatCompletion {
  choices?: Array<{ message?: { content?: string | null }; delta?: { content?: string | null } }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number };
  error?: unknown;
}

/** The body as text, ending with a blank line so that an event the server left unterminated still counts. */
async function* decodeText(body: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  for await (const chunk of body) yield decoder.decode(chunk, { stream: true });
  yield `${decoder.decode()}\n\n`;
}

function requestBody(config: ResolvedOptions, messages: readonly ChatMessage[], options: ChatOptions, stream: boolean): string {
  if (!Array.isArray(messages) || messages.length === 0) throw fail('INVALID_INPUT', 'messages must be a non-empty array of { role, content }.');
  messages.forEach((message, i) => {
    if (typeof message !== 'object' || message === null || !ROLES.has(message.role))
      throw fail('INVALID_INPUT', `messages[${i}].role must be "system", "user" or "assistant", got ${JSON.stringify((message as Partial<ChatMessage> | null)?.role)}.`, {
        details: { field: `messages[${i}].role` },
      });
    if (typeof message.content !== 'string') throw fail('INVALID_INPUT', `messages[${i}].content must be a string.`, { details: { field: `messages[${i}].content` } });
  });
  const temperature = options.temperature ?? config.temperature;
  if (temperature !== undefined) checkTemperature(temperature, 'temperature');
  if (options.maxTokens !== undefined) validatePositiveInt(options.maxTokens, 'maxTokens', 1_000_000, MODULE);
  return JSON.stringify({
    model: config.model,
    messages: messages.map(({ role, content }) => ({ role, content })),
    ...(temperature === undefined ? {} : { temperature }),
    ...(options.maxTokens === undefined ? {} : { max_tokens: options.maxTokens }),
    ...(stream ? { stream: true } : {}),
  });
}

interface ResolvedOptions {
  model: string;
  temperature?: number;
  http: HttpClientConfig;
}

function resolveOptions(options: OpenAIChatModelOptions): ResolvedOptions & { baseURL: string } {
  if (typeof options !== 'object' || options === null) throw fail('INVALID_INPUT', 'options must be an object with at least baseURL and model.');
  const baseURL = validateBaseURL(options.baseURL, MODULE);
  if (typeof options.model !== 'string' || options.model.trim() === '')
    throw fail('INVALID_INPUT', 'model must be a non-empty string, e.g. "gpt-4o-mini" or "llama3.1:8b".', { details: { field: 'model' } });
  if (options.temperature !== undefined) checkTemperature(options.temperature, 'options.temperature');
  return {
    baseURL,
    model: options.model,
    ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
    http: resolveHttpClientOptions(options, { module: MODULE, timeoutMs: 60_000, timeoutHint: 'raise timeoutMs for slow models' }),
  };
}

function checkTemperature(value: unknown, field: string): void {
  if (typeof value !== 'number' || !(value >= 0 && value <= 2)) throw fail('INVALID_INPUT', `${field} must be a number from 0 to 2, got ${String(value)}.`, { details: { field } });
}

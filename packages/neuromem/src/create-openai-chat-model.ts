import { createErrorFactory, parseRetryAfter, validatePositiveInt, type ChatMessage, type ChatModel, type ChatOptions, type NeuroMemError , type HttpClientOptions } from '@neuromem/core';

const MODULE = 'chat-model';
const fail = createErrorFactory(MODULE);
const ROLES: ReadonlySet<string> = new Set(['system', 'user', 'assistant']);
/** A server asking to wait longer than this is down for longer than a caller should block. */
const MAX_RETRY_AFTER_MS = 60_000;

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

type Attempt = { ok: true; response: Response; timer: AttemptTimer } | { ok: false; error: NeuroMemError; retryable: boolean; retryAfterMs?: number };

/** A chat model on any server that speaks OpenAI's `/chat/completions` (OpenAI, Ollama, vLLM, llama.cpp, LM Studio). */
export function createOpenAIChatModel(options: OpenAIChatModelOptions): ChatModel {
  const config = resolveOptions(options);
  const url = `${config.baseURL.replace(/\/+$/, '')}/chat/completions`;
  const redact = (text: string) => (config.apiKey ? text.replaceAll(config.apiKey, '***') : text);

  async function attempt(body: string, signal: AbortSignal | undefined, stream: boolean): Promise<Attempt> {
    const timer = startTimer(config.timeoutMs, signal);
    try {
      const headers = { 'content-type': 'application/json', accept: stream ? 'text/event-stream' : 'application/json', ...(config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {}), ...config.headers };
      const response = await config.fetch(url, { method: 'POST', headers, body, signal: timer.signal });
      if (response.ok) return { ok: true, response, timer };
      const detail = redact(await serverMessage(response));
      const retryAfterMs = parseRetryAfter(response.headers);
      timer.stop();
      const wait = retryAfterMs === undefined ? '' : ` (retry after ${Math.ceil(retryAfterMs / 1000)} s)`;
      const error = fail('UPSTREAM', `${url} answered ${response.status} ${response.statusText}${detail ? `: ${detail}` : ''}${wait}.`, { details: { status: response.status, url, model: config.model } });
      const retryable = (response.status === 429 || response.status >= 500) && !(retryAfterMs !== undefined && retryAfterMs > MAX_RETRY_AFTER_MS);
      return { ok: false, error, retryable, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
    } catch (error) {
      timer.stop();
      if (signal?.aborted) throw signal.reason;
      if (timer.timedOut()) return { ok: false, retryable: true, error: fail('TIMEOUT', `${url} did not answer within timeoutMs=${config.timeoutMs} ms; raise timeoutMs for slow models.`, { cause: error, details: { url, timeoutMs: config.timeoutMs } }) };
      const reason = ((error as { cause?: { code?: unknown } }).cause?.code as string | undefined) ?? (error as Error).message;
      return { ok: false, retryable: true, error: fail('UPSTREAM', `cannot reach ${url} (${reason}); is the server running?`, { cause: error, details: { url } }) };
    }
  }

  async function send(messages: readonly ChatMessage[], chatOptions: ChatOptions, stream: boolean) {
    const body = requestBody(config, messages, chatOptions, stream);
    for (let retry = 0; ; retry += 1) {
      const outcome = await attempt(body, chatOptions.signal, stream);
      if (outcome.ok) return outcome;
      if (!outcome.retryable || retry >= config.maxRetries) throw outcome.error;
      // Jitter spreads the retries of many clients that failed together; it never changes a result.
      await sleep(outcome.retryAfterMs ?? config.retryBaseDelayMs * 2 ** retry * (1 - Math.random() * 0.25), chatOptions.signal);
    }
  }

  const malformed = (what: string) => fail('UPSTREAM', `${url} sent ${what}; is it an OpenAI-compatible /chat/completions endpoint?`, { details: { url } });

  return {
    specVersion: 'neuromem.chat-model/v1',
    id: `openai-compatible:${config.model}`,
    async chat(messages, chatOptions = {}) {
      const { response, timer } = await send(messages, chatOptions, false);
      let json: ChatCompletion;
      try {
        json = (await response.json()) as ChatCompletion;
      } catch (error) {
        if (chatOptions.signal?.aborted) throw chatOptions.signal.reason;
        if (timer.timedOut()) throw fail('TIMEOUT', `${url} did not finish its answer within timeoutMs=${config.timeoutMs} ms.`, { cause: error });
        throw malformed('a body that is not JSON');
      } finally {
        timer.stop();
      }
      const choice = json.choices?.[0];
      if (!choice) throw malformed('no choices');
      const usage = json.usage;
      return {
        content: choice.message?.content ?? '',
        ...(usage && typeof usage.prompt_tokens === 'number' ? { usage: { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens ?? 0 } } : {}),
      };
    },
    async *stream(messages, chatOptions = {}) {
      const { response, timer } = await send(messages, chatOptions, true);
      if (!response.body) throw malformed('an empty stream');
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
            const event = parseEvent(payload);
            if (!event) throw malformed(`an event that is not JSON (${payload.slice(0, 80)})`);
            if (event.error) throw fail('UPSTREAM', `${url} failed mid-stream: ${redact(errorText(event) ?? JSON.stringify(event.error))}.`, { details: { url } });
            const delta = event.choices?.[0]?.delta?.content;
            if (typeof delta === 'string' && delta !== '') yield delta;
          }
        }
      } catch (error) {
        if (chatOptions.signal?.aborted) throw chatOptions.signal.reason;
        if (timer.timedOut()) throw fail('TIMEOUT', `${url} sent nothing for timeoutMs=${config.timeoutMs} ms in the middle of a stream.`, { cause: error });
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

interface AttemptTimer {
  signal: AbortSignal;
  timedOut(): boolean;
  restart(): void;
  stop(): void;
}

/** The body as text, ending with a blank line so that an event the server left unterminated still counts. */
async function* decodeText(body: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  for await (const chunk of body) yield decoder.decode(chunk, { stream: true });
  yield `${decoder.decode()}\n\n`;
}

/** One attempt's abort signal: fires on the caller's signal or when `ms` pass without a restart. */
function startTimer(ms: number, outer: AbortSignal | undefined): AttemptTimer {
  const controller = new AbortController();
  let expired = false;
  let handle: ReturnType<typeof setTimeout> | undefined;
  const onAbort = () => controller.abort(outer?.reason);
  if (outer?.aborted) onAbort();
  outer?.addEventListener('abort', onAbort, { once: true });
  const restart = () => {
    clearTimeout(handle);
    handle = setTimeout(() => {
      expired = true;
      controller.abort();
    }, ms);
  };
  restart();
  return { signal: controller.signal, timedOut: () => expired, restart, stop: () => (clearTimeout(handle), outer?.removeEventListener('abort', onAbort)) };
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => (clearTimeout(handle), reject(signal?.reason));
    const handle = setTimeout(() => (signal?.removeEventListener('abort', onAbort), resolve()), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Retry-After as ms: OpenAI's `retry-after-ms`, else `retry-after` in seconds or as an HTTP date. */

/** The server's own explanation: OpenAI `{error:{message}}`, Ollama `{error:"..."}`, vLLM `{message}`, FastAPI `{detail}`, else the text. */
async function serverMessage(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  const parsed = parseEvent(text);
  return (parsed ? errorText(parsed) : undefined) ?? text.trim().slice(0, 300);
}

function errorText(body: Record<string, unknown>): string | undefined {
  const error = body.error as { message?: unknown } | string | undefined;
  const candidate = typeof error === 'string' ? error : (error?.message ?? body.message ?? body.detail);
  return typeof candidate === 'string' ? candidate : undefined;
}

function parseEvent(text: string): (ChatCompletion & Record<string, unknown>) | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as ChatCompletion & Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function requestBody(config: ResolvedOptions, messages: readonly ChatMessage[], options: ChatOptions, stream: boolean): string {
  if (!Array.isArray(messages) || messages.length === 0) throw fail('INVALID_INPUT', 'messages must be a non-empty array of { role, content }.');
  messages.forEach((message, i) => {
    if (typeof message !== 'object' || message === null || !ROLES.has(message.role)) throw fail('INVALID_INPUT', `messages[${i}].role must be "system", "user" or "assistant", got ${JSON.stringify((message as Partial<ChatMessage> | null)?.role)}.`, { details: { field: `messages[${i}].role` } });
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

type ResolvedOptions = Required<Omit<OpenAIChatModelOptions, 'apiKey' | 'temperature'>> & Pick<OpenAIChatModelOptions, 'apiKey' | 'temperature'>;

function resolveOptions(options: OpenAIChatModelOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw fail('INVALID_INPUT', 'options must be an object with at least baseURL and model.');
  let protocol = '';
  try {
    protocol = new URL(options.baseURL).protocol;
  } catch {
    // Reported below with the value the caller passed.
  }
  if (protocol !== 'http:' && protocol !== 'https:') throw fail('INVALID_INPUT', `baseURL must be an http(s) URL such as "http://localhost:11434/v1", got ${JSON.stringify(options.baseURL)}.`, { details: { field: 'baseURL' } });
  if (typeof options.model !== 'string' || options.model.trim() === '') throw fail('INVALID_INPUT', 'model must be a non-empty string, e.g. "gpt-4o-mini" or "llama3.1:8b".', { details: { field: 'model' } });
  const maxRetries = options.maxRetries ?? 2;
  if (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > 10) throw fail('INVALID_INPUT', `maxRetries must be an integer from 0 to 10, got ${String(maxRetries)}.`, { details: { field: 'maxRetries' } });
  const retryBaseDelayMs = options.retryBaseDelayMs ?? 500;
  if (!(retryBaseDelayMs >= 0 && retryBaseDelayMs <= MAX_RETRY_AFTER_MS)) throw fail('INVALID_INPUT', `retryBaseDelayMs must be a number of ms from 0 to ${MAX_RETRY_AFTER_MS}, got ${String(retryBaseDelayMs)}.`, { details: { field: 'retryBaseDelayMs' } });
  if (options.temperature !== undefined) checkTemperature(options.temperature, 'options.temperature');
  const fetchImpl = options.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== 'function') throw fail('INVALID_INPUT', 'no fetch available: pass options.fetch or run on Node 18+.', { details: { field: 'fetch' } });
  const apiKey = options.apiKey ?? process.env.OPENAI_API_KEY;
  return {
    baseURL: options.baseURL,
    model: options.model,
    ...(apiKey ? { apiKey } : {}),
    timeoutMs: validatePositiveInt(options.timeoutMs ?? 60_000, 'timeoutMs', 3_600_000, MODULE),
    maxRetries,
    retryBaseDelayMs,
    headers: { ...options.headers },
    fetch: fetchImpl,
    ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
  };
}

function checkTemperature(value: unknown, field: string): void {
  if (typeof value !== 'number' || !(value >= 0 && value <= 2)) throw fail('INVALID_INPUT', `${field} must be a number from 0 to 2, got ${String(value)}.`, { details: { field } });
}

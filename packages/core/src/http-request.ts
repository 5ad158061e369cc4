import { createErrorFactory, isNeuroMemError, type NeuroMemError } from './errors';
import type { HttpClientOptions } from './http-client-options';
import { parseRetryAfter } from './retry-after';
import { validatePositiveInt } from './validate';

/** A server asking to wait longer than this is down for longer than a caller should block. */
const MAX_RETRY_AFTER_MS = 60_000;

/** `HttpClientOptions` checked, with defaults filled in and the API key taken from the environment. */
export interface HttpClientConfig {
  /** Module name for error messages (`[neuromem] [module]`). */
  module: string;
  apiKey?: string;
  headers: Readonly<Record<string, string>>;
  /** Limit for one attempt: until the answer has been read, or between two chunks of a stream. */
  timeoutMs: number;
  maxRetries: number;
  retryBaseDelayMs: number;
  fetch: typeof globalThis.fetch;
  /** Appended to timeout messages: what the caller can change ("raise timeoutMs for slow models"). */
  timeoutHint: string;
}

/** Validates the connection options every NeuroMem HTTP client shares; bad values get `INVALID_INPUT`. */
export function resolveHttpClientOptions(options: HttpClientOptions & { timeoutMs?: number }, defaults: { module: string; timeoutMs: number; timeoutHint: string }): HttpClientConfig {
  const fail = createErrorFactory(defaults.module);
  const maxRetries = options.maxRetries ?? 2;
  if (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > 10)
    throw fail('INVALID_INPUT', `maxRetries must be an integer from 0 to 10, got ${String(maxRetries)}.`, { details: { field: 'maxRetries' } });
  const retryBaseDelayMs = options.retryBaseDelayMs ?? 500;
  if (!(retryBaseDelayMs >= 0 && retryBaseDelayMs <= MAX_RETRY_AFTER_MS))
    throw fail('INVALID_INPUT', `retryBaseDelayMs must be a number of ms from 0 to ${MAX_RETRY_AFTER_MS}, got ${String(retryBaseDelayMs)}.`, { details: { field: 'retryBaseDelayMs' } });
  const fetchImpl = options.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== 'function') throw fail('INVALID_INPUT', 'no fetch available: pass options.fetch or run on Node 18+.', { details: { field: 'fetch' } });
  if (options.headers !== undefined && (typeof options.headers !== 'object' || options.headers === null))
    throw fail('INVALID_INPUT', 'headers must be an object of header names to string values.', { details: { field: 'headers' } });
  // Read at creation, not import, so a key exported after the process started still counts.
  const apiKey = options.apiKey ?? process.env.OPENAI_API_KEY;
  return {
    module: defaults.module,
    ...(apiKey ? { apiKey } : {}),
    headers: { ...options.headers },
    timeoutMs: validatePositiveInt(options.timeoutMs ?? defaults.timeoutMs, 'timeoutMs', 3_600_000, defaults.module),
    maxRetries,
    retryBaseDelayMs,
    fetch: fetchImpl,
    timeoutHint: defaults.timeoutHint,
  };
}

/** One attempt's deadline. Streams restart it on every chunk, so it bounds the silence, not the answer. */
export interface AttemptTimer {
  readonly signal: AbortSignal;
  timedOut(): boolean;
  restart(): void;
  stop(): void;
}

export interface HttpRequest {
  url: string;
  /** The JSON body, already serialized. */
  body: string;
  accept?: string;
  /** The caller's cancel: aborts the attempt and any backoff wait, and is rethrown as is. */
  signal?: AbortSignal;
}

/**
 * POSTs `request` and hands the response to `read` while the attempt's timer still runs, retrying
 * network errors, timeouts, 429 and 5xx with jittered exponential backoff (a Retry-After header
 * wins). `read` may keep reading after it returns (a stream) by passing `keepTimer`; it then owns
 * `timer.stop()`. A `NeuroMemError` thrown by `read` is final; anything else it throws after the
 * timer expired is a retryable `TIMEOUT`. Failures are `TIMEOUT` or `UPSTREAM` with the URL (without
 * credentials) and the server's own message, the API key masked.
 */
export async function postWithRetry<T>(request: HttpRequest, config: HttpClientConfig, read: (response: Response, timer: AttemptTimer) => Promise<T>, { keepTimer = false } = {}): Promise<T> {
  const fail = createErrorFactory(config.module);
  const url = withoutCredentials(request.url);
  const headers = { 'content-type': 'application/json', accept: request.accept ?? 'application/json', ...(config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {}), ...config.headers };
  type Attempt = { ok: true; value: T } | { ok: false; error: NeuroMemError; retryable: boolean; retryAfterMs?: number };

  async function attempt(): Promise<Attempt> {
    const timer = startAttemptTimer(config.timeoutMs, request.signal);
    let handedOver = false;
    try {
      const response = await config.fetch(request.url, { method: 'POST', headers, body: request.body, signal: timer.signal });
      if (response.ok) {
        const value = await read(response, timer);
        handedOver = keepTimer;
        return { ok: true, value };
      }
      const detail = redactKey(config, serverMessage(await response.text().catch(() => '')));
      const retryAfterMs = parseRetryAfter(response.headers);
      const wait = retryAfterMs === undefined ? '' : ` (retry after ${Math.ceil(retryAfterMs / 1000)} s)`;
      const error = fail('UPSTREAM', `${url} answered ${response.status} ${response.statusText}${detail ? `: ${detail}` : ''}${wait}.`, { details: { status: response.status, url } });
      const retryable = (response.status === 429 || response.status >= 500) && !(retryAfterMs !== undefined && retryAfterMs > MAX_RETRY_AFTER_MS);
      return { ok: false, error, retryable, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
    } catch (error) {
      if (request.signal?.aborted) throw request.signal.reason;
      if (timer.timedOut())
        return {
          ok: false,
          retryable: true,
          error: fail('TIMEOUT', `${url} did not answer within timeoutMs=${config.timeoutMs} ms; ${config.timeoutHint}.`, { cause: error, details: { url, timeoutMs: config.timeoutMs } }),
        };
      if (isNeuroMemError(error)) throw error;
      const reason = redactKey(config, ((error as { cause?: { code?: unknown } }).cause?.code as string | undefined) ?? (error as Error).message);
      return { ok: false, retryable: true, error: fail('UPSTREAM', `cannot reach ${url} (${reason}); is the server running?`, { cause: error, details: { url } }) };
    } finally {
      if (!handedOver) timer.stop();
    }
  }

  for (let retry = 0; ; retry += 1) {
    const outcome = await attempt();
    if (outcome.ok) return outcome.value;
    if (!outcome.retryable || retry >= config.maxRetries) throw outcome.error;
    // Jitter spreads the retries of many clients that failed together; it never changes a result.
    await sleep(outcome.retryAfterMs ?? config.retryBaseDelayMs * 2 ** retry * (1 - Math.random() * 0.25), request.signal);
  }
}

/** `text` with the API key masked: every message that may echo a request or answer goes through this. */
export function redactKey(config: Pick<HttpClientConfig, 'apiKey'>, text: string): string {
  return config.apiKey ? text.replaceAll(config.apiKey, '***') : text;
}

/** Fires on the caller's signal, or when `ms` pass without a `restart()`. */
export function startAttemptTimer(ms: number, outer: AbortSignal | undefined): AttemptTimer {
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
  return {
    signal: controller.signal,
    timedOut: () => expired,
    restart,
    stop: () => {
      clearTimeout(handle);
      outer?.removeEventListener('abort', onAbort);
    },
  };
}

/** The URL as shown in messages: user and password removed. */
export function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url;
  }
}

/** The server's own explanation: OpenAI `{error:{message}}`, Ollama `{error:"..."}`, vLLM `{message}`, FastAPI `{detail}`, else the text. */
export function serverMessage(text: string): string {
  const body = parseJsonObject(text);
  return (body ? errorText(body) : undefined) ?? text.trim().slice(0, 300);
}

/** The message of an error body in any of the shapes `serverMessage` knows; undefined when there is none. */
export function errorText(body: Record<string, unknown>): string | undefined {
  const error = body.error as { message?: unknown } | string | undefined;
  const candidate = typeof error === 'string' ? error : (error?.message ?? body.message ?? body.detail);
  return typeof candidate === 'string' ? candidate : undefined;
}

/** The JSON object in `text`, or undefined when it is not JSON or not an object. */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => (clearTimeout(handle), reject(signal?.reason));
    const handle = setTimeout(() => (signal?.removeEventListener('abort', onAbort), resolve()), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Checks that `value` is an http(s) URL, the API root of an OpenAI-compatible server. */
export function validateBaseURL(value: unknown, module: string): string {
  let protocol = '';
  try {
    protocol = new URL(value as string).protocol;
  } catch {
    // Reported below with the value the caller passed.
  }
  if (protocol !== 'http:' && protocol !== 'https:')
    throw createErrorFactory(module)('INVALID_INPUT', `baseURL must be an http(s) URL such as "http://localhost:11434/v1", got ${JSON.stringify(value)}.`, { details: { field: 'baseURL' } });
  return value as string;
}

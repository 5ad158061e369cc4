import { createErrorFactory, parseRetryAfter, type NeuroMemError } from '@neuromem/core';

/** A server asking to wait longer than this is down for longer than a caller should block. */
const MAX_RETRY_AFTER_MS = 60_000;

export interface PostJsonConfig {
  /** Module name for error messages (`[neuromem] [module]`). */
  module: string;
  /** Sent as `Authorization: Bearer <apiKey>` when non-empty, and masked in every error message. */
  apiKey?: string;
  headers: Readonly<Record<string, string>>;
  /** Limit for one attempt, from sending the request until the whole body has been read. */
  timeoutMs: number;
  /** Extra attempts after a network error, a timeout, 429 or 5xx; other 4xx are never retried. */
  maxRetries: number;
  /** First backoff delay, doubled per retry and jittered; a Retry-After header overrides it. */
  retryBaseDelayMs: number;
  fetch: typeof globalThis.fetch;
}

type Attempt = { ok: true; json: unknown } | { ok: false; error: NeuroMemError; retryable: boolean; retryAfterMs?: number };

/**
 * POSTs `body` as JSON and returns the parsed JSON answer, retrying transient failures. Fails with
 * `TIMEOUT` or `UPSTREAM` (status and the server's own message, API key masked).
 */
export async function postJsonWithRetry(url: string, body: unknown, config: PostJsonConfig): Promise<unknown> {
  const fail = createErrorFactory(config.module);
  const shownUrl = withoutCredentials(url);
  const redact = (text: string) => (config.apiKey ? text.replaceAll(config.apiKey, '***') : text);
  const headers = { 'content-type': 'application/json', accept: 'application/json', ...(config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {}), ...config.headers };
  const payload = JSON.stringify(body);

  async function attempt(): Promise<Attempt> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, config.timeoutMs);
    try {
      const response = await config.fetch(url, { method: 'POST', headers, body: payload, signal: controller.signal });
      const text = await response.text();
      if (response.ok) {
        const json = parseJson(text);
        if (json !== undefined) return { ok: true, json };
        // Python servers write NaN/Infinity into JSON (json.dumps allows it); JSON.parse does not.
        const what = /[:,[]\s*-?(NaN|Infinity)\b/.test(text) ? 'NaN or Infinity in its JSON (the model produced non-finite values)' : `a body that is not JSON (${redact(text.trim().slice(0, 80))})`;
        return { ok: false, retryable: false, error: fail('UPSTREAM', `${shownUrl} sent ${what}; is it an OpenAI-compatible endpoint?`, { details: { url: shownUrl } }) };
      }
      const detail = redact(serverMessage(text));
      const retryAfterMs = parseRetryAfter(response.headers);
      const wait = retryAfterMs === undefined ? '' : ` (retry after ${Math.ceil(retryAfterMs / 1000)} s)`;
      const error = fail('UPSTREAM', `${shownUrl} answered ${response.status} ${response.statusText}${detail ? `: ${detail}` : ''}${wait}.`, { details: { status: response.status, url: shownUrl } });
      const retryable = (response.status === 429 || response.status >= 500) && !(retryAfterMs !== undefined && retryAfterMs > MAX_RETRY_AFTER_MS);
      return { ok: false, error, retryable, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
    } catch (error) {
      if (timedOut) return { ok: false, retryable: true, error: fail('TIMEOUT', `${shownUrl} did not answer within timeoutMs=${config.timeoutMs} ms; raise timeoutMs for slow models or lower batchSize.`, { cause: error, details: { url: shownUrl, timeoutMs: config.timeoutMs } }) };
      const reason = redact(((error as { cause?: { code?: unknown } }).cause?.code as string | undefined) ?? (error as Error).message);
      return { ok: false, retryable: true, error: fail('UPSTREAM', `cannot reach ${shownUrl} (${reason}); is the server running?`, { cause: error, details: { url: shownUrl } }) };
    } finally {
      clearTimeout(timer);
    }
  }

  for (let retry = 0; ; retry += 1) {
    const outcome = await attempt();
    if (outcome.ok) return outcome.json;
    if (!outcome.retryable || retry >= config.maxRetries) throw outcome.error;
    // Jitter spreads the retries of many clients that failed together; it never changes a result.
    await sleep(outcome.retryAfterMs ?? config.retryBaseDelayMs * 2 ** retry * (1 - Math.random() * 0.25));
  }
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

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}


/** The server's own explanation: OpenAI `{error:{message}}`, Ollama `{error:"..."}`, vLLM `{message}`, FastAPI `{detail}`, else the text. */
function serverMessage(text: string): string {
  const body = parseJson(text);
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const record = body as Record<string, unknown>;
    const error = record.error as { message?: unknown } | string | undefined;
    const candidate = typeof error === 'string' ? error : (error?.message ?? record.message ?? record.detail);
    if (typeof candidate === 'string') return candidate;
  }
  return text.trim().slice(0, 300);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

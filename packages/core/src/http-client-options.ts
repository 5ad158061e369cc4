/** Connection settings every NeuroMem client of an OpenAI-compatible server takes (chat, embeddings). */
export interface HttpClientOptions {
  /** Sent as `Authorization: Bearer <apiKey>`. Default: `process.env.OPENAI_API_KEY`; without either (or with "") no header is sent, as local servers need none. */
  apiKey?: string;
  /** Extra attempts after a network error, a timeout, 429 or 5xx; other 4xx are never retried. Default: 2. */
  maxRetries?: number;
  /** First backoff delay in ms, doubled per retry and jittered; a Retry-After header overrides it. Default: 500. */
  retryBaseDelayMs?: number;
  /** Extra HTTP headers for every request (they override the defaults). Default: none. */
  headers?: Readonly<Record<string, string>>;
  /** The fetch implementation, for proxies and tests. Default: the global `fetch`. */
  fetch?: typeof globalThis.fetch;
}

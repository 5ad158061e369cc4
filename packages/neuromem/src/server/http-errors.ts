import { createErrorFactory, isNeuroMemError, type NeuroMemErrorCode } from '@neuromem/core';

/** The `code` of an error body: a `NeuroMemError` code, or one of the HTTP layer's own. */
export type HttpErrorCode = NeuroMemErrorCode | 'UNAUTHORIZED' | 'FORBIDDEN' | 'PAYLOAD_TOO_LARGE' | 'UNSUPPORTED_MEDIA_TYPE' | 'RATE_LIMITED' | 'INTERNAL';

/** The one shape of every error the server answers with. */
export interface HttpErrorBody {
  error: { code: HttpErrorCode; message: string };
}

/** What an error becomes on the wire. */
export interface HttpError {
  status: number;
  code: HttpErrorCode;
  message: string;
  /** Seconds, for a `Retry-After` header. */
  retryAfter?: number;
  /** The server's fault, not the caller's: logged, and the body says nothing of the cause. */
  internal: boolean;
}

export const failServer = createErrorFactory('server');

export const errorBody = (code: HttpErrorCode, message: string): HttpErrorBody => ({ error: { code, message } });

// A caller's mistake keeps the error's own message (public API words that say what to do); a failure
// on the server's side gets a fixed message, because its cause may name paths, hosts or internals.
const NEUROMEM_ERRORS: Record<NeuroMemErrorCode, { status: number; message?: string; retryAfter?: number }> = {
  INVALID_INPUT: { status: 400 },
  DIMENSION_MISMATCH: { status: 400 },
  NOT_FOUND: { status: 404 },
  CONFLICT: { status: 409 },
  UNSUPPORTED: { status: 501 },
  LOCKED: { status: 503, retryAfter: 1, message: 'the memory is busy (a sleep or another process holds it); retry in a moment.' },
  CLOSED: { status: 503, retryAfter: 1, message: 'the memory is closed: the server is shutting down; retry in a moment.' },
  STORAGE: { status: 500, message: "the memory's storage failed; the server's log says why." },
  TIMEOUT: { status: 504, message: 'a model server the memory calls did not answer in time; retry later.' },
  UPSTREAM: { status: 502, message: 'a model server the memory calls answered with an error; retry later.' },
};

const BY_STATUS: Record<number, HttpErrorCode> = {
  400: 'INVALID_INPUT',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

// The facade's option names as a request spells them, so a message names the field that was sent.
const WIRE_NAMES: Record<string, string> = {
  userId: 'user_id',
  agentId: 'agent_id',
  runId: 'run_id',
  topK: 'top_k',
  referenceDate: 'reference_date',
  timeRange: 'time_range',
  tokenBudget: 'token_budget',
  expirationDate: 'expiration_date',
};
const WIRE_PATTERN = new RegExp(`\\b(${Object.keys(WIRE_NAMES).join('|')})\\b`, 'g');

/** `[neuromem] [module] message` -> `message` in the request's field names: on the wire the code already says who answered. */
export const publicMessage = (message: string): string => message.replace(/^\[neuromem\](?: \[[^\]]+\])? /, '').replace(WIRE_PATTERN, (name) => WIRE_NAMES[name]!);

/**
 * Maps anything a route can throw to a status and a typed body: NeuroMemErrors by code, fastify's
 * own client errors (validation, bad JSON, body too large, rate limited) by status, and everything
 * else to a 500 that shows nothing of the error.
 */
export function toHttpError(error: unknown, context: { bodyLimit: number }): HttpError {
  if (isNeuroMemError(error)) {
    const mapped = NEUROMEM_ERRORS[error.code];
    return { status: mapped.status, code: error.code, message: mapped.message ?? publicMessage(error.message), retryAfter: mapped.retryAfter, internal: mapped.status >= 500 };
  }
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  const code = typeof status === 'number' ? BY_STATUS[status] : undefined;
  if (code === undefined) return { status: 500, code: 'INTERNAL', message: 'the server failed to answer; its log says why.', internal: true };
  const messages: Partial<Record<HttpErrorCode, string>> = {
    PAYLOAD_TOO_LARGE: `the request body is over this server's limit of ${context.bodyLimit} bytes; send less per request (e.g. fewer messages per add).`,
    UNSUPPORTED_MEDIA_TYPE: 'send the body as JSON with Content-Type: application/json.',
  };
  return { status: status as number, code, message: messages[code] ?? (error as Error).message, internal: false };
}

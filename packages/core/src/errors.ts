/**
 * Every failure NeuroMem raises on purpose is a `NeuroMemError` with a stable `code`, so callers can
 * branch on `error.code` instead of parsing messages. Messages start with `[neuromem] [module]`
 * (`[neuromem]` alone for the facade's own) and say what to do next.
 */
export type NeuroMemErrorCode =
  /** The caller passed something malformed: empty text, NaN, a bad date, an unknown option. */
  | 'INVALID_INPUT'
  /** A vector's length does not match the dimensions of the index or scale it is meant for. */
  | 'DIMENSION_MISMATCH'
  /** The id (memory, session, edge end) does not exist or was deleted. */
  | 'NOT_FOUND'
  /** The write conflicts with existing state (duplicate id, stale version). */
  | 'CONFLICT'
  /** The durable store failed (disk full, corrupt file, I/O error). */
  | 'STORAGE'
  /** The object was used after `close()`. */
  | 'CLOSED'
  /** Another process holds the database. */
  | 'LOCKED'
  /** A remote call (model server, embeddings endpoint) took too long. */
  | 'TIMEOUT'
  /** The operation is not supported by this implementation. */
  | 'UNSUPPORTED'
  /** A remote service answered with an error. */
  | 'UPSTREAM';

export interface NeuroMemErrorOptions {
  /** The module that raised the error, shown as `[neuromem] [module]`. */
  module: string;
  /** The underlying error, if any. */
  cause?: unknown;
  /** Structured facts about the failure (field name, expected dims, id...). */
  details?: Readonly<Record<string, unknown>>;
}

export class NeuroMemError extends Error {
  override readonly name = 'NeuroMemError';
  readonly code: NeuroMemErrorCode;
  readonly module: string;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: NeuroMemErrorCode, message: string, options: NeuroMemErrorOptions) {
    // The facade's own errors say `[neuromem]` once, not `[neuromem] [neuromem]`.
    const prefix = options.module === 'neuromem' ? '[neuromem]' : `[neuromem] [${options.module}]`;
    super(`${prefix} ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.module = options.module;
    this.details = options.details ?? {};
  }
}

/** True when `error` is a NeuroMemError (optionally with the given code). Works across package copies. */
export function isNeuroMemError(error: unknown, code?: NeuroMemErrorCode): error is NeuroMemError {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as { name?: unknown; code?: unknown };
  if (candidate.name !== 'NeuroMemError' || typeof candidate.code !== 'string') return false;
  return code === undefined || candidate.code === code;
}

/** A factory bound to one module, so call sites stay short: `fail('NOT_FOUND', '...')`. */
export function createErrorFactory(module: string) {
  return (code: NeuroMemErrorCode, message: string, extra: Omit<NeuroMemErrorOptions, 'module'> = {}) => new NeuroMemError(code, message, { module, ...extra });
}

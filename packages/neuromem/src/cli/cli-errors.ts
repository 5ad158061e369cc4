import { createErrorFactory, isNeuroMemError, type NeuroMemErrorCode } from '@neuromem/core';

/** The CLI's own errors: `NeuroMemError`s like the library's, so one printer and one exit code table serve both. */
export const failCli = createErrorFactory('neuromem');

/** The `code` of a printed error: a `NeuroMemError` code, or `INTERNAL` for anything else (a bug). */
export type CliErrorCode = NeuroMemErrorCode | 'INTERNAL';

/** Exit codes a script can branch on; every other failure exits 1. */
export const EXIT_CODES: Partial<Record<CliErrorCode, number>> = { INVALID_INPUT: 2, DIMENSION_MISMATCH: 2, NOT_FOUND: 3, LOCKED: 4, CONFLICT: 5, STORAGE: 6 };

export interface CliErrorBody {
  error: { code: CliErrorCode; message: string; details?: Readonly<Record<string, unknown>> };
}

/** Strips `[neuromem] [module] `: the CLI prints its own one prefix (`neuromem: `), or none in JSON. */
const withoutPrefix = (message: string) => message.replace(/^\[neuromem\](?: \[[^\]]+\])? /, '');

/** The one shape every error takes under `--json` (the HTTP server's, plus the error's details). */
export function toErrorBody(error: unknown): CliErrorBody {
  if (isNeuroMemError(error)) {
    const details = Object.keys(error.details).length > 0 ? { details: error.details } : {};
    return { error: { code: error.code, message: withoutPrefix(error.message), ...details } };
  }
  return { error: { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) } };
}

/**
 * Prints a failure and returns the exit code: one `neuromem: …` line on stderr, or with `--json` the
 * error body on stdout, where a script reads the result otherwise.
 */
export function reportError(error: unknown, json: boolean): number {
  const body = toErrorBody(error);
  if (json) console.log(JSON.stringify(body, null, 2));
  else console.error(`neuromem: ${body.error.message.split('\n')[0]}`);
  return EXIT_CODES[body.error.code] ?? 1;
}

import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { failServer } from './http-errors';

/** A bearer token the server accepts, optionally bound to one user. */
export interface ServerToken {
  /** The secret clients send as `Authorization: Bearer <token>`: at least 16 characters, no spaces. */
  token: string;
  /** The only user this token reaches: a request naming another `user_id` is answered 403. Default: every user. */
  userId?: string;
}

const MIN_TOKEN_LENGTH = 16;

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Checks the configured tokens: a weak or ambiguous one is refused before the server starts. */
export function normalizeTokens(tokens: ReadonlyArray<string | ServerToken> | undefined): ServerToken[] {
  if (tokens === undefined) return [];
  if (!Array.isArray(tokens)) throw failServer('INVALID_INPUT', 'tokens must be an array of strings or { token, userId } objects.', { details: { field: 'tokens' } });
  const seen = new Set<string>();
  return tokens.map((entry, i) => {
    const { token, userId } = typeof entry === 'string' ? { token: entry, userId: undefined } : (entry ?? {});
    if (typeof token !== 'string' || token.length < MIN_TOKEN_LENGTH || /\s/.test(token)) {
      throw failServer('INVALID_INPUT', `tokens[${i}] must be at least ${MIN_TOKEN_LENGTH} characters without spaces; make one with: openssl rand -hex 32`, {
        details: { field: 'tokens' },
      });
    }
    if (userId !== undefined && (typeof userId !== 'string' || userId === '')) {
      throw failServer('INVALID_INPUT', `tokens[${i}].userId must be a non-empty string (or left out for a token that reaches every user).`, { details: { field: 'tokens' } });
    }
    if (seen.has(token)) throw failServer('INVALID_INPUT', `tokens[${i}] repeats an earlier token; give each token once.`, { details: { field: 'tokens' } });
    seen.add(token);
    return userId === undefined ? { token } : { token, userId };
  });
}

/**
 * Finds the token an `Authorization` header carries. Both sides are hashed first and every token is
 * compared, so the time taken says neither how long a token is nor which one came close.
 */
export function createTokenCheck(tokens: readonly ServerToken[]): (authorization: string | undefined) => ServerToken | undefined {
  const known = tokens.map((entry) => ({ entry, digest: digest(entry.token) }));
  return (authorization) => {
    const match = /^Bearer +(\S+) *$/i.exec(authorization ?? '');
    if (!match) return undefined;
    const candidate = digest(match[1]!);
    let found: ServerToken | undefined;
    for (const { entry, digest: expected } of known) {
      if (timingSafeEqual(candidate, expected)) found = entry;
    }
    return found;
  };
}

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1 (also IPv4-mapped), and `localhost`. */
export function isLoopback(host: string): boolean {
  const address = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (address === 'localhost') return true;
  if (isIP(address) === 4) return address.startsWith('127.');
  if (isIP(address) === 6) return address === '::1' || /^::ffff:127\./.test(address) || address === '0:0:0:0:0:0:0:1';
  return false;
}

/**
 * How long a server asked us to wait, in ms: OpenAI's `retry-after-ms`, else `Retry-After` in
 * seconds or as an HTTP date; undefined when it did not say. Shared by every HTTP adapter.
 */
export function parseRetryAfter(headers: Headers): number | undefined {
  const ms = Number(headers.get('retry-after-ms') ?? NaN);
  if (ms >= 0) return ms;
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const seconds = Number(value);
  if (value.trim() !== '' && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

import { NeuroMemError } from './errors';
import { MEMORY_KINDS, SCALES, type MemoryKind, type Metadata, type Scale, type Scope } from './memory';

/**
 * Input checks shared by every module. Each throws `NeuroMemError('INVALID_INPUT' | 'DIMENSION_MISMATCH')`
 * naming the field and what to do, before anything is written.
 */

const invalid = (module: string, message: string, details: Record<string, unknown>) => new NeuroMemError('INVALID_INPUT', message, { module, details });

export interface TextRules {
  /** Field name used in error messages. */
  field?: string;
  /** Longest accepted text in UTF-16 code units. */
  maxChars?: number;
  module?: string;
}

/** 100k characters (~25k tokens) per memory: enough for a long message, small enough to embed in one go. */
export const DEFAULT_MAX_TEXT_CHARS = 100_000;

/** A non-empty, well-formed (no lone surrogates) string within the size limit. Returns it unchanged. */
export function validateText(value: unknown, rules: TextRules = {}): string {
  const { field = 'text', maxChars = DEFAULT_MAX_TEXT_CHARS, module = 'core' } = rules;
  if (typeof value !== 'string') {
    throw invalid(module, `${field} must be a string, got ${describe(value)}.`, { field });
  }
  if (value.trim().length === 0) {
    // A query is asked, everything else is remembered: say which the caller was meant to pass.
    const wanted = /query/i.test(field) ? 'a question or keywords to search for' : 'the text to remember';
    throw invalid(module, `${field} is empty or only whitespace; pass ${wanted}.`, { field });
  }
  if (value.length > maxChars) {
    throw invalid(module, `${field} has ${value.length} characters, more than the limit of ${maxChars}; split it into smaller memories or raise maxTextChars.`, {
      field,
      length: value.length,
      maxChars,
    });
  }
  if (!isWellFormed(value)) {
    throw invalid(module, `${field} contains a lone UTF-16 surrogate (invalid Unicode); repair the string (e.g. String.prototype.toWellFormed()) before storing it.`, { field });
  }
  return value;
}

/** True when the string has no lone UTF-16 surrogate (SQLite and UTF-8 would replace one with U+FFFD). */
export function isWellFormed(value: string): boolean {
  const native = (value as { isWellFormed?: () => boolean }).isWellFormed;
  if (typeof native === 'function') return native.call(value);
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value);
}

/** A finite, non-zero vector of exactly `dimensions` numbers. Returns it as a Float32Array. */
export function validateVector(value: unknown, dimensions: number, options: { field?: string; module?: string } = {}): Float32Array {
  const { field = 'vector', module = 'core' } = options;
  if (!(value instanceof Float32Array) && !Array.isArray(value)) {
    throw invalid(module, `${field} must be a Float32Array or number[], got ${describe(value)}.`, { field });
  }
  if (value.length !== dimensions) {
    throw new NeuroMemError('DIMENSION_MISMATCH', `${field} has ${value.length} dimensions but ${dimensions} are expected; use the encoder this index was built with.`, {
      module,
      details: { field, expected: dimensions, actual: value.length },
    });
  }
  let norm = 0;
  for (let i = 0; i < value.length; i++) {
    const x = value[i] as number;
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw invalid(module, `${field}[${i}] is ${describe(x)}; vectors must hold finite numbers only.`, { field, index: i });
    }
    norm += x * x;
  }
  if (norm === 0) throw invalid(module, `${field} is all zeros; it has no direction to compare by cosine.`, { field });
  return value instanceof Float32Array ? value : Float32Array.from(value);
}

// Date.UTC maps years 0..99 to 1900..1999, so year 1 is spelled out.
const MIN_TIME = -62_135_596_800_000; // 0001-01-01T00:00:00Z
const MAX_TIME = Date.UTC(9999, 11, 31);
const TIME_RANGE = '0001-01-01T00:00:00Z to 9999-12-31T00:00:00Z';
/** Furthest a JavaScript Date reaches from the epoch; beyond it `toISOString` itself throws. */
const DATE_LIMIT = 8.64e15;
/** The engine guesses a missing year (`"May 8"` is 2001) and reads `"5"` as a month, so a string must name its year. */
const HAS_YEAR = /\d{4}/;
const ISO_DAY = /^([+-]\d{6}|\d{4})-(\d{2})-(\d{2})/;

/**
 * Epoch milliseconds from a Date, an epoch-ms number, or an ISO-8601 / RFC-2822 string.
 * Rejects NaN, unparseable strings, strings without a year, days a month lacks (`2023-02-30`, which
 * the engine would roll into March) and times outside 0001-01-01..9999-12-31.
 */
export function parseTime(value: unknown, options: { field?: string; module?: string } = {}): number {
  const { field = 'time', module = 'core' } = options;
  let ms: number;
  if (value instanceof Date) ms = dateTime(value);
  else if (typeof value === 'number') ms = value;
  else if (typeof value === 'string' && value.trim() !== '') ms = parseDateString(value.trim());
  else throw invalid(module, `${field} must be a Date, epoch milliseconds or an ISO-8601 string, got ${describe(value)}.`, { field });
  if (!Number.isFinite(ms)) {
    throw invalid(module, `${field} ${value instanceof Date ? 'is an invalid Date' : `${describe(value)} is not a valid date`}; use ISO-8601 such as "2023-05-08T13:56:00Z".`, { field });
  }
  if (ms < MIN_TIME || ms > MAX_TIME) {
    const shown = Math.abs(ms) <= DATE_LIMIT ? new Date(ms).toISOString() : `${ms} ms`;
    throw invalid(module, `${field} ${shown} is outside the supported range ${TIME_RANGE} (epoch ms ${MIN_TIME} to ${MAX_TIME}).`, { field, min: MIN_TIME, max: MAX_TIME });
  }
  return Math.trunc(ms);
}

/** NaN for an object that only claims to be a Date (its prototype is Date's, but it has no time value). */
function dateTime(value: Date): number {
  try {
    return Date.prototype.getTime.call(value);
  } catch {
    return Number.NaN;
  }
}

function parseDateString(text: string): number {
  if (!HAS_YEAR.test(text)) return Number.NaN;
  const day = ISO_DAY.exec(text);
  if (day) {
    const [year, month, date] = [Number(day[1]), Number(day[2]), Number(day[3])];
    if (month < 1 || month > 12 || date < 1 || date > daysInMonth(year, month)) return Number.NaN;
  }
  return Date.parse(text);
}

const daysInMonth = (year: number, month: number) => [31, year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;

const SCOPE_KEYS = ['userId', 'agentId', 'sessionId'] as const;
const MAX_SCOPE_ID = 256;

/**
 * Checks each scope id (non-empty, at most 256 characters, no control characters) and, when
 * `required`, that at least one is set. Returns a scope with only the set keys.
 */
export function validateScope(value: unknown, options: { required?: boolean; module?: string } = {}): Scope {
  const { required = false, module = 'core' } = options;
  if (value !== undefined && !isPlainObject(value)) {
    throw invalid(module, `scope must be an object like { userId: "alice" }, got ${describe(value)}.`, {});
  }
  const input = (value ?? {}) as Record<string, unknown>;
  // A misspelt key (user_id) would otherwise leave the query unscoped: it would see every owner.
  const unknown = Object.keys(input).filter((key) => !(SCOPE_KEYS as readonly string[]).includes(key));
  if (unknown.length > 0) {
    throw invalid(
      module,
      `scope has unknown key(s) ${unknown
        .slice(0, 3)
        .map((key) => describe(key))
        .join(', ')}; use userId, agentId or sessionId.`,
      { field: 'scope' },
    );
  }
  const scope: Scope = {};
  for (const key of SCOPE_KEYS) {
    const id = input[key];
    if (id === undefined || id === null) continue;
    if (typeof id !== 'string' || id.trim() === '' || id.length > MAX_SCOPE_ID || /[\u0000-\u001f\u007f]/.test(id) || !isWellFormed(id)) {
      throw invalid(module, `${key} must be a non-empty string of at most ${MAX_SCOPE_ID} printable characters, got ${describe(id)}.`, { field: key });
    }
    scope[key] = id;
  }
  if (required && Object.keys(scope).length === 0) {
    throw invalid(module, 'a scope is required: pass at least one of userId, agentId or runId/sessionId.', { field: 'scope' });
  }
  return scope;
}

/** 64 KiB of JSON per memory's metadata. */
export const MAX_METADATA_BYTES = 64 * 1024;
/** Objects and arrays nested deeper than this are refused (deeper input would exhaust the stack). */
export const MAX_METADATA_DEPTH = 32;

/**
 * A plain JSON object under the size and nesting limits: no functions, NaN, Infinity, cycles, class
 * instances (a Date or Map would be rewritten by JSON), symbol keys, array holes or lone surrogates.
 */
export function validateMetadata(value: unknown, options: { module?: string } = {}): Metadata {
  const { module = 'core' } = options;
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value)) {
    throw invalid(module, `metadata must be a plain JSON object, got ${describe(value)}.`, { field: 'metadata' });
  }
  checkJson(value, 'metadata', module, new Set(), 0);
  const bytes = Buffer.byteLength(JSON.stringify(value));
  if (bytes > MAX_METADATA_BYTES) {
    throw invalid(module, `metadata is ${bytes} bytes of JSON, more than ${MAX_METADATA_BYTES}; store large payloads elsewhere and keep a reference.`, { field: 'metadata', bytes });
  }
  return value as Metadata;
}

/** An object literal or `Object.create(null)`: what JSON round-trips without rewriting. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function checkJson(value: unknown, path: string, module: string, seen: Set<object>, depth: number): void {
  if (value === null || typeof value === 'boolean') return;
  if (typeof value === 'string') {
    if (!isWellFormed(value)) throw invalid(module, `${path} contains a lone UTF-16 surrogate (invalid Unicode); repair the string before storing it.`, { field: path });
    return;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw invalid(module, `${path} is ${value}; JSON has no NaN or Infinity.`, { field: path });
    return;
  }
  if (typeof value !== 'object') throw invalid(module, `${path} is a ${typeof value}; only JSON values are allowed.`, { field: path });
  if (seen.has(value)) throw invalid(module, `${path} contains a cycle.`, { field: path });
  if (depth >= MAX_METADATA_DEPTH) throw invalid(module, `${path} is nested more than ${MAX_METADATA_DEPTH} levels deep; flatten the metadata.`, { field: path, maxDepth: MAX_METADATA_DEPTH });
  const isArray = Array.isArray(value);
  if (!isArray && !isPlainObject(value)) {
    throw invalid(module, `${path} is ${describe(value)}; only plain objects, arrays and JSON values are allowed (convert it, e.g. a Date to an ISO string).`, { field: path });
  }
  if (Object.getOwnPropertySymbols(value).length > 0) throw invalid(module, `${path} has symbol keys, which JSON cannot hold.`, { field: path });
  seen.add(value);
  if (isArray) {
    const items = value as unknown[];
    if (Object.keys(items).length !== items.length) throw invalid(module, `${path} is a sparse array or has extra keys; JSON arrays hold only their items.`, { field: path });
    for (let i = 0; i < items.length; i++) checkJson(items[i], `${path}[${i}]`, module, seen, depth + 1);
  } else {
    for (const [key, item] of Object.entries(value)) {
      if (!isWellFormed(key)) throw invalid(module, `${path} has a key with a lone UTF-16 surrogate (invalid Unicode).`, { field: path });
      checkJson(item, `${path}.${key}`, module, seen, depth + 1);
    }
  }
  seen.delete(value);
}

/** A number in [0, 1]. */
export function validateUnitInterval(value: unknown, field: string, module = 'core'): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw invalid(module, `${field} must be a number between 0 and 1, got ${describe(value)}.`, { field });
  }
  return value;
}

/** A positive integer no larger than `max`. */
export function validatePositiveInt(value: unknown, field: string, max: number, module = 'core'): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw invalid(module, `${field} must be an integer between 1 and ${max}, got ${describe(value)}.`, { field });
  }
  return value;
}

/** A memory id: non-empty, at most 128 printable characters. */
export function validateId(value: unknown, module = 'core', field = 'id'): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 128 || /[\u0000-\u001f\u007f]/.test(value) || !isWellFormed(value)) {
    throw invalid(module, `${field} must be a non-empty string of at most 128 printable characters, got ${describe(value)}.`, { field });
  }
  return value;
}

export function validateKind(value: unknown, module = 'core'): MemoryKind {
  if (!MEMORY_KINDS.includes(value as MemoryKind)) {
    throw invalid(module, `kind must be one of ${MEMORY_KINDS.join(', ')}, got ${describe(value)}.`, { field: 'kind' });
  }
  return value as MemoryKind;
}

export function validateScale(value: unknown, module = 'core'): Scale {
  if (!SCALES.includes(value as Scale)) {
    throw invalid(module, `scale must be one of ${SCALES.join(', ')}, got ${describe(value)}.`, { field: 'scale' });
  }
  return value as Scale;
}

/**
 * A short description of any value for an error message. Never throws, even for objects whose
 * `constructor` key or `toString` is hostile, and never echoes a long string.
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return value.length > 40 ? `a ${value.length}-character string` : JSON.stringify(value);
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'object') return typeof value;
  try {
    if (Array.isArray(value)) return `an array of ${value.length}`;
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto === null) return 'an object without a prototype';
    const name: unknown = (proto as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === 'string' && name !== '' ? name : 'an object';
  } catch {
    return 'an object';
  }
}

const describe = describeValue;

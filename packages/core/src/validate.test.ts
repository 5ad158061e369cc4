import { NeuroMemError, isNeuroMemError } from './errors';
import { parseTime, validateMetadata, validateScope, validateText, validateVector } from './validate';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return isNeuroMemError(error) ? error.code : 'not a NeuroMemError';
  }
  return 'no error';
};

describe('validateText', () => {
  it('should accept ordinary text, other scripts and emoji', () => {
    expect(validateText('Hello 東京 🍣')).toBe('Hello 東京 🍣');
  });

  it('should reject non-strings, blank text, oversized text and lone surrogates', () => {
    expect(code(() => validateText(42))).toBe('INVALID_INPUT');
    expect(code(() => validateText(' \n\t'))).toBe('INVALID_INPUT');
    expect(code(() => validateText('abc', { maxChars: 2 }))).toBe('INVALID_INPUT');
    expect(code(() => validateText('a\uDC00b'))).toBe('INVALID_INPUT');
  });

  it('should name the field and the module in the message', () => {
    expect(() => validateText('', { field: 'query', module: 'store' })).toThrow(/^\[neuromem\] \[store\] query is empty/);
  });
});

describe('validateVector', () => {
  it('should convert number arrays and keep Float32Arrays', () => {
    expect(validateVector([1, 0], 2)).toEqual(new Float32Array([1, 0]));
    const vector = new Float32Array([0, 1]);
    expect(validateVector(vector, 2)).toBe(vector);
  });

  it('should report wrong dimensions apart from bad values', () => {
    expect(code(() => validateVector([1, 2, 3], 2))).toBe('DIMENSION_MISMATCH');
    expect(code(() => validateVector([1, Number.NaN], 2))).toBe('INVALID_INPUT');
    expect(code(() => validateVector([Infinity, 1], 2))).toBe('INVALID_INPUT');
    expect(code(() => validateVector([0, 0], 2))).toBe('INVALID_INPUT');
    expect(code(() => validateVector('1,2', 2))).toBe('INVALID_INPUT');
  });
});

describe('parseTime', () => {
  it('should read Dates, epoch milliseconds and ISO strings', () => {
    const ms = Date.UTC(2023, 4, 8, 13, 56);
    expect(parseTime(new Date(ms))).toBe(ms);
    expect(parseTime(ms)).toBe(ms);
    expect(parseTime('2023-05-08T13:56:00Z')).toBe(ms);
  });

  it('should reject NaN, garbage and years outside 1..9999', () => {
    expect(code(() => parseTime(Number.NaN))).toBe('INVALID_INPUT');
    expect(code(() => parseTime('yesterday-ish'))).toBe('INVALID_INPUT');
    expect(code(() => parseTime(new Date('nope')))).toBe('INVALID_INPUT');
    expect(code(() => parseTime(8.64e15))).toBe('INVALID_INPUT');
    expect(code(() => parseTime(''))).toBe('INVALID_INPUT');
    expect(code(() => parseTime('-000001-01-01T00:00:00Z'))).toBe('INVALID_INPUT');
  });

  it('should accept dates in the first centuries and the last', () => {
    expect(new Date(parseTime('0001-01-01T00:00:00Z')).toISOString()).toBe('0001-01-01T00:00:00.000Z');
    expect(new Date(parseTime('0100-06-01T00:00:00Z')).toISOString()).toBe('0100-06-01T00:00:00.000Z');
    expect(new Date(parseTime('9999-12-31T00:00:00Z')).toISOString()).toBe('9999-12-31T00:00:00.000Z');
  });
});

describe('validateScope', () => {
  it('should keep only the ids that are set', () => {
    expect(validateScope({ userId: 'alice', agentId: undefined })).toEqual({ userId: 'alice' });
  });

  it('should require an id when asked and reject malformed ids', () => {
    expect(code(() => validateScope({}, { required: true }))).toBe('INVALID_INPUT');
    expect(code(() => validateScope({ userId: '' }))).toBe('INVALID_INPUT');
    expect(code(() => validateScope({ userId: 'a\u0000b' }))).toBe('INVALID_INPUT');
    expect(code(() => validateScope({ userId: 'x'.repeat(300) }))).toBe('INVALID_INPUT');
    expect(code(() => validateScope('alice'))).toBe('INVALID_INPUT');
  });
});

describe('validateMetadata', () => {
  it('should accept nested JSON and treat undefined as empty', () => {
    expect(validateMetadata({ a: [1, { b: null }] })).toEqual({ a: [1, { b: null }] });
    expect(validateMetadata(undefined)).toEqual({});
  });

  it('should reject NaN, functions, cycles, arrays, class instances and oversized metadata', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const bad of [{ n: Number.NaN }, { f: () => 1 }, cyclic, [1], new Date(), { big: 'x'.repeat(70_000) }]) {
      expect(code(() => validateMetadata(bad))).toBe('INVALID_INPUT');
    }
  });
});

describe('NeuroMemError', () => {
  it('should carry code, module, details and cause', () => {
    const cause = new Error('disk full');
    const error = new NeuroMemError('STORAGE', 'write failed', { module: 'store', cause, details: { path: '/x' } });
    expect(error).toMatchObject({ name: 'NeuroMemError', code: 'STORAGE', module: 'store', details: { path: '/x' }, cause });
    expect(error.message).toBe('[neuromem] [store] write failed');
    expect(isNeuroMemError(error, 'STORAGE')).toBe(true);
    expect(isNeuroMemError(error, 'CLOSED')).toBe(false);
    expect(isNeuroMemError(new Error('x'))).toBe(false);
  });
});

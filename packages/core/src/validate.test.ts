import { NeuroMemError, isNeuroMemError } from './errors';
import { describeValue, MAX_METADATA_DEPTH, parseTime, validateId, validateMetadata, validateScope, validateText, validateVector } from './validate';

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

  it('should reject times beyond what a Date holds with a message naming the valid range', () => {
    for (const ms of [8.64e15 + 1, -8.64e15 - 1, 1e300, -Number.MAX_VALUE]) {
      expect(() => parseTime(ms, { field: 'timestamp' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringContaining('0001-01-01T00:00:00Z to 9999-12-31T00:00:00Z') }));
    }
  });

  it('should reject days the month lacks, strings without a year and objects that only claim to be Dates', () => {
    for (const bad of ['2023-02-30', '2023-04-31T10:00:00Z', '2023-02-29', '2023-00-10', '5', 'May 8', Object.create(Date.prototype)]) {
      expect(code(() => parseTime(bad))).toBe('INVALID_INPUT');
    }
    expect(parseTime('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(parseTime('8 May 2023 13:56 UTC')).toBe(Date.UTC(2023, 4, 8, 13, 56));
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
    expect(code(() => validateScope({ userId: 'a\uD800' }))).toBe('INVALID_INPUT');
  });

  it('should reject unknown keys and non-plain objects rather than read them as no scope', () => {
    expect(code(() => validateScope({ user_id: 'alice' }))).toBe('INVALID_INPUT');
    expect(code(() => validateScope(new Date()))).toBe('INVALID_INPUT');
    expect(code(() => validateScope(null))).toBe('INVALID_INPUT');
  });
});

describe('validateId', () => {
  it('should reject a lone surrogate, which SQLite would read as a different id', () => {
    expect(code(() => validateId('id\uDC00'))).toBe('INVALID_INPUT');
    expect(validateId('id-😀')).toBe('id-😀');
  });
});

describe('describeValue', () => {
  it('should describe hostile objects without throwing', () => {
    expect(describeValue({ constructor: { name: Object.create(null) } })).toBe('Object');
    expect(describeValue(Object.create(null))).toBe('an object without a prototype');
    expect(describeValue(Symbol('x'))).toBe('symbol');
    expect(describeValue('x'.repeat(100))).toBe('a 100-character string');
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

  it('should refuse nesting deeper than the limit instead of overflowing the stack', () => {
    const nest = (levels: number) => {
      let value: Record<string, unknown> = {};
      for (let i = 0; i < levels; i++) value = { a: value };
      return value;
    };
    expect(() => validateMetadata(nest(5000))).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringContaining(`more than ${MAX_METADATA_DEPTH} levels`) }));
    let array: unknown[] = [];
    for (let i = 0; i < 5000; i++) array = [array];
    expect(code(() => validateMetadata({ array }))).toBe('INVALID_INPUT');
    expect(validateMetadata(nest(MAX_METADATA_DEPTH - 1))).toBeDefined();
  });

  it('should reject what JSON would rewrite: nested class instances, symbol keys, holes and lone surrogates', () => {
    for (const bad of [{ when: new Date() }, { m: new Map([['a', 1]]) }, { [Symbol('s')]: 1 }, { list: [1, , 3] }, { s: 'a\uD800' }, { 'k\uDC00': 1 }]) {
      expect(code(() => validateMetadata(bad))).toBe('INVALID_INPUT');
    }
  });

  it('should keep a __proto__ key as data without touching any prototype', () => {
    const metadata = validateMetadata(JSON.parse('{"__proto__": {"polluted": true}}'));
    expect(JSON.stringify(metadata)).toBe('{"__proto__":{"polluted":true}}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
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

import fc from 'fast-check';

/**
 * fast-check arbitraries for the fuzz check: hostile values (wrong types, null, NaN, huge strings,
 * deep objects, `__proto__` keys, lone surrogates, impossible dates, ...) and argument lists for each
 * public method of a memory that mix them with plausible values, so that some calls are accepted
 * and the rest probe every option one wrong field at a time.
 */

/** A stored memory's id, picked when the case runs (ids change whenever the memory is re-seeded). */
export class KnownId {
  constructor(readonly index: number) {}
}

const T0 = Date.UTC(2023, 4, 8, 13, 56);
const DATE_LIMIT = 8.64e15;

function nest(levels: number, leaf: unknown = 1, asArray = false): unknown {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = asArray ? [value] : { a: value };
  return value;
}

class Custom {
  constructor(readonly userId = 'alice') {}
}

/** Values chosen by hand because random generation would rarely hit them. */
const CURATED: ReadonlyArray<() => unknown> = [
  () => undefined,
  () => null,
  () => Number.NaN,
  () => Number.POSITIVE_INFINITY,
  () => Number.NEGATIVE_INFINITY,
  () => -0,
  () => Number.MAX_VALUE,
  () => DATE_LIMIT + 1,
  () => -DATE_LIMIT - 1,
  () => 1e300,
  () => 2 ** 53 + 2,
  () => 10n,
  () => Symbol('hostile'),
  () => () => 'a function',
  () => '',
  () => '   \n\t ',
  () => '\uD800',
  () => 'text with a lone \uDC00 surrogate',
  () => 'ends in a high surrogate \uD83D',
  () => 'control \u0000 chars \u001f',
  () => '__proto__',
  () => 'constructor',
  () => 'x'.repeat(100_001),
  () => 'y'.repeat(1_000_000),
  () => '2023-02-30',
  () => '2023-13-01T00:00:00Z',
  () => '+275760-09-13T00:00:00.001Z',
  () => 'May 8',
  () => '5',
  () => new Date(Number.NaN),
  () => new Date(DATE_LIMIT),
  () => Object.create(Date.prototype) as unknown,
  () => JSON.parse('{"__proto__": {"polluted": "yes"}, "userId": "alice"}') as unknown,
  () => JSON.parse('{"constructor": {"prototype": {"polluted": "yes"}}}') as unknown,
  () => ({ constructor: { name: Object.create(null) as unknown } }),
  () => Object.create(null) as unknown,
  () => Object.assign(Object.create(null) as object, { userId: 'alice' }),
  () => nest(40),
  () => nest(5_000),
  () => nest(5_000, 1, true),
  () => [],
  () => [, 'episodic'],
  () => new Array(3),
  () => [[]],
  () => new Map([['userId', 'alice']]),
  () => new Set(['episodic']),
  () => new Float32Array([1, 2]),
  () => new Custom(),
  () => ({ [Symbol.toStringTag]: 'Map' }),
  () => ({ toString: null, valueOf: null }),
  // biome-ignore lint/suspicious/noThenProperty: a hostile input that looks like a thenable is the point
  () => ({ then: 5 }),
  () => new String('boxed'),
  () => new Number(5),
];

const curated: fc.Arbitrary<unknown> = fc.integer({ min: 0, max: CURATED.length - 1 }).map((i) => CURATED[i]!());

const lonelySurrogate: fc.Arbitrary<string> = fc
  .tuple(fc.string({ maxLength: 8 }), fc.integer({ min: 0xd800, max: 0xdfff }), fc.string({ maxLength: 8 }))
  .map(([a, unit, b]) => `${a}${String.fromCharCode(unit)}${b}`);

/** Anything at all: the curated values, fast-check's `anything` with every exotic option, odd strings and numbers. */
export const hostile: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: curated, weight: 4 },
  {
    arbitrary: fc.anything({
      maxDepth: 3,
      maxKeys: 4,
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withNullPrototype: true,
      withObjectString: true,
      withSet: true,
      withSparseArray: true,
      withTypedArray: true,
      key: fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('__proto__', 'constructor', 'prototype', 'userId', 'then')),
    }),
    weight: 3,
  },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 30 }), weight: 1 },
  { arbitrary: lonelySurrogate, weight: 1 },
  { arbitrary: fc.double(), weight: 1 },
  { arbitrary: fc.integer(), weight: 1 },
);

/**
 * Mostly `valid`, sometimes hostile: each field of a plausible argument goes wrong on its own, rarely
 * enough that calls with eight fields are still accepted about a third of the time.
 */
const field = <T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ arbitrary: valid, weight: 8 }, { arbitrary: hostile, weight: 1 });

const TEXTS = ['I adopted a beagle named Biscuit', 'The wedding is on 14 September in Lisbon', 'We went hiking in the Alps', 'My sister sold her piano', 'I lost my passport in Oslo'];
const text = fc.oneof(fc.constantFrom(...TEXTS), fc.string({ minLength: 1, maxLength: 40 }));
const userId = fc.constantFrom('alice', 'bob', 'carol');
const agentId = fc.constantFrom('coach', 'helper');
const runId = fc.constantFrom('r1', 'r2');
const time = fc.oneof(
  fc.integer({ min: T0 - 1e11, max: T0 + 1e11 }),
  fc.integer({ min: T0 - 1e11, max: T0 + 1e11 }).map((ms) => new Date(ms).toISOString()),
  fc.integer({ min: T0 - 1e11, max: T0 + 1e11 }).map((ms) => new Date(ms)),
);
const kind = fc.constantFrom('episodic', 'semantic', 'summary');
const primitive = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null));
const metadata = fc.dictionary(fc.constantFrom('topic', 'dia_id', 'source', 'n'), field(primitive), { maxKeys: 3 });
const unit = fc.double({ min: 0, max: 1, noNaN: true });

export const memoryId: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.nat({ max: 50 }).map((i) => new KnownId(i)), weight: 3 },
  { arbitrary: fc.constantFrom('nope', '00000000-0000-0000-0000-000000000000', 'x'.repeat(129), 'id\uD800'), weight: 1 },
  { arbitrary: hostile, weight: 1 },
);

const entityFields = { userId: field(userId), agentId: field(agentId), runId: field(runId) };
const entityIds = fc.record(entityFields, { requiredKeys: [] });
/** An options argument: usually an object of (mostly) plausible fields, sometimes anything. */
const options = <T>(record: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ arbitrary: record, weight: 8 }, { arbitrary: hostile, weight: 1 });
/** Options of the owner-scoped calls: the user is usually named (a call without any id is one hostile case among many). */
const owned = <T>(fields: T) => options(fc.record(fields as Record<string, fc.Arbitrary<unknown>>, { requiredKeys: ['userId'] }));
/** An optional trailing scope argument of the by-id methods. */
const scopeArgument = fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: options(entityIds), weight: 2 });

const message = fc.record(
  {
    role: field(fc.constantFrom('user', 'assistant', 'system', 'Caroline')),
    content: field(text),
    name: field(fc.constantFrom('Caroline', 'Melanie')),
    timestamp: field(time),
    metadata: field(metadata),
  },
  { requiredKeys: ['role', 'content'] },
);
const messages = fc.oneof(
  { arbitrary: field(text), weight: 3 },
  { arbitrary: fc.array(field(message), { minLength: 1, maxLength: 4 }), weight: 3 },
  { arbitrary: fc.sparseArray(message, { maxLength: 4 }), weight: 1 },
);

const searchFields = {
  ...entityFields,
  topK: field(fc.integer({ min: 1, max: 20 })),
  limit: field(fc.integer({ min: 1, max: 20 })),
  filters: field(fc.dictionary(fc.constantFrom('topic', 'n'), primitive, { maxKeys: 2 })),
  threshold: field(unit),
  referenceDate: field(time),
  timeRange: field(fc.record({ from: field(time), to: field(time) }, { requiredKeys: [] })),
  kinds: field(fc.array(kind, { maxLength: 3 })),
};

/** Argument lists per public method of a memory. */
export const ARGUMENTS = {
  add: fc.tuple(messages, owned({ ...entityFields, metadata: field(metadata), timestamp: field(time), importance: field(unit), kind: field(kind), infer: field(fc.boolean()) })),
  search: fc.tuple(field(text), owned(searchFields)),
  context: fc.tuple(field(text), owned({ ...searchFields, tokenBudget: field(fc.integer({ min: 1, max: 400 })) })),
  get: fc.tuple(memoryId, scopeArgument),
  getAll: fc.tuple(owned({ ...entityFields, limit: field(fc.integer({ min: 1, max: 20 })) })),
  update: fc.tuple(memoryId, field(text), scopeArgument),
  delete: fc.tuple(memoryId, scopeArgument),
  deleteAll: fc.tuple(options(entityIds)),
  history: fc.tuple(memoryId, scopeArgument),
  reset: fc.array(hostile, { maxLength: 2 }),
  close: fc.array(hostile, { maxLength: 2 }),
} satisfies Record<string, fc.Arbitrary<unknown[]>>;

export type FuzzedMethod = keyof typeof ARGUMENTS;
export const FUZZED_METHODS = Object.keys(ARGUMENTS) as FuzzedMethod[];

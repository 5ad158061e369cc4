import { outcomeOf } from '@neuromem/core/testing';
import { createMemory, type Memory } from './create-memory';

describe('option checks of the public methods', () => {
  let memory: Memory;
  let before: string;
  const state = async () => JSON.stringify([await memory.store.list({ scope: { userId: 'alice' } }), await memory.store.count()]);

  beforeAll(async () => {
    memory = await createMemory();
    await memory.add('I adopted a beagle named Biscuit', { userId: 'alice', timestamp: '2023-05-08T13:56:00Z' });
    before = await state();
  });
  afterAll(() => memory.close());
  afterEach(async () => expect(await state()).toBe(before));

  const bad: Array<[string, (m: Memory) => Promise<unknown>]> = [
    ['search kinds as a string', (m) => m.search('beagle', { userId: 'alice', kinds: 'episodic' as never })],
    ['search kinds null', (m) => m.search('beagle', { userId: 'alice', kinds: null as never })],
    ['search kinds with a hole', (m) => m.search('beagle', { userId: 'alice', kinds: [, 'episodic'] as never })],
    ['search timeRange null', (m) => m.search('beagle', { userId: 'alice', timeRange: null as never })],
    ['search timeRange as a string', (m) => m.search('beagle', { userId: 'alice', timeRange: '2023' as never })],
    ['search timeRange from after to', (m) => m.search('beagle', { userId: 'alice', timeRange: { from: '2024-01-01', to: '2023-01-01' } })],
    ['search timeRange beyond a Date', (m) => m.search('beagle', { userId: 'alice', timeRange: { from: 1e300 } })],
    ['search options null', (m) => m.search('beagle', null as never)],
    ['search options an array', (m) => m.search('beagle', [{ userId: 'alice' }] as never)],
    ['search topK null', (m) => m.search('beagle', { userId: 'alice', topK: null as never })],
    ['search a bad limit next to a good topK', (m) => m.search('beagle', { userId: 'alice', topK: 3, limit: 'x' as never })],
    ['search filters as a string', (m) => m.search('beagle', { userId: 'alice', filters: 'abc' as never })],
    ['search a nested filter', (m) => m.search('beagle', { userId: 'alice', filters: { a: { b: 1 } } as never })],
    ['context options null', (m) => m.context('beagle', null as never)],
    ['context tokenBudget null', (m) => m.context('beagle', { userId: 'alice', tokenBudget: null as never })],
    ['add options a number', (m) => m.add('x', 5 as never)],
    ['add options null', (m) => m.add('x', null as never)],
    ['add infer as a string', (m) => m.add('x', { userId: 'alice', infer: 'no' as never })],
    ['add a timestamp beyond a Date', (m) => m.add('x', { userId: 'alice', timestamp: 9e15 })],
    ['add metadata nested 5,000 deep', (m) => m.add('x', { userId: 'alice', metadata: deep(5000) })],
    ['getAll options null', (m) => m.getAll(null as never)],
    ['getAll options a string', (m) => m.getAll('alice' as never)],
    ['deleteAll options null', (m) => m.deleteAll(null as never)],
    ['deleteAll options an array', (m) => m.deleteAll([] as never)],
    ['get an id with a lone surrogate', (m) => m.get('id\uD800')],
  ];

  it.each(bad)('should answer %s with INVALID_INPUT and change nothing', async (_label, call) => {
    expect(await outcomeOf(() => call(memory))).toBe('INVALID_INPUT');
  });

  it('should accept the same options with the right types', async () => {
    const { results } = await memory.search('beagle', { userId: 'alice', kinds: ['episodic'], timeRange: { from: '2023-01-01', to: '2024-01-01' }, filters: {}, topK: 3, limit: 5 });
    expect(results).toHaveLength(1);
    before = await state(); // the search counted an access
  });
});

describe('createMemory options', () => {
  it.each([
    ['null', null],
    ['a string', './memory'],
    ['an empty path', { path: '' }],
    ['maxTextChars as a string', { maxTextChars: '100' }],
    ['trackAccess as a string', { trackAccess: 'yes' }],
    ['a clock without now()', { clock: { now: 5 } }],
    ['recencyHalfLifeDays as a string', { recencyHalfLifeDays: 'abc' }],
    ['recencyHalfLifeDays null', { recencyHalfLifeDays: null }],
  ])('should refuse %s with INVALID_INPUT', async (_label, options) => {
    await expect(createMemory(options as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

function deep(levels: number): Record<string, never> {
  let value: Record<string, unknown> = {};
  for (let i = 0; i < levels; i++) value = { a: value };
  return value as Record<string, never>;
}

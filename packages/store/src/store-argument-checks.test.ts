import { createManualClock, type MemoryRecord } from '@neuromem/core';
import { outcomeOf, randomUnitVectors } from '@neuromem/core/testing';
import { createSqliteStore, type SqliteMemoryStore } from './create-sqlite-store';

const dimensions = 8;
const vector = () => randomUnitVectors(1, dimensions, 3)[0]!;

describe('argument types of the store methods', () => {
  let store: SqliteMemoryStore;
  let first: MemoryRecord;
  let before: string;
  const state = async () => JSON.stringify([await store.list({}), await store.history(first.id), await store.count(), await store.edges(first.id)]);

  beforeAll(async () => {
    store = await createSqliteStore({ vectorScales: { turn: dimensions, session: dimensions, token: dimensions }, clock: createManualClock(Date.UTC(2024, 0, 1), { tick: 1 }) });
    const records = await store.put([
      { text: 'Caroline met Melanie in Boston', scope: { userId: 'u', sessionId: 's' }, vectors: { turn: vector() } },
      { text: 'They went hiking', scope: { userId: 'u', sessionId: 's' }, vectors: { turn: vector() } },
    ]);
    first = records[0]!;
    before = await state();
  });
  afterAll(() => store.close());
  afterEach(async () => expect(await state()).toBe(before));

  const bad: Array<[string, (s: SqliteMemoryStore) => Promise<unknown>]> = [
    ['list(null)', (s) => s.list(null as never)],
    ['list with kinds as a string', (s) => s.list({ kinds: 'episodic' as never })],
    ['list with kinds null', (s) => s.list({ kinds: null as never })],
    ['list with scales as a string', (s) => s.list({ scales: 'turn' as never })],
    ['list with eventTime as a string', (s) => s.list({ eventTime: 'today' as never })],
    ['list with eventTime from after to', (s) => s.list({ eventTime: { from: 2, to: 1 } })],
    ['list with metadata as a string', (s) => s.list({ metadata: 'abc' as never })],
    ['list with a misspelt scope key', (s) => s.list({ scope: { user_id: 'u' } as never })],
    ['list with an unknown order', (s) => s.list({ order: 'random' as never })],
    ['count(null)', (s) => s.count(null as never)],
    ['count with kinds holding a hole', (s) => s.count({ kinds: [, 'episodic'] as never })],
    ['deleteWhere(undefined)', (s) => s.deleteWhere(undefined as never)],
    ['deleteWhere(null)', (s) => s.deleteWhere(null as never)],
    ['get with null options', (s) => s.get(first.id, null as never)],
    ['getMany of a string', (s) => s.getMany('abc' as never)],
    ['vectors of a number', (s) => s.vectors(5 as never, 'turn')],
    ['tokenVectors of null', (s) => s.tokenVectors(null as never)],
    ['entities of an object', (s) => s.entities({} as never)],
    ['searchVectors(null)', (s) => s.searchVectors(null as never)],
    ['searchSessions(undefined)', (s) => s.searchSessions(undefined as never)],
    ['searchText with filter kinds as a string', (s) => s.searchText({ text: 'Boston', k: 3, filter: { kinds: 'episodic' as never } })],
    ['link of an object', (s) => s.link({ from: 'a', to: 'b' } as never)],
    ['link with a label that is not a string', (s) => s.link([{ from: first.id, to: 'x', type: 'related', weight: 1, label: { long: true } as never }])],
    ['neighbors with null query', (s) => s.neighbors(first.id, null as never)],
    ['neighbors with types as a string', (s) => s.neighbors(first.id, { types: 'next' as never })],
    ['neighbors with an unknown direction', (s) => s.neighbors(first.id, { direction: 'sideways' as never })],
    ['recordAccess of a number', (s) => s.recordAccess(5 as never)],
    ['recordAccess of a string', (s) => s.recordAccess('abc' as never)],
    ['spreadActivation of an object that claims to be a Map', (s) => s.spreadActivation({ [Symbol.toStringTag]: 'Map' } as never)],
    ['spreadActivation with null options', (s) => s.spreadActivation(new Map([[first.id, 1]]), null as never)],
  ];

  it.each(bad)('should answer %s with INVALID_INPUT and change nothing', async (_label, call) => {
    expect(await outcomeOf(() => call(store))).toBe('INVALID_INPUT');
  });

  it('should refuse a link label it would otherwise truncate', async () => {
    const [, second] = await store.list({});
    expect(await outcomeOf(() => store.link([{ from: first.id, to: second!.id, type: 'related', weight: 1, label: 'x'.repeat(201) }]))).toBe('INVALID_INPUT');
  });
});

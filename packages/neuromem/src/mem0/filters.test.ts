import { matchesFilter } from './match-filter';
import { resolveFilters } from './resolve-filters';

const trip = { user_id: 'ana', category: 'travel', priority: 3, city: 'Porto', createdAt: '2024-05-02T10:00:00.000Z', pinned: true };

describe('resolveFilters', () => {
  it('should read the owner from user_id, agent_id and run_id, trimmed, and let the store compare plain metadata', () => {
    expect(resolveFilters({ user_id: '  ana ', agent_id: 'coach', category: 'travel', priority: { gte: 2 } })).toEqual({
      scopes: [{ userId: 'ana', agentId: 'coach' }],
      equality: { category: 'travel' },
      filter: { user_id: 'ana', agent_id: 'coach', category: 'travel', priority: { gte: 2 } },
    });
  });

  it('should take the camelCase spelling, numbers as ids, and an `in` list of owners as one scope each', () => {
    expect(resolveFilters({ userId: 42 }).scopes).toEqual([{ userId: '42' }]);
    expect(resolveFilters({ user_id: { in: ['ana', 'ben', 'ana'] } }).scopes).toEqual([{ userId: 'ana' }, { userId: 'ben' }]);
    expect(resolveFilters({ run_id: ['r1', 'r2'] }).scopes).toEqual([{ runId: 'r1' }, { runId: 'r2' }]);
    expect(resolveFilters({ user_id: 'ana', agent_id: '*' }).scopes).toEqual([{ userId: 'ana' }]);
  });

  it("should refuse filters without an owner, with Mem0's message, and a wildcard alone that would reach every user", () => {
    expect(() => resolveFilters(undefined)).toThrow("filters must contain at least one of: user_id, agent_id, run_id. Example: filters: { user_id: 'u1' }");
    expect(() => resolveFilters({ category: 'travel' })).toThrow('filters must contain at least one of: user_id, agent_id, run_id');
    expect(() => resolveFilters({ user_id: '*' })).toThrow(/filters must name an owner: .* "\*" or a negation alone, which would reach every user's, is refused/);
    expect(() => resolveFilters({ user_id: { ne: 'ana' } })).toThrow(/filters must name an owner/);
  });

  it('should check ids as Mem0 does', () => {
    expect(() => resolveFilters({ user_id: '   ' })).toThrow('Invalid user_id: cannot be empty or whitespace-only');
    expect(() => resolveFilters({ agent_id: 'a b' })).toThrow('Invalid agent_id: cannot contain whitespace');
    expect(() => resolveFilters({ user_id: 'ana', userId: 'ana' })).toThrow(/filters name user_id twice/);
  });

  it('should refuse unknown operators and malformed logic before reading anything', () => {
    expect(() => resolveFilters({ user_id: 'ana', priority: { between: [1, 3] } })).toThrow('Unsupported metadata filter operator: between');
    expect(() => resolveFilters({ user_id: 'ana', OR: [] })).toThrow('OR operator requires a non-empty list of conditions');
    expect(() => resolveFilters({ user_id: 'ana', NOT: { city: 'Porto' } })).toThrow('NOT operator requires a non-empty list of conditions');
    expect(() => resolveFilters({ user_id: 'ana', city: { in: 'Porto' } })).toThrow(/filters.city.in must be a list/);
    expect(() => resolveFilters({ user_id: 'ana', city: { contains: 3 } })).toThrow(/filters.city.contains must be text/);
    expect(() => resolveFilters('ana')).toThrow(/filters must be an object/);
  });
});

describe('matchesFilter', () => {
  it.each([
    ['equality', { category: 'travel' }, { category: 'work' }],
    ['eq', { priority: { eq: 3 } }, { priority: { eq: 2 } }],
    ['ne', { city: { ne: 'Lisbon' } }, { city: { ne: 'Porto' } }],
    ['gt', { priority: { gt: 2 } }, { priority: { gt: 3 } }],
    ['gte', { priority: { gte: 3 } }, { priority: { gte: 4 } }],
    ['lt', { priority: { lt: 4 } }, { priority: { lt: 3 } }],
    ['lte', { priority: { lte: 3 } }, { priority: { lte: 2 } }],
    ['a range (every operator applies)', { priority: { gte: 1, lte: 5 } }, { priority: { gte: 1, lte: 2 } }],
    ['dates as ISO text', { createdAt: { gte: '2024-05-01' } }, { createdAt: { lt: '2024-05-01' } }],
    ['in', { city: { in: ['Porto', 'Braga'] } }, { city: { in: ['Lisbon'] } }],
    ['a list (in)', { city: ['Porto', 'Braga'] }, { city: ['Lisbon'] }],
    ['nin', { city: { nin: ['Lisbon'] } }, { city: { nin: ['Porto'] } }],
    ['contains', { city: { contains: 'ort' } }, { city: { contains: 'ORT' } }],
    ['icontains', { city: { icontains: 'ORT' } }, { city: { icontains: 'lis' } }],
    ['the wildcard', { city: '*' }, { city: 'Lisbon' }],
    ['AND', { AND: [{ category: 'travel' }, { pinned: true }] }, { AND: [{ category: 'travel' }, { pinned: false }] }],
    ['OR', { OR: [{ city: 'Lisbon' }, { priority: 3 }] }, { OR: [{ city: 'Lisbon' }, { priority: 1 }] }],
    ['NOT', { NOT: [{ city: 'Lisbon' }] }, { NOT: [{ city: 'Lisbon' }, { city: 'Porto' }] }],
    ['$or (the store spelling)', { $or: [{ city: 'Porto' }] }, { $or: [{ city: 'Braga' }] }],
  ])('should apply %s', (_name, passing, failing) => {
    expect(matchesFilter(trip, passing)).toBe(true);
    expect(matchesFilter(trip, failing)).toBe(false);
  });

  it('should not order values of different types, nor match a missing key except by ne / nin / *', () => {
    expect(matchesFilter(trip, { priority: { gt: '2' } })).toBe(false);
    expect(matchesFilter(trip, { mood: { gte: 0 } })).toBe(false);
    expect(matchesFilter(trip, { mood: { ne: 'sad' }, stars: { nin: [1] }, tag: '*' })).toBe(true);
  });
});

import { createManualClock } from '@neuromem/core';
import { Memory, type MemoryConfig } from './index';

const JUNE_15 = Date.UTC(2024, 5, 15, 12);

/** A memory that keeps nothing on disk, with a clock that moves a millisecond per reading. */
const inMemory = (extra: Partial<MemoryConfig> = {}) =>
  new Memory({ vectorStore: { provider: 'memory', config: { dbPath: ':memory:' } }, neuromem: { clock: createManualClock(JUNE_15, { tick: 1 }) }, ...extra });

describe('neuromem/mem0 Memory', () => {
  let memory: Memory;
  beforeEach(() => {
    memory = inMemory();
  });
  afterEach(() => memory.close());

  it("should answer add, get, getAll and search in Mem0 3.x's shapes", async () => {
    const added = await memory.add('I adopted a beagle named Biscuit', { userId: 'ana', agentId: 'coach', metadata: { topic: 'pets', user_id: 'mallory', actor_id: 'x' } });
    const id = added.results[0]!.id;
    expect(added).toEqual({ results: [{ id, memory: 'I adopted a beagle named Biscuit', metadata: { event: 'ADD' } }] });
    const item = await memory.get(id);
    expect(item).toEqual({
      id,
      memory: 'I adopted a beagle named Biscuit',
      hash: expect.any(String),
      createdAt: item!.createdAt,
      updatedAt: item!.createdAt,
      metadata: { topic: 'pets' },
      user_id: 'ana',
      agent_id: 'coach',
      attributedTo: 'user',
    });
    expect((await memory.getAll({ filters: { user_id: 'ana' } })).results).toEqual([item]);
    const [found] = (await memory.search('what is my dog called?', { filters: { user_id: 'ana' }, explain: true })).results;
    expect(found).toEqual({ ...item, score: expect.any(Number), score_details: expect.objectContaining({ factors: expect.any(Object), logit: expect.any(Number) }) });
    expect(found!.score).toBeGreaterThan(0);
    expect(found!.score).toBeLessThanOrEqual(1);
    expect(await memory.get('no-such-id')).toBeNull();
  });

  it('should trim ids, refuse whitespace inside them, and take the owner from add filters too', async () => {
    await memory.add('I live in Porto', { userId: '  ana  ' });
    await memory.add('I work at a bakery', { filters: { user_id: 'ana' } });
    expect((await memory.getAll({ filters: { user_id: 'ana ' } })).results.map((r) => r.memory)).toEqual(['I live in Porto', 'I work at a bakery']);
    await expect(memory.add('x', { userId: 'ana smith' })).rejects.toThrow('Invalid userId: cannot contain whitespace');
    await expect(memory.add('x', { runId: '\t' })).rejects.toThrow('Invalid runId: cannot be empty or whitespace-only');
    await expect(memory.add('x', {} as never)).rejects.toThrow('One of the filters: userId, agentId or runId is required!');
    await expect(memory.add('x', { userId: 'ana', filters: { user_id: 'ben' } })).rejects.toThrow(/name two owners/);
  });

  it('should scope reads with filters only, as Mem0 3.x does', async () => {
    await expect(memory.search('porto', { userId: 'ana' } as never)).rejects.toThrow('Top-level entity parameters [userId] are not supported in search(). Use filters: { user_id: "..." } instead.');
    await expect(memory.getAll({ user_id: 'ana' } as never)).rejects.toThrow('Top-level entity parameters [user_id] are not supported in getAll()');
    await expect(memory.search('porto', {})).rejects.toThrow('filters must contain at least one of: user_id, agent_id, run_id');
  });

  it('should store the messages themselves whatever infer says, leaving system and blank ones out', async () => {
    const messages = [
      { role: 'system', content: 'You are a travel agent.' },
      { role: 'user', content: 'Book me a train to Braga.' },
      { role: 'assistant', content: 'Booked for Friday.' },
      { role: 'user', content: '   ' },
    ];
    for (const infer of [true, false]) {
      const { results } = await memory.add(messages, { runId: `trip-${infer}`, infer });
      expect(results.map((r) => r.memory)).toEqual(['Book me a train to Braga.', 'Booked for Friday.']);
    }
    const all = await memory.getAll({ filters: { run_id: 'trip-false' } });
    expect(all.results.map((r) => [r.attributedTo, r.run_id])).toEqual([
      ['user', 'trip-false'],
      ['assistant', 'trip-false'],
    ]);
    await expect(memory.add([{ role: 'user', content: ' ' }], { userId: 'ana' })).rejects.toThrow('messages array cannot contain only blank content');
    await expect(memory.add(undefined as never, { userId: 'ana' })).rejects.toThrow('messages is required');
  });

  it('should update the text, the metadata alone, or the expiration date', async () => {
    const { results } = await memory.add('I live in Porto', { userId: 'ana', metadata: { topic: 'home' } });
    const id = results[0]!.id;
    const before = (await memory.get(id))!;
    expect(await memory.update(id, 'I live in Braga')).toEqual({ message: 'Memory updated successfully!' });
    const moved = (await memory.get(id))!;
    expect([moved.memory, moved.createdAt, moved.updatedAt! > before.updatedAt!, moved.hash !== before.hash]).toEqual(['I live in Braga', before.createdAt, true, true]);
    await memory.update(id, { metadata: { mood: 'happy', user_id: 'mallory', agentId: 'mallory' } });
    expect(await memory.get(id)).toMatchObject({ memory: 'I live in Braga', metadata: { topic: 'home', mood: 'happy' }, user_id: 'ana' });
    await memory.update(id, { expirationDate: '2099-12-31' });
    expect((await memory.get(id))!.metadata).toEqual({ topic: 'home', mood: 'happy', expiration_date: '2099-12-31' });
    await memory.update(id, { text: 'I live in Faro', expirationDate: null });
    expect(await memory.get(id)).toMatchObject({ memory: 'I live in Faro', metadata: { expiration_date: null } });
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    await memory.update(id, { data: 'I live in Lagos' });
    expect((await memory.get(id))!.memory).toBe('I live in Lagos');
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('deprecated'), expect.objectContaining({ type: 'DeprecationWarning' }));
    warn.mockRestore();
    await expect(memory.update(id, {})).rejects.toThrow('At least one of text, metadata, or expirationDate must be provided.');
    await expect(memory.update(id, { text: ' ' })).rejects.toThrow(/empty text/);
    await expect(memory.update(id, { expirationDate: '31/12/2099' })).rejects.toThrow('YYYY-MM-DD');
    await expect(memory.update(id, { txt: 'typo' } as never)).rejects.toThrow(/not "txt"/);
    await expect(memory.update('no-such-id', 'x')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it("should give a memory's history newest first, in the rows of Mem0's history store", async () => {
    const { results } = await memory.add('I live in Porto', { userId: 'ana' });
    const id = results[0]!.id;
    await memory.update(id, 'I live in Braga');
    await memory.delete(id);
    const history = await memory.history(id);
    expect(history.map((row) => [row.action, row.previous_value, row.new_value, row.is_deleted])).toEqual([
      ['DELETE', 'I live in Braga', null, 1],
      ['UPDATE', 'I live in Porto', 'I live in Braga', 0],
      ['ADD', null, 'I live in Porto', 0],
    ]);
    const [deleted, updated, added] = history;
    expect(history.every((row) => typeof row.id === 'number' && row.memory_id === id)).toBe(true);
    expect(deleted!.id > updated!.id && updated!.id > added!.id).toBe(true);
    expect([updated!.created_at, updated!.updated_at! > added!.created_at!, added!.updated_at]).toEqual([added!.created_at, true, null]);
    expect(await memory.history('no-such-id')).toEqual([]);
    const quiet = inMemory({ disableHistory: true });
    await quiet.add('I live in Porto', { userId: 'ana' }).then(({ results: [row] }) => expect(quiet.history(row!.id)).resolves.toEqual([]));
    await quiet.close();
  });

  it('should hide memories past their expiration day from getAll and search unless showExpired, and still get them by id', async () => {
    const expired = await memory.add('My passport expired', { userId: 'ana', expirationDate: '2024-06-14' });
    await memory.add('My passport is valid today', { userId: 'ana', expirationDate: '2024-06-15' });
    await memory.add('My passport number ends in 42', { userId: 'ana' });
    const filters = { user_id: 'ana' };
    expect((await memory.getAll({ filters })).results.map((r) => r.memory)).toEqual(['My passport is valid today', 'My passport number ends in 42']);
    expect((await memory.getAll({ filters, showExpired: true })).results).toHaveLength(3);
    expect((await memory.search('passport', { filters })).results.map((r) => r.memory)).not.toContain('My passport expired');
    expect((await memory.search('passport', { filters, showExpired: true })).results.map((r) => r.memory)).toContain('My passport expired');
    expect((await memory.get(expired.results[0]!.id))!.metadata).toEqual({ expiration_date: '2024-06-14' });
    for (const bad of ['2099-02-30', '12/31/2099', '2099-12-31T00:00:00Z']) {
      await expect(memory.add('x', { userId: 'ana', expirationDate: bad })).rejects.toThrow('expirationDate must be a valid date in YYYY-MM-DD format');
    }
  });

  it('should list 20 memories by default and fill topK past expired ones', async () => {
    for (let i = 0; i < 3; i++) await memory.add(`Old note ${i}`, { userId: 'ana', expirationDate: '2020-01-01' });
    for (let i = 0; i < 22; i++) await memory.add(`Note number ${i}`, { userId: 'ana' });
    const filters = { user_id: 'ana' };
    expect((await memory.getAll({ filters })).results).toHaveLength(20);
    expect((await memory.getAll({ filters, topK: 3 })).results.map((r) => r.memory)).toEqual(['Note number 0', 'Note number 1', 'Note number 2']);
    expect((await memory.getAll({ filters, topK: 0 })).results).toEqual([]);
    expect((await memory.search('note', { filters })).results).toHaveLength(20);
    expect((await memory.search('note', { filters, topK: 0 })).results).toEqual([]);
    await expect(memory.getAll({ filters, topK: -1 })).rejects.toThrow('Invalid topK: -1. Must be a non-negative integer.');
    await expect(memory.search('note', { filters, topK: 2.5 })).rejects.toThrow('topK must be a valid integer');
    await expect(memory.search('note', { filters, threshold: 1.5 })).rejects.toThrow('Invalid threshold: 1.5. Must be between 0 and 1 (inclusive).');
  });

  it('should filter by metadata with operators and logic, and read several owners with an `in` list', async () => {
    for (const [city, priority] of [
      ['Porto', 1],
      ['Braga', 2],
      ['Lisbon', 3],
    ] as const) {
      await memory.add(`A trip to ${city}`, { userId: 'ana', metadata: { city, priority } });
    }
    await memory.add('A trip to Madrid', { userId: 'ben', metadata: { city: 'Madrid', priority: 3 } });
    const memories = async (filters: Record<string, unknown>) => (await memory.getAll({ filters })).results.map((r) => r.memory);
    expect(await memories({ user_id: 'ana', priority: { gte: 2 } })).toEqual(['A trip to Braga', 'A trip to Lisbon']);
    expect(await memories({ user_id: 'ana', OR: [{ city: 'Porto' }, { priority: { gt: 2 } }] })).toEqual(['A trip to Porto', 'A trip to Lisbon']);
    expect(await memories({ user_id: 'ana', NOT: [{ city: { in: ['Porto', 'Braga'] } }] })).toEqual(['A trip to Lisbon']);
    expect(await memories({ user_id: { in: ['ana', 'ben'] }, priority: 3 })).toEqual(['A trip to Lisbon', 'A trip to Madrid']);
    expect(await memories({ user_id: 'ana', agent_id: '*', city: { icontains: 'BRA' } })).toEqual(['A trip to Braga']);
    const found = await memory.search('a trip', { filters: { user_id: { in: ['ana', 'ben'] }, city: { ne: 'Porto' } } });
    expect(found.results.map((r) => r.memory).sort()).toEqual(['A trip to Braga', 'A trip to Lisbon', 'A trip to Madrid']);
  });

  it('should drop results below an explicit threshold only, scores being probabilities', async () => {
    await memory.add('My beagle is called Biscuit', { userId: 'ana' });
    await memory.add('The weather was grey all week', { userId: 'ana' });
    const all = (await memory.search('what is my beagle called?', { filters: { user_id: 'ana' } })).results;
    expect(all).toHaveLength(2);
    const cut = all[0]!.score! - 1e-6;
    const kept = (await memory.search('what is my beagle called?', { filters: { user_id: 'ana' }, threshold: cut })).results;
    expect(kept.map((r) => r.memory)).toEqual(all.filter((r) => r.score! >= cut).map((r) => r.memory));
    expect(kept[0]!.memory).toBe('My beagle is called Biscuit');
  });

  it("should delete one memory or an owner's, with Mem0's messages, and reset everything", async () => {
    const { results } = await memory.add('I live in Porto', { userId: 'ana' });
    await memory.add('I live in Madrid', { userId: 'ben' });
    expect(await memory.delete(results[0]!.id)).toEqual({ message: 'Memory deleted successfully!' });
    expect(await memory.get(results[0]!.id)).toBeNull();
    await memory.add('I work at a bakery', { userId: 'ana' });
    expect(await memory.deleteAll({ userId: ' ana ' })).toEqual({ message: 'Memories deleted successfully!' });
    expect((await memory.getAll({ filters: { user_id: 'ana' } })).results).toEqual([]);
    await expect(memory.deleteAll({})).rejects.toThrow('At least one filter is required to delete all memories. If you want to delete all memories, use the `reset()` method.');
    await memory.reset();
    expect((await memory.getAll({ filters: { user_id: 'ben' } })).results).toEqual([]);
  });

  it("should build from Mem0's fromConfig and refuse Mem0 Platform calls", async () => {
    expect(Memory.fromConfig({ vectorStore: { provider: 'memory', config: { dbPath: ':memory:' } } })).toBeInstanceOf(Memory);
    expect(() => Memory.fromConfig({ invalid: true } as never)).toThrow(/the Mem0 config has no "invalid"/);
    await expect(memory.updateProject({ decay: true })).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });

  it('should warn once per process that the LLM and embedder settings are not used', async () => {
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const config: MemoryConfig = { llm: { provider: 'openai', config: { apiKey: 'k' } }, embedder: { provider: 'ollama' }, vectorStore: { config: { dbPath: ':memory:' } } };
    await Promise.all([new Memory(config).close(), new Memory(config).close()]);
    expect(warn.mock.calls).toEqual([
      [expect.stringContaining("neuromem/mem0 does not use the config's embedder, llm: it stores the messages themselves (no LLM)"), expect.objectContaining({ code: 'NEUROMEM_MEM0_UNUSED' })],
    ]);
    warn.mockRestore();
  });

  it('should refuse calls once closed, and close once', async () => {
    await memory.close();
    await memory.close();
    await expect(memory.getAll({ filters: { user_id: 'ana' } })).rejects.toMatchObject({ code: 'CLOSED' });
  });
});

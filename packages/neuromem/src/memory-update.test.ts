import { createManualClock } from '@neuromem/core';
import { createMemory, type Memory } from './create-memory';

describe('update() with an object, getAll({ topK }), and scope errors in public words', () => {
  let memory: Memory;
  beforeEach(async () => {
    memory = await createMemory({ clock: createManualClock(Date.UTC(2024, 5, 1), { tick: 1 }) });
  });
  afterEach(() => memory.close());

  it('should merge metadata without touching the text, which search still finds', async () => {
    const [added] = (await memory.add('My beagle is called Biscuit', { userId: 'ana', metadata: { topic: 'pets', mood: 'calm' } })).results;
    expect(await memory.update(added!.id, { metadata: { mood: 'happy', pinned: true } }, { userId: 'ana' })).toEqual({ message: 'Memory updated successfully!' });
    const after = await memory.get(added!.id);
    expect(after).toMatchObject({ memory: 'My beagle is called Biscuit', metadata: { topic: 'pets', mood: 'happy', pinned: true } });
    expect(after!.updatedAt).not.toBeNull();
    expect((await memory.search('what is my dog called?', { userId: 'ana' })).results.map((r) => r.id)).toEqual([added!.id]);
    expect((await memory.history(added!.id)).map((h) => [h.action, h.new_value])).toEqual([
      ['ADD', 'My beagle is called Biscuit'],
      ['UPDATE', 'My beagle is called Biscuit'],
    ]);
  });

  it('should change text and metadata together, and take a string as before', async () => {
    const [added] = (await memory.add('I live in Porto', { userId: 'ana', metadata: { topic: 'home' } })).results;
    await memory.update(added!.id, { text: 'I live in Braga', metadata: { since: 2024 } });
    expect(await memory.get(added!.id)).toMatchObject({ memory: 'I live in Braga', metadata: { topic: 'home', since: 2024 } });
    await memory.update(added!.id, 'I live in Faro');
    expect((await memory.search('where do I live?', { userId: 'ana' })).results[0]!.memory).toBe('I live in Faro');
  });

  it('should refuse an update that changes nothing or names an unknown field', async () => {
    const [added] = (await memory.add('I live in Porto', { userId: 'ana' })).results;
    await expect(memory.update(added!.id, {})).rejects.toThrow('update() needs text, metadata or both');
    await expect(memory.update(added!.id, { txt: 'x' } as never)).rejects.toThrow('update() takes { text?, metadata? }, not "txt"');
    await expect(memory.update(added!.id, { metadata: 'x' } as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(memory.update(added!.id, 42 as never)).rejects.toThrow('update() takes the new text or { text?, metadata? }');
  });

  it('should list topK memories, the name Mem0 3.x uses for limit', async () => {
    for (const city of ['Porto', 'Braga', 'Faro']) await memory.add(`A trip to ${city}`, { userId: 'ana' });
    expect((await memory.getAll({ userId: 'ana', topK: 2 })).results.map((r) => r.memory)).toEqual(['A trip to Porto', 'A trip to Braga']);
    expect((await memory.getAll({ userId: 'ana', topK: 1, limit: 3 })).results).toHaveLength(1);
    await expect(memory.getAll({ userId: 'ana', topK: 0 })).rejects.toThrow('topK must be an integer between 1 and 1000000');
  });

  it('should say which ids a call needs, and where a Mem0 3.x filter goes', async () => {
    await expect(memory.search('x', {})).rejects.toThrow('[neuromem] search() needs an owner: pass at least one of userId, agentId or runId, e.g. { userId: "alice" }.');
    await expect(memory.search('x', { userId: 'ana', filters: { user_id: 'ana' } })).rejects.toThrow(
      "[neuromem] filters compares metadata; pass the owner as userId beside it (for Mem0 3.x's filters: { user_id }, use the Memory class of neuromem/mem0).",
    );
  });
});

import os from 'node:os';
import { createTempDir } from '@neuromem/core/testing';
import { Memory } from './index';

// The steps of Mem0's Node quickstart (docs/open-source/node-quickstart.mdx), in a conversation of
// our own: `neuromem-eval mem0-compat` runs the quickstart's own code with only its import changed.
describe("Mem0's Node quickstart on neuromem/mem0", () => {
  const home = createTempDir('neuromem-mem0-quickstart-');
  // `new Memory()` keeps its memories under the user's home directory: here, a temporary one.
  beforeAll(() => jest.spyOn(os, 'homedir').mockReturnValue(home.path));
  afterAll(() => {
    jest.restoreAllMocks();
    home.remove();
  });

  it('should initialize with no config, add a conversation and find it again with a search', async () => {
    const memory = new Memory();
    const messages = [
      { role: 'user', content: 'I want to cook something new this weekend. Ideas?' },
      { role: 'assistant', content: 'A spicy curry could be fun.' },
      { role: 'user', content: "I can't handle spicy food, but I love Italian dishes." },
      { role: 'assistant', content: "Noted: no spicy food, and I'll suggest Italian recipes." },
    ];
    await memory.add(messages, { userId: 'alice', metadata: { category: 'food_preferences' } });
    const results = await memory.search('What do you know about me?', { filters: { user_id: 'alice' } });
    expect(results.results.map((r) => r.memory).sort()).toEqual(messages.map((m) => m.content).sort());
    for (const result of results.results) {
      expect(result).toMatchObject({ id: expect.any(String), score: expect.any(Number), metadata: { category: 'food_preferences' }, user_id: 'alice' });
    }
    const italian = await memory.search('which cuisine do I love?', { filters: { user_id: 'alice' } });
    expect(italian.results[0]!.memory).toBe("I can't handle spicy food, but I love Italian dishes.");
    await memory.close();
  });
});

import { createMemory } from './create-memory';

/** A user telling an assistant about their life; the assistant's replies pick up the user's words. */
const CHAT = [
  { role: 'user', content: 'My daughter Asha turned seven in April.' },
  { role: 'assistant', content: 'Seven is such a fun age for a daughter, enjoy it!' },
  { role: 'user', content: 'I am reading The Overstory for book club.' },
  { role: 'assistant', content: 'Book clubs are a great way to find new reading.' },
];

describe('questions in the first person', () => {
  it("should take a chat's \"my\" to mean its user, so the user's own statement comes before the assistant's reply", async () => {
    const memory = await createMemory();
    await memory.add(CHAT, { userId: 'priya' });
    const { results } = await memory.search('how old is my daughter?', { userId: 'priya', limit: 2 });
    expect(results.map((result) => result.role)).toEqual(['user', 'assistant']);
    expect(results[0]?.memory).toBe(CHAT[0]!.content);
    expect(results[0]?.scoreBreakdown?.factors).toMatchObject({ speakerNamed: 1, otherSpeakerNamed: 0 });
    expect(results[1]?.scoreBreakdown?.factors).toMatchObject({ speakerNamed: 0, otherSpeakerNamed: 1 });
    // Asked about no one, nobody is the speaker meant.
    const third = await memory.search('how old is the daughter?', { userId: 'priya', limit: 2 });
    for (const result of third.results) expect(result.scoreBreakdown?.factors).toMatchObject({ speakerNamed: 0, otherSpeakerNamed: 0 });
    await memory.close();
  });

  it('should mean the user in a chat stored with their name as the speaker, beside the assistant', async () => {
    const memory = await createMemory();
    await memory.add(
      CHAT.map((message) => (message.role === 'user' ? { ...message, name: 'Priya' } : message)),
      { userId: 'priya' },
    );
    const { results } = await memory.search('what book am I reading?', { userId: 'priya', limit: 2 });
    expect(results[0]?.memory).toBe(CHAT[2]!.content);
    expect(results[0]?.scoreBreakdown?.factors.speakerNamed).toBe(1);
    await memory.close();
  });
});

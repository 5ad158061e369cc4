import { echoTurns } from './echo-questions';
import type { LocomoConversation } from './load-locomo';
import { questionTime } from './turn-message';

describe('echoTurns', () => {
  it("should store every other question as a user's turn of one more session, after the last one and before the questions are asked", () => {
    const conversation: LocomoConversation = {
      sampleId: 'c',
      speakers: ['A', 'B'],
      sessions: [{ n: 3, time: 1_000_000, turns: [{ diaId: 'D3:1', speaker: 'A', text: 'hi', session: 3, time: 1_000_000 }] }],
      questions: ['q0?', 'q1?', 'q2?', 'q3?', 'q4?'].map((question) => ({ question, answer: 'x', evidence: [], category: 1 as const })),
      observations: [],
    };
    const turns = echoTurns(conversation);
    expect(turns.map((t) => t.text)).toEqual(['q0?', 'q2?', 'q4?']);
    expect(new Set(turns.map((t) => t.diaId)).size).toBe(3);
    for (const turn of turns) {
      expect(turn).toMatchObject({ speaker: 'user', session: 4 });
      expect(turn.time).toBeGreaterThan(1_000_000);
      expect(turn.time).toBeLessThan(questionTime(conversation));
    }
  });
});

import { join } from 'node:path';
import { loadLocomo } from '../locomo/load-locomo';
import { contentStems } from '../systems/content-stems';

const FIRST_PERSON_DATA = join(__dirname, '..', '..', 'data', 'first-person-v1.json');

describe('the first-person dataset (data/first-person-v1.json)', () => {
  const conversations = loadLocomo(FIRST_PERSON_DATA);

  it('should load with the LoCoMo loader: one user and an assistant, dated sessions, first-person questions', () => {
    expect(conversations).toHaveLength(6);
    for (const conversation of conversations) {
      expect(conversation.sessions.length).toBe(3);
      const speakers = new Set(conversation.sessions.flatMap((session) => session.turns.map((turn) => turn.speaker)));
      expect(speakers.size).toBe(2);
      expect(speakers.has('Assistant')).toBe(true);
      expect(conversation.questions.filter((qa) => qa.category !== 5).length).toBeGreaterThanOrEqual(8);
      expect(conversation.questions.filter((qa) => qa.category === 5)).toHaveLength(3);
      for (const qa of conversation.questions) expect(qa.question).toMatch(/\b(I|my|me|we|our)\b/i);
    }
    expect(conversations.flatMap((conversation) => conversation.questions).filter((qa) => qa.category !== 5)).toHaveLength(54);
  });

  it("should cite as evidence only the user's own turns, each of them present, and none for what was never said", () => {
    for (const conversation of conversations) {
      const turns = new Map(conversation.sessions.flatMap((session) => session.turns.map((turn) => [turn.diaId, turn] as const)));
      for (const qa of conversation.questions) {
        if (qa.category === 5) {
          expect({ answer: qa.answer, evidence: qa.evidence }).toEqual({ answer: null, evidence: [] });
          continue;
        }
        expect(qa.evidence.length).toBeGreaterThan(0);
        for (const id of qa.evidence) expect(turns.get(id)?.speaker).not.toBe('Assistant');
      }
    }
  });

  it('should word most questions apart from their evidence', () => {
    const questions = conversations.flatMap((conversation) => {
      const turns = conversation.sessions.flatMap((session) => session.turns);
      return conversation.questions.filter((qa) => qa.category !== 5).map((qa) => ({ qa, evidence: turns.filter((turn) => qa.evidence.includes(turn.diaId)) }));
    });
    const apart = questions.filter(({ qa, evidence }) => {
      const asked = contentStems(qa.question);
      return evidence.every((turn) => ![...contentStems(turn.text)].some((stem) => asked.has(stem)));
    });
    expect(apart.length / questions.length).toBeGreaterThanOrEqual(0.6);
  });
});

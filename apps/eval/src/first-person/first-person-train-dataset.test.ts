import { join } from 'node:path';
import { loadLocomo } from '../locomo/load-locomo';
import { contentStems } from '../systems/content-stems';

const DATA = join(__dirname, '..', '..', 'data');
const TRAIN_DATA = join(DATA, 'first-person-train-v1.json');
const TEST_DATA = join(DATA, 'first-person-v1.json');

describe('the first-person training set (data/first-person-train-v1.json)', () => {
  const conversations = loadLocomo(TRAIN_DATA);

  it('should load with the LoCoMo loader: one user and an assistant, dated sessions, first-person questions', () => {
    expect(conversations).toHaveLength(12);
    for (const conversation of conversations) {
      expect(conversation.sessions.length).toBe(3);
      const speakers = new Set(conversation.sessions.flatMap((session) => session.turns.map((turn) => turn.speaker)));
      expect(speakers.size).toBe(2);
      expect(speakers.has('Assistant')).toBe(true);
      const answerable = conversation.questions.filter((qa) => qa.category !== 5).length;
      expect(answerable).toBeGreaterThanOrEqual(8);
      expect(answerable).toBeLessThanOrEqual(10);
      expect(conversation.questions.filter((qa) => qa.category === 5)).toHaveLength(4);
      for (const qa of conversation.questions) expect(qa.question).toMatch(/\b(I|my|me|we|our)\b/i);
    }
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
        for (const id of qa.evidence) {
          expect(turns.has(id)).toBe(true);
          expect(turns.get(id)?.speaker).toBe(conversation.speakers[0]);
        }
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

  it('should share no person and no question with the first-person test set', () => {
    const test = loadLocomo(TEST_DATA);
    const testUsers = new Set(test.map((conversation) => conversation.speakers[0]));
    const trainUsers = conversations.map((conversation) => conversation.speakers[0]);
    expect(new Set(trainUsers).size).toBe(conversations.length);
    for (const user of trainUsers) expect(testUsers.has(user)).toBe(false);
    const testQuestions = new Set(test.flatMap((conversation) => conversation.questions.map((qa) => qa.question.toLowerCase())));
    for (const qa of conversations.flatMap((conversation) => conversation.questions)) expect(testQuestions.has(qa.question.toLowerCase())).toBe(false);
  });
});

import { join } from 'node:path';
import { loadLocomo, type LocomoConversation } from '../locomo/load-locomo';
import { contentStems } from '../systems/content-stems';

const DATA = join(__dirname, '..', '..', 'data');

/** What every first-person set promises: one user and an assistant, first-person questions, evidence in the user's own turns. */
function describeFirstPersonSet(file: string, expected: { conversations: number; answerable: [number, number]; neverSaid: number; totalAnswerable?: number }) {
  describe(`the first-person set data/${file}`, () => {
    const conversations = loadLocomo(join(DATA, file));

    it('should load with the LoCoMo loader: one user and an assistant, dated sessions, first-person questions', () => {
      expect(conversations).toHaveLength(expected.conversations);
      for (const conversation of conversations) {
        expect(conversation.sessions.length).toBe(3);
        const speakers = new Set(conversation.sessions.flatMap((session) => session.turns.map((turn) => turn.speaker)));
        expect(speakers.size).toBe(2);
        expect(speakers.has('Assistant')).toBe(true);
        const answerable = conversation.questions.filter((qa) => qa.category !== 5).length;
        expect(answerable).toBeGreaterThanOrEqual(expected.answerable[0]);
        expect(answerable).toBeLessThanOrEqual(expected.answerable[1]);
        expect(conversation.questions.filter((qa) => qa.category === 5)).toHaveLength(expected.neverSaid);
        for (const qa of conversation.questions) expect(qa.question).toMatch(/\b(I|my|me|we|our)\b/i);
      }
      if (expected.totalAnswerable !== undefined) expect(conversations.flatMap((conversation) => conversation.questions).filter((qa) => qa.category !== 5)).toHaveLength(expected.totalAnswerable);
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
          for (const id of qa.evidence) expect(turns.get(id)?.speaker).toBe(conversation.speakers[0]);
        }
      }
    });

    it('should word most questions apart from their evidence', () => {
      expect(shareWordedApart(conversations)).toBeGreaterThanOrEqual(0.6);
    });
  });
}

/** The share of answerable questions that share no content stem with any of their evidence turns. */
function shareWordedApart(conversations: readonly LocomoConversation[]): number {
  const questions = conversations.flatMap((conversation) => {
    const turns = conversation.sessions.flatMap((session) => session.turns);
    return conversation.questions.filter((qa) => qa.category !== 5).map((qa) => ({ qa, evidence: turns.filter((turn) => qa.evidence.includes(turn.diaId)) }));
  });
  const apart = questions.filter(({ qa, evidence }) => {
    const asked = contentStems(qa.question);
    return evidence.every((turn) => ![...contentStems(turn.text)].some((stem) => asked.has(stem)));
  });
  return apart.length / questions.length;
}

describeFirstPersonSet('first-person-v1.json', { conversations: 6, answerable: [8, 10], neverSaid: 3, totalAnswerable: 54 });
describeFirstPersonSet('first-person-train-v1.json', { conversations: 12, answerable: [8, 10], neverSaid: 4 });
describeFirstPersonSet('first-person-v2.json', { conversations: 16, answerable: [8, 10], neverSaid: 4, totalAnswerable: 156 });

describe('the first-person training set beside the test sets', () => {
  it('should share no person and no question with it, so a model fitted on one is measured on the other', () => {
    const train = loadLocomo(join(DATA, 'first-person-train-v1.json'));
    const test = loadLocomo(join(DATA, 'first-person-v1.json'));
    const testUsers = new Set(test.map((conversation) => conversation.speakers[0]));
    const trainUsers = train.map((conversation) => conversation.speakers[0]);
    expect(new Set(trainUsers).size).toBe(train.length);
    for (const user of trainUsers) expect(testUsers.has(user)).toBe(false);
    const testQuestions = new Set(test.flatMap((conversation) => conversation.questions.map((qa) => qa.question.toLowerCase())));
    for (const qa of train.flatMap((conversation) => conversation.questions)) expect(testQuestions.has(qa.question.toLowerCase())).toBe(false);
  });

  it('should keep the second test set apart from both: no person of either, no question of the training set', () => {
    const second = loadLocomo(join(DATA, 'first-person-v2.json'));
    const first = loadLocomo(join(DATA, 'first-person-v1.json'));
    const train = loadLocomo(join(DATA, 'first-person-train-v1.json'));
    const otherUsers = new Set([...first, ...train].map((conversation) => conversation.speakers[0]));
    const users = second.map((conversation) => conversation.speakers[0]);
    expect(new Set(users).size).toBe(second.length);
    expect(users.filter((user) => otherUsers.has(user))).toEqual([]);
    const otherQuestions = new Set([...first, ...train].flatMap((conversation) => conversation.questions.map((qa) => qa.question.toLowerCase())));
    const questions = second.flatMap((conversation) => conversation.questions.map((qa) => qa.question));
    expect(questions.filter((question) => otherQuestions.has(question.toLowerCase()))).toEqual([]);
  });
});

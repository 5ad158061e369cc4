import { join } from 'node:path';
import { loadLocomo } from '../locomo/load-locomo';
import { collectRelevanceExamples, smallStoreQuestions } from './collect-relevance-examples';

const FIXTURE = join(__dirname, '..', '..', '..', '..', 'datasets', 'fixtures', 'conversations.json');

describe('smallStoreQuestions', () => {
  const [conversation] = loadLocomo(FIXTURE);
  const models = { ranker: undefined, model: undefined, importance: undefined };

  it('asks each answerable question of a store of its evidence and a few other turns, and that store a question it cannot answer', async () => {
    const asked = await smallStoreQuestions(conversation!, models);
    const turns = new Set(conversation!.sessions.flatMap((session) => session.turns.map((turn) => turn.diaId)));
    const answerable = conversation!.questions.filter((qa) => qa.category !== 5 && qa.answer !== null && qa.evidence.some((id) => turns.has(id)));
    expect(asked.filter((q) => q.answerable).map((q) => q.question)).toEqual(answerable.map((qa) => qa.question));
    for (const question of asked) {
      expect(question.setting).toBe('small store');
      expect(question.results.length).toBeGreaterThan(0);
      expect(question.results.length).toBeLessThanOrEqual(10);
      // Every memory of a small store is a candidate: its evidence and 2-24 others.
      expect(question.candidates).toBeGreaterThanOrEqual(Math.min(3, turns.size));
      expect(question.candidates).toBeLessThanOrEqual(24 + 5);
      if (!question.answerable) expect(question.results.some((result) => result.useful)).toBe(false);
    }
    expect(asked.some((q) => q.answerable && q.results.some((result) => result.useful))).toBe(true);
    expect(asked.some((q) => !q.answerable)).toBe(true);
  });

  it('draws the same stores and questions again for the same conversation', async () => {
    const once = await smallStoreQuestions(conversation!, models);
    const again = await smallStoreQuestions(conversation!, models);
    expect(again.map((q) => [q.question, q.candidates])).toEqual(once.map((q) => [q.question, q.candidates]));
  });
});

describe('collectRelevanceExamples', () => {
  it("asks a conversation that lists what its user never said those questions as its unanswerable ones, not the others' questions", async () => {
    const chats = loadLocomo(join(__dirname, '..', '..', 'data', 'first-person-v1.json')).slice(0, 2);
    const [collected] = await collectRelevanceExamples({ conversations: chats.slice(0, 1), sources: chats, unnamedQuestions: true });
    const neverSaid = chats[0]!.questions.filter((qa) => qa.category === 5).map((qa) => qa.question);
    expect(neverSaid.length).toBeGreaterThan(0);
    expect(collected!.questions.filter((q) => !q.answerable).map((q) => q.question)).toEqual(neverSaid);
    for (const question of collected!.questions.filter((q) => !q.answerable)) expect(question.results.some((result) => result.useful)).toBe(false);
  });
});

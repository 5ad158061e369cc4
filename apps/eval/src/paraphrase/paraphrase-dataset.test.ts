import { loadLocomo, type LocomoTurn } from '../locomo/load-locomo';
import { contentStems } from '../systems/content-stems';
import { PARAPHRASE_DATA } from './paraphrase-data';

/**
 * Turns this close to an evidence turn stay free of the question's words: NeuroMem scores a turn by
 * its neighbours' matches too, and a distractor next door would lead it to the answer lexically.
 */
const NEAR = 2;

/** A turn as BM25 and NeuroMem index it: the speaker's name is part of its words. */
const turnStems = (turn: LocomoTurn) => contentStems(`${turn.speaker}: ${turn.text}`);

describe('the paraphrase dataset (data/paraphrase-v1.json)', () => {
  const conversations = loadLocomo(PARAPHRASE_DATA);
  const questions = conversations.flatMap((conversation) => {
    const turns = conversation.sessions.flatMap((session) => session.turns);
    return conversation.questions.map((qa) => ({ qa, conversation: conversation.sampleId, turns, evidence: turns.filter((turn) => qa.evidence.includes(turn.diaId)) }));
  });

  it('should load with the LoCoMo loader as several multi-session conversations with questions', () => {
    expect(conversations.length).toBeGreaterThanOrEqual(8);
    for (const conversation of conversations) {
      expect(conversation.sessions.length).toBeGreaterThanOrEqual(3);
      expect(conversation.questions.length).toBeGreaterThanOrEqual(8);
    }
    expect(new Set(questions.map(({ qa }) => qa.category))).toEqual(new Set([1, 2, 4]));
  });

  it('should cite evidence turns that exist, two or more for a multi-hop question', () => {
    const unresolved = questions.flatMap(({ qa, conversation, evidence }) => qa.evidence.filter((id) => !evidence.some((turn) => turn.diaId === id)).map((id) => `${conversation} ${id}`));
    expect(unresolved).toEqual([]);
    for (const { qa } of questions) {
      expect(qa.answer).toEqual(expect.any(String));
      expect(new Set(qa.evidence).size).toBe(qa.evidence.length);
      if (qa.category === 1) expect(qa.evidence.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('should word every question without a content stem of its evidence turns', () => {
    const shared = questions.flatMap(({ qa, conversation, evidence }) => {
      const asked = contentStems(qa.question);
      const common = [...new Set(evidence.flatMap((turn) => [...turnStems(turn)]))].filter((stem) => asked.has(stem));
      return common.length > 0 ? [`${conversation} "${qa.question}": ${common.join(', ')}`] : [];
    });
    expect(shared).toEqual([]);
  });

  it('should keep the question words away from the evidence: no turn within two of it in its session shares one', () => {
    const leaks = questions.flatMap(({ qa, conversation, turns, evidence }) => {
      const asked = contentStems(qa.question);
      const near = turns.filter((turn) => !qa.evidence.includes(turn.diaId) && evidence.some((e) => e.session === turn.session && Math.abs(turns.indexOf(e) - turns.indexOf(turn)) <= NEAR));
      return near.filter((turn) => [...turnStems(turn)].some((stem) => asked.has(stem))).map((turn) => `${conversation} "${qa.question}": ${turn.diaId}`);
    });
    expect(leaks).toEqual([]);
  });

  it('should give most questions a distractor: another turn that shares a content stem with the question', () => {
    const distracted = questions.filter(({ qa, turns }) => {
      const asked = contentStems(qa.question);
      return turns.some((turn) => !qa.evidence.includes(turn.diaId) && [...turnStems(turn)].some((stem) => asked.has(stem)));
    });
    expect(distracted.length / questions.length).toBeGreaterThanOrEqual(0.75);
  });
});

import type { LocomoConversation } from './load-locomo';
import { asObservationMemories } from './observation-memories';

const turn = (session: number, n: number, speaker: string, text: string) => ({ diaId: `D${session}:${n}`, speaker, text, session, time: session * 1000 });

const conversation: LocomoConversation = {
  sampleId: 'conv-x',
  speakers: ['Ann', 'Bo'],
  sessions: [
    { n: 1, time: 1000, turns: [turn(1, 1, 'Ann', 'I adopted a beagle!'), turn(1, 2, 'Bo', 'Cute. I started pottery.')] },
    { n: 2, time: 2000, turns: [turn(2, 1, 'Ann', 'Biscuit chewed my shoes.'), turn(2, 2, 'Bo', 'Ha!')] },
  ],
  questions: [
    { question: 'What pet does Ann have?', answer: 'a beagle', evidence: ['D1:1', 'D2:1'], category: 4 },
    { question: 'What did Bo start?', answer: 'pottery', evidence: ['D1:2'], category: 4 },
    { question: 'What did Bo laugh at?', answer: 'shoes', evidence: ['D2:2'], category: 4 },
    { question: 'What is Ann allergic to?', answer: null, evidence: [], category: 5 },
  ],
  observations: [
    { text: 'Ann adopted a beagle.', diaIds: ['D1:1'], speaker: 'Ann', session: 1 },
    { text: 'Bo started pottery classes.', diaIds: ['D1:2'], speaker: 'Bo', session: 1 },
    { text: "Ann's beagle Biscuit chews shoes.", diaIds: ['D2:1', 'D1:1'], speaker: 'Ann', session: 2 },
    { text: 'A fact of a session that is not there.', diaIds: ['D9:1'], speaker: 'Bo', session: 9 },
  ],
};

describe('asObservationMemories', () => {
  it("stores a conversation's observations in place of its turns: each in its session, said by whom it is about, at the session's time", () => {
    const facts = asObservationMemories(conversation);
    expect(facts.sessions).toEqual([
      {
        n: 1,
        time: 1000,
        turns: [
          { diaId: 'O1:1', speaker: 'Ann', text: 'Ann adopted a beagle.', session: 1, time: 1000 },
          { diaId: 'O1:2', speaker: 'Bo', text: 'Bo started pottery classes.', session: 1, time: 1000 },
        ],
      },
      { n: 2, time: 2000, turns: [{ diaId: 'O2:1', speaker: 'Ann', text: "Ann's beagle Biscuit chews shoes.", session: 2, time: 2000 }] },
    ]);
    expect(facts.observations).toEqual([]);
    expect(facts.sampleId).toBe('conv-x'); // fold models held out by conversation still apply
  });

  it('makes the observations that cite an evidence turn the evidence, and leaves out questions no observation answers', () => {
    const facts = asObservationMemories(conversation);
    expect(facts.questions.map((q) => [q.question, q.evidence])).toEqual([
      ['What pet does Ann have?', ['O1:1', 'O2:1']],
      ['What did Bo start?', ['O1:2']],
      ['What is Ann allergic to?', []],
    ]);
  });
});
